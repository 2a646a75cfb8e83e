"""Model validation without the lookups a writer has already made.

``Model.full_clean`` checks that every foreign key's row exists, one query per key, even when
the value is an instance just read (a serializer's related field) or just saved (a child's
parent), and that a new row's server-assigned id is unique. ``full_clean_known`` is
``full_clean`` without those queries: a key holding a saved instance of the row it names is
taken as checked (the database's constraint still holds at commit). Check constraints with
simple conditions are evaluated in Python rather than by a query each (``_holds``, with SQL's
logic of NULL). Every other check runs as ``full_clean`` runs it.
"""

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import models, router
from django.db.models import F, Q


def _known_relations(instance: models.Model, exclude: set[str]) -> set[str]:
    known = set()
    for field in instance._meta.concrete_fields:
        if not field.many_to_one or field.name in exclude or not field.is_cached(instance):
            continue
        related = field.get_cached_value(instance)
        if (
            related is not None
            and not related._state.adding
            and related.pk is not None
            and related.pk == getattr(instance, field.attname)
        ):
            known.add(field.name)
    return known


class _Unknown(Exception):
    """A condition ``_holds`` cannot evaluate: the database decides."""


_COMPARISONS = {
    "exact": lambda mine, other: mine == other,
    "gte": lambda mine, other: mine >= other,
    "lte": lambda mine, other: mine <= other,
    "gt": lambda mine, other: mine > other,
    "lt": lambda mine, other: mine < other,
}


def _value(instance: models.Model, name: str, exclude: set[str]):
    try:
        field = instance._meta.get_field(name)
    except FieldDoesNotExist:
        raise _Unknown from None
    if not field.concrete or field.many_to_many or field.name in exclude:
        raise _Unknown  # as Django: a condition on an excluded field is not checked here
    return getattr(instance, field.attname)


def _holds(condition, instance: models.Model, exclude: set[str]) -> bool | None:
    """A check constraint's condition over ``instance``, as SQL's three-valued logic gives it
    (None: unknown, which a check constraint lets pass), for the conditions models here use:
    ``isnull``, comparisons with a value or ``F()``, ``&``, ``|`` and ``~``."""
    if isinstance(condition, Q):
        results = [_holds(child, instance, exclude) for child in condition.children]
        if condition.connector == Q.AND:
            result = False if False in results else (None if None in results else True)
        else:
            result = True if True in results else (None if None in results else False)
        return (None if result is None else not result) if condition.negated else result
    if not isinstance(condition, tuple):
        raise _Unknown
    lookup, other = condition
    name, _, operator = lookup.partition("__")
    mine = _value(instance, name, exclude)
    if operator == "isnull":
        return (mine is None) is bool(other)
    compare = _COMPARISONS.get(operator or "exact")
    if compare is None:
        raise _Unknown  # another lookup, or a join ("organization__kind")
    if isinstance(other, F):
        other = _value(instance, other.name, exclude)
    elif hasattr(other, "resolve_expression"):
        raise _Unknown
    if mine is None or other is None:
        return None
    return compare(mine, other)


def _check(constraint: models.CheckConstraint, model_class, instance, exclude: set[str], using: str) -> None:
    """``constraint.validate``, in Python when it can be: without a query per constraint."""
    try:
        held = _holds(Q(constraint.condition), instance, exclude)
    except (_Unknown, TypeError):  # TypeError: values that do not compare; the database decides
        constraint.validate(model_class, instance, exclude=exclude, using=using)
        return
    if held is False:
        raise ValidationError(constraint.get_violation_error_message(), code=constraint.violation_error_code)


def _validate_constraints(instance: models.Model, exclude: set[str], unique_checked: str | None) -> None:
    """``Model.validate_constraints``, less the unique constraints on ``unique_checked``."""
    using = router.db_for_write(type(instance), instance=instance)
    errors: dict = {}
    for model_class, constraints in instance.get_constraints():
        for constraint in constraints:
            if isinstance(constraint, models.UniqueConstraint) and unique_checked in constraint.fields:
                continue
            try:
                if isinstance(constraint, models.CheckConstraint):
                    _check(constraint, model_class, instance, exclude, using)
                else:
                    constraint.validate(model_class, instance, exclude=exclude, using=using)
            except ValidationError as error:
                fields = getattr(constraint, "fields", ())
                if getattr(error, "code", None) == "unique" and len(fields) == 1:
                    errors.setdefault(fields[0], []).append(error)
                else:
                    errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def full_clean_known(
    instance: models.Model, *, exclude=(), validate_unique: bool = True, unique_checked: str | None = None
) -> None:
    """``instance.full_clean(exclude)``, but for the lookups of keys that hold saved instances
    and, with ``unique_checked``, for the unique constraints on that field (a caller that
    compares those rows itself)."""
    exclude = set(exclude)
    errors: dict = {}
    try:
        instance.clean_fields(exclude=exclude | _known_relations(instance, exclude))
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    try:
        instance.clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    # As full_clean: unique and constraint checks only for the fields that passed.
    exclude |= {name for name in errors if name != NON_FIELD_ERRORS}
    if validate_unique:
        pk = instance._meta.pk
        # A new row's id the server assigned (uuid4, not editable) meets no other: not looked up.
        assigned = instance._state.adding and not pk.editable and pk.has_default()
        try:
            instance.validate_unique(exclude=exclude | ({pk.name} if assigned else set()))
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    try:
        _validate_constraints(instance, exclude, unique_checked)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
