"""References inside an operation's ``data``: where they are, and ``{"lid": ...}`` in them.

A resource's data refers to other records through its serializer's relation fields (a
speaker, a place, the sources, each stance's event). ``map_references`` walks the data along
those fields and hands every reference to a visitor, which checks it (when the bundle is
parsed) or replaces a local id by the record's id (when the bundle runs). Everything else in
the data is left for the resource's serializer to validate, exactly as its endpoint does.
"""

import functools
from collections.abc import Callable

from django.db.models import Model
from rest_framework import relations, serializers

Visitor = Callable[[object, type[Model], str], object]


@functools.cache
def writable_fields(serializer_class: type[serializers.Serializer]) -> dict[str, serializers.Field]:
    return {name: field for name, field in serializer_class().fields.items() if not field.read_only}


def _related_model(field: relations.RelatedField) -> type[Model] | None:
    queryset = getattr(field, "queryset", None)
    return queryset.model if queryset is not None else None


def map_references(data, fields: dict[str, serializers.Field], path: str, visit: Visitor):
    """A copy of ``data`` with ``visit(value, model, path)`` in place of each reference."""
    if not isinstance(data, dict):
        return data
    mapped = dict(data)
    for name, value in data.items():
        field = fields.get(name)
        where = f"{path}.{name}"
        if field is None or value is None:
            continue
        if isinstance(field, relations.ManyRelatedField):
            model = _related_model(field.child_relation)
            if isinstance(value, list) and model is not None:
                mapped[name] = [visit(item, model, f"{where}[{i}]") for i, item in enumerate(value)]
        elif isinstance(field, relations.RelatedField):
            model = _related_model(field)
            if model is not None:
                mapped[name] = visit(value, model, where)
        elif isinstance(field, serializers.ListSerializer):
            if isinstance(value, list):
                child_fields = writable_fields(type(field.child))
                mapped[name] = [
                    map_references(item, child_fields, f"{where}[{i}]", visit) for i, item in enumerate(value)
                ]
        elif getattr(field, "items_serializer", None) is not None:
            # A JSON list written through a serializer (a statement's source_spans).
            if isinstance(value, list):
                child_fields = writable_fields(field.items_serializer)
                mapped[name] = [
                    map_references(item, child_fields, f"{where}[{i}]", visit) for i, item in enumerate(value)
                ]
        elif isinstance(field, serializers.Serializer):
            mapped[name] = map_references(value, writable_fields(type(field)), where, visit)
    return mapped


def is_local_reference(value) -> bool:
    return isinstance(value, dict) and "lid" in value
