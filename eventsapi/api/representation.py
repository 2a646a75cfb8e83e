"""A resource's list representation, compiled from its serializer.

Rendering a page of 100 events through ``EventSerializer`` cost several times what the
database needed: every nested brief object built a serializer and its fields anew. The
serializer stays the one definition of the JSON (its fields, their order, the brief forms
nested in it); ``compile_list`` walks its fields once, at import, and writes a function
``(rows, request) -> list[dict]`` that returns exactly ``Serializer(rows, many=True).data``
(same keys, same order, the same bytes once ``ORJSONRenderer`` writes them;
tests/events/test_fast_read_path.py holds every list to that):

- a model field whose DRF field leaves the value as it is (text, numbers, choices, UUIDs,
  ISO dates and UTC datetimes, lists and mappings of text) reads the attribute, and
  orjson writes it as DRF's encoder would; a boolean is made a ``bool`` as DRF does;
- ``HyperlinkedIdentityField`` builds the link from the pk, the route reversed once per
  request (``link_builder``);
- ``BriefRelatedField`` or a nested serializer reads the related row (which the queryset
  joins with ``select_related``) through the brief serializer's own fields;
- a many-valued field (a nested list, or a ``many=True`` relation) reads its rows as tuples
  in one grouped query, a ``TupleRead`` registered for that field next to the resource
  (which rows, in which order: that is not representation); the columns it selects come
  from the item serializer's fields;
- anything else (a ``SerializerMethodField``, a computed value) takes an accessor
  registered for that field name.

A field the compiler does not know, with no accessor, raises ``ImproperlyConfigured``
naming the serializer and the field: adding a field to a serializer either works on the
list at once or fails at start-up, never serves a list without it.

The compiler writes Python source (``represent.source`` shows it) so that a page costs what
a hand-written dictionary literal would.
"""

import keyword
import linecache
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.db.models import QuerySet
from django.urls import reverse
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from eventsapi.api.serializers import BriefRelatedField

PLACEHOLDER = uuid.UUID(int=0)


def link_builder(request, view_name: str) -> Callable[[object], str]:
    """A function from pk to the absolute URL of ``view_name``, reversing the route once."""
    template = request.build_absolute_uri(reverse(view_name, kwargs={"pk": PLACEHOLDER}))
    prefix, suffix = template.split(str(PLACEHOLDER))
    return lambda pk: f"{prefix}{pk}{suffix}"


def grouped(rows: Iterable[tuple]) -> dict:
    """``{first column: [the rest of each row, ...]}``, in the rows' order."""
    by_key = defaultdict(list)
    for key, *rest in rows:
        by_key[key].append(rest)
    return by_key


@dataclass(frozen=True)
class TupleRead:
    """How a page reads one many-valued field: a single ``values_list`` query, grouped.

    ``queryset`` selects and orders the rows (live ones only, in the serializer's order);
    ``key`` is its column naming the row the items belong to; ``prefix`` the path from its
    model to the items (``"source"`` on a through table), empty when its rows are the items.
    Read as tuples rather than through ``prefetch_related``, whose per-row querysets were
    most of a page's time.
    """

    queryset: QuerySet
    key: str
    prefix: str = ""

    def grouped(self, ids: list, columns: Iterable[str]) -> dict:
        """``{key: [[column, ...], ...]}`` for the rows of ``ids``."""
        return grouped(self.queryset.filter(**{f"{self.key}__in": ids}).values_list(self.key, *columns))


def _raw(field: serializers.Field) -> bool:
    """Whether DRF writes the field's value unchanged (once JSON-encoded, as orjson does)."""
    method = type(field).to_representation
    if method in _RAW_REPRESENTATIONS:
        return True
    if method is serializers.UUIDField.to_representation:
        return field.uuid_format == "hex_verbose"
    if method is serializers.DateField.to_representation:
        return str(getattr(field, "format", api_settings.DATE_FORMAT)).lower() == ISO_8601
    if method is serializers.DateTimeField.to_representation:
        # orjson writes an aware datetime in its own zone; DRF converts to the current one.
        return (
            str(getattr(field, "format", api_settings.DATETIME_FORMAT)).lower() == ISO_8601
            and settings.TIME_ZONE == "UTC"
        )
    if method is serializers.JSONField.to_representation:
        return not field.binary
    if method in (serializers.ListField.to_representation, serializers.DictField.to_representation):
        return _raw(field.child)
    return False


_RAW_REPRESENTATIONS = {
    serializers.CharField.to_representation,
    serializers.ChoiceField.to_representation,
    serializers.IntegerField.to_representation,
    serializers.FloatField.to_representation,
    serializers.ReadOnlyField.to_representation,
}


def _model_field(model: type[models.Model], name: str) -> models.Field | None:
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None  # an annotation or a property


class _Rows:
    """Where a serializer's values come from: attributes of model instances."""

    def __init__(self, compiler: "_Compiler", model: type[models.Model], variable: str):
        self.compiler, self.model, self.variable = compiler, model, variable

    def value(self, attribute: str) -> str:
        return f"{self.variable}.{attribute}"

    def pk(self) -> str:
        return self.value(self.model._meta.pk.attname)

    def related(self, attribute: str, model: type[models.Model]) -> tuple[str, "_Rows"]:
        """The test that the related row is None, and the scope that reads it."""
        variable = self.compiler.variable("v")
        return f"({variable} := {self.value(attribute)}) is None", _Rows(self.compiler, model, variable)


class _Tuples:
    """Where a serializer's values come from: columns of a ``TupleRead``'s rows."""

    def __init__(self, compiler: "_Compiler", model: type[models.Model], path: list[str], columns: dict):
        self.compiler, self.model, self.path, self.columns = compiler, model, path, columns

    def value(self, attribute: str) -> str:
        column = "__".join([*self.path, attribute])
        if column not in self.columns:
            self.columns[column] = self.compiler.variable("c")
        return self.columns[column]

    def pk(self) -> str:
        return self.value(self.model._meta.pk.name)

    def related(self, attribute: str, model: type[models.Model]) -> tuple[str | None, "_Tuples"]:
        scope = type(self)(self.compiler, model, [*self.path, attribute], self.columns)
        nullable = _model_field(self.model, attribute).null
        return (f"{scope.pk()} is None" if nullable else None), scope


class _Values(_Tuples):
    """Where a page's own values come from: the dictionaries of ``queryset.values(*columns)``,
    which cost a fraction of model instances (whose ``__init__`` was most of a page's time)."""

    def value(self, attribute: str) -> str:
        column = "__".join([*self.path, attribute])
        self.columns.setdefault(column, column)
        return f"row[{column!r}]"


class _Compiler:
    def __init__(self, serializer_class, reads: dict[str, TupleRead], accessors: dict[str, Callable]):
        self.serializer_class, self.reads, self.accessors = serializer_class, reads, accessors
        self.namespace: dict = {"link_builder": link_builder}
        self.links: dict[str, str] = {}
        self.prelude: list[str] = []
        self.many: list[tuple[str, str]] = []  # (variable, the grouped read it holds)
        self.count = 0

    def variable(self, stem: str) -> str:
        self.count += 1
        return f"{stem}{self.count}"

    def fail(self, serializer: serializers.Serializer, name: str, why: str):
        raise ImproperlyConfigured(
            f"{type(serializer).__name__}.{name} ({type(serializer.fields[name]).__name__}), in the "
            f"list representation of {self.serializer_class.__name__}: {why}."
        )

    def link(self, view_name: str) -> str:
        if view_name not in self.links:
            self.links[view_name] = self.variable("link")
            self.prelude.append(f"{self.links[view_name]} = link_builder(request, {view_name!r})")
        return self.links[view_name]

    def constant(self, value, stem: str) -> str:
        name = self.variable(stem)
        self.namespace[name] = value
        return name

    def items(self, serializer: serializers.Serializer, scope) -> list[str]:
        """``'key': expression`` for each field DRF would write, in its order."""
        return [
            f"{name!r}: {self.field(serializer, name, field, scope)}"
            for name, field in serializer.fields.items()
            if not field.write_only
        ]

    def serializer(self, serializer: serializers.Serializer, scope) -> str:
        return "{" + ", ".join(self.items(serializer, scope)) + "}"

    def field(self, serializer, name: str, field: serializers.Field, scope) -> str:
        top = serializer is self.root
        if top and name in self.accessors:
            return f"{self.constant(self.accessors[name], 'accessor')}({scope.variable})"
        model = serializer.Meta.model
        if isinstance(field, serializers.HyperlinkedIdentityField):
            if field.lookup_field != "pk" or field.lookup_url_kwarg != "pk":
                self.fail(serializer, name, "a link must look its row up by pk")
            return f"{self.link(field.view_name)}({scope.pk()})"
        if isinstance(field, (serializers.ListSerializer, serializers.ManyRelatedField)):
            if not top:
                self.fail(serializer, name, "a list inside a list item has no tuple read")
            return self.many_valued(serializer, name, field, scope)
        if len(field.source_attrs) != 1:
            self.fail(serializer, name, "its source is not one attribute: register an accessor")
        (attribute,) = field.source_attrs
        if not attribute.isidentifier() or keyword.iskeyword(attribute):
            self.fail(serializer, name, "its source is not an attribute name: register an accessor")
        if isinstance(field, (BriefRelatedField, serializers.Serializer)):
            brief = field.brief_serializer() if isinstance(field, BriefRelatedField) else field
            if not isinstance(brief, serializers.ModelSerializer):
                self.fail(serializer, name, "a brief object must be a ModelSerializer")
            related = _model_field(model, attribute)
            if related is None or not (related.many_to_one or related.one_to_one):
                self.fail(serializer, name, "a brief object must be a foreign key's row")
            is_none, inner = scope.related(attribute, related.related_model)
            body = self.serializer(brief, inner)
            return body if is_none is None else f"None if {is_none} else {body}"
        value = scope.value(attribute)
        if _raw(field):
            return value
        if type(field).to_representation is serializers.BooleanField.to_representation:
            model_field = _model_field(model, attribute)
            if isinstance(model_field, models.BooleanField) and not model_field.null:
                return value
            # An annotation may read as 0 or 1: DRF makes it a bool, and leaves None.
            if isinstance(scope, _Rows):
                flag = self.variable("v")
                return f"(None if ({flag} := {value}) is None else bool({flag}))"
            return f"(None if {value} is None else bool({value}))"
        reason = "no accessor is registered for it" if top else "the compiler does not know this field"
        return self.fail(serializer, name, reason)

    def many_valued(self, serializer, name: str, field, scope) -> str:
        read = self.reads.get(name)
        if read is None:
            self.fail(serializer, name, "a many-valued field needs a TupleRead registered for it")
        if isinstance(field, serializers.ListSerializer) and isinstance(
            field.child, serializers.ModelSerializer
        ):
            item = field.child
        elif isinstance(field, serializers.ManyRelatedField) and isinstance(
            field.child_relation, BriefRelatedField
        ):
            item = field.child_relation.brief_serializer()
        else:
            return self.fail(serializer, name, "the compiler reads lists of model serializers only")
        columns: dict[str, str] = {}
        path = read.prefix.split("__") if read.prefix else []
        body = self.serializer(item, _Tuples(self, item.Meta.model, path, columns))
        groups = self.variable("many")
        self.many.append((groups, f"{self.constant(read, 'read')}.grouped(ids, {tuple(columns)!r})"))
        return f"[{body} for {', '.join(columns.values())}, in {groups}.get({scope.pk()}, ())]"

    def compile(self) -> Callable[[list, object], list[dict]]:
        self.root = self.serializer_class()
        unknown = (set(self.reads) | set(self.accessors)) - set(self.root.fields)
        if unknown:
            raise ImproperlyConfigured(
                f"{self.serializer_class.__name__} has no field {', '.join(sorted(unknown))}: "
                "a read or accessor is registered for it."
            )
        model = self.root.Meta.model
        # Accessors are functions of a model instance; without any, rows are values() dicts.
        columns: dict[str, str] | None = (
            None if self.accessors else {model._meta.pk.name: model._meta.pk.name}
        )
        scope = _Rows(self, model, "row") if columns is None else _Values(self, model, [], columns)
        items = self.items(self.root, scope)
        lines = ["def represent(rows, request):", *(f"    {line}" for line in self.prelude)]
        if self.many:
            lines += [
                "    if rows:",
                f"        ids = [{scope.pk()} for row in rows]",
                *(f"        {groups} = {read}" for groups, read in self.many),
                "    else:",
                f"        {' = '.join(groups for groups, _ in self.many)} = {{}}",
            ]
        lines += ["    return [", "        {", *(f"            {item}," for item in items), "        }"]
        lines += ["        for row in rows", "    ]"]
        source = "\n".join(lines) + "\n"
        filename = f"<list representation of {self.serializer_class.__qualname__}>"
        # The source is the compiler's own, from field names and view names: nothing a client sent.
        exec(compile(source, filename, "exec"), self.namespace)
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        represent = self.namespace["represent"]
        represent.__qualname__ = represent.__name__ = f"{self.serializer_class.__name__}_list"
        represent.__doc__ = f"``{self.serializer_class.__name__}(rows, many=True).data``, compiled."
        represent.serializer_class, represent.source = self.serializer_class, source
        represent.columns = None if columns is None else tuple(columns)
        return represent


def compile_list(
    serializer_class: type[serializers.Serializer],
    *,
    reads: dict[str, TupleRead] | None = None,
    accessors: dict[str, Callable[[models.Model], object]] | None = None,
) -> Callable[[list, object], list[dict]]:
    """``(rows, request) -> serializer_class(instances, many=True).data``, compiled from its fields.

    ``rows`` are the page read as ``queryset.values(*represent.columns)`` (the columns the
    serializer's fields need, related rows' through joins); with ``accessors``, which are
    functions of a model instance, they are model instances and ``represent.columns`` is
    None. ``reads`` gives the ``TupleRead`` of each many-valued field, ``accessors`` a
    function of the row for each field the compiler cannot read itself. Raises
    ``ImproperlyConfigured`` on any other field it does not know.
    """
    return _Compiler(serializer_class, reads or {}, accessors or {}).compile()
