"""Writes every resource shares: tombstoning (with the live-reference check), restoring and
replacing a parent's child rows (participants, affiliations, stances).

The API's DELETE, the admin's delete and restore actions call these, so one rule holds in
both: a row that live rows still refer to is not tombstoned.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction

from eventsapi.models import Resource, describe_referrer
from eventsapi.validation import full_clean_known

STILL_REFERENCED = "still_referenced"


def resource_referrers(*, resource: Resource) -> list[str]:
    """The live rows that refer to ``resource``, named so a person can find them."""
    return sorted({describe_referrer(row) for row in resource.live_references()})


@transaction.atomic
def resource_tombstone(*, resource: Resource) -> None:
    """Tombstone ``resource``; ``ValidationError`` (code ``still_referenced``) naming the live
    rows that still refer to it, if any."""
    referrers = resource_referrers(resource=resource)
    if referrers:
        raise ValidationError(
            "This %(kind)s is still referred to by: %(names)s. Remove those references first.",
            code=STILL_REFERENCED,
            params={"kind": resource._meta.verbose_name, "names": ", ".join(referrers[:10])},
        )
    resource.tombstone()


@transaction.atomic
def resource_restore(*, resource: Resource) -> bool:
    """Bring a tombstoned ``resource`` back; False when it was not tombstoned."""
    if resource.deleted_at is None:
        return False
    resource.restore()
    return True


class ItemErrors(ValidationError):
    """A ``ValidationError`` for a list field that keeps which item each error belongs to.

    ``items`` holds one ``{field: [ValidationError, ...]}`` mapping per item of ``field``
    (empty for a valid item), so the API can answer ``participants[1].actor``; anything that
    only reads ``messages`` (the admin, a command) still sees every message.
    """

    def __init__(self, field: str, items: list[dict[str, list[ValidationError]]]):
        self.field = field
        self.items = items
        super().__init__({field: [error for item in items for errors in item.values() for error in errors]})


def _duplicate_rows(child_model: type[models.Model], parent_field: str, rows: list[dict]) -> list[int]:
    """Indexes of rows that repeat an earlier row under one of the child's unique constraints."""
    duplicates = []
    for constraint in child_model._meta.constraints:
        if not isinstance(constraint, models.UniqueConstraint):
            continue
        keys = [name for name in constraint.fields if name != parent_field]
        seen = set()
        for index, row in enumerate(rows):
            key = tuple(row.get(name) for name in keys)
            if key in seen:
                duplicates.append(index)
            seen.add(key)
    return duplicates


def children_replace(
    *,
    parent: models.Model,
    field: str,
    child_model: type[models.Model],
    parent_field: str,
    rows: list[dict],
    new_parent: bool = False,
) -> list[models.Model]:
    """Replace ``parent``'s rows of ``child_model`` (joined on ``parent_field``) by ``rows``.

    Every row is validated by the child model, and rows that repeat one another under the
    child's unique constraints are refused; ``ItemErrors`` for ``field`` names the offending
    items before anything is written, so the old rows stay in place. ``new_parent``: the
    parent was just created, so has no rows to replace.
    """
    children = [child_model(**{parent_field: parent}, **row) for row in rows]
    items: list[dict[str, list[ValidationError]]] = []
    for child in children:
        try:
            # The unique constraints with the parent are compared here (_duplicate_rows), not
            # against the old rows this replaces.
            full_clean_known(child, validate_unique=False, unique_checked=parent_field)
            items.append({})
        except ValidationError as error:
            items.append(error.update_error_dict({}))
    for index in _duplicate_rows(child_model, parent_field, rows):
        items[index].setdefault(NON_FIELD_ERRORS, []).append(
            ValidationError("Duplicates an earlier entry of this list.", code="unique")
        )
    if any(items):
        raise ItemErrors(field, items)
    # Only the database can fail from here: inside a caller's transaction, no savepoint of its own.
    with transaction.atomic(savepoint=False):
        if not new_parent:
            child_model.objects.filter(**{parent_field: parent}).delete()
        return child_model.objects.bulk_create(children)
