"""Whole-list export: ``?format=csv`` on every list, ``?format=geojson`` where records have a place.

An export is the whole filtered and ordered list, not a page: the same filters and
``ordering`` as the JSON list, with ``cursor`` and ``page_size`` ignored. It is streamed
from the database in keyset chunks (one query per chunk, each after the last row of the one
before), so memory stays flat however many rows there are and the first bytes leave at once.

A viewset opts in with ``ExportMixin`` and an ``export`` (an ``Export`` subclass naming the
columns). The columns default from the resource's serializer (``serializer_columns``): an
export declares only the columns that differ. Errors (a bad filter value, say) are still
problem documents in JSON.
"""

import csv
import datetime
import json
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from operator import attrgetter

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db.models import Model, QuerySet
from django.http import StreamingHttpResponse
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from eventsapi.api.pagination import keyset_chunks
from eventsapi.api.serializers import BriefRelatedField

CHUNK_SIZE = 1000
# Spreadsheets run a cell starting with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

Column = tuple[str, Callable[[Model], object]]
# The fields every resource's export ends with, wherever its serializer has them.
RESOURCE_TAIL = ("version", "created_at", "updated_at")


def _related_value(relation: str, attribute: str) -> Callable[[Model], object]:
    def value(record):
        related = getattr(record, relation)
        return None if related is None else getattr(related, attribute)

    return value


def _related_pks(relation: str) -> Callable[[Model], list]:
    return lambda record: [related.pk for related in getattr(record, relation).all()]


def _annotation(attribute: str) -> Callable[[Model], object]:
    return lambda record: getattr(record, attribute, None)


def _field_columns(model: type[Model], name: str, field: serializers.Field) -> tuple[Column, ...] | None:
    """A serializer field's default columns; None when it has no default (a nested list)."""
    if isinstance(field, serializers.HyperlinkedIdentityField):
        return ()  # links are the API's, not the data's
    if isinstance(field, serializers.ManyRelatedField):
        return ((name, _related_pks(field.source)),)
    if isinstance(field, (serializers.ListSerializer, serializers.SerializerMethodField)):
        return None
    if len(field.source_attrs) != 1:
        return None
    (attribute,) = field.source_attrs
    if isinstance(field, (BriefRelatedField, serializers.Serializer)):
        # A brief object flattens to the foreign key and the brief's other plain fields.
        brief = field.brief_serializer() if isinstance(field, BriefRelatedField) else field
        foreign_key = model._meta.get_field(attribute)
        pk_name = foreign_key.related_model._meta.pk.name
        return ((f"{name}_id", attrgetter(foreign_key.attname)),) + tuple(
            (f"{name}_{sub}", _related_value(attribute, sub_field.source))
            for sub, sub_field in brief.fields.items()
            if sub != pk_name and not isinstance(sub_field, serializers.HyperlinkedIdentityField)
        )
    try:
        model._meta.get_field(attribute)
    except FieldDoesNotExist:
        return ((name, _annotation(attribute)),)  # an annotation the queryset may lack
    return ((name, attrgetter(attribute)),)


def serializer_columns(
    serializer_class: type[serializers.ModelSerializer],
    *,
    replace: Mapping[str, tuple[Column, ...]] | None = None,
    extend: Mapping[str, tuple[Column, ...]] | None = None,
    omit: Iterable[str] = (),
) -> tuple[Column, ...]:
    """The export columns of a resource, in its serializer's field order.

    Each readable field is a column of its model value (``_cell`` writes it), links left
    out; a brief object is ``<field>_id`` and ``<field>_<name>`` (its plain fields); a
    many-valued relation the list of ids; ``RESOURCE_TAIL`` comes last. ``replace`` gives
    a field's columns instead, ``extend`` columns after its own, ``omit`` drops fields.
    A field without a default (a nested list, a method field) must be replaced or omitted:
    otherwise this raises ``ImproperlyConfigured``.
    """
    replace, extend, omit = replace or {}, extend or {}, set(omit)
    serializer = serializer_class()
    unknown = (set(replace) | set(extend) | omit) - set(serializer.fields)
    if unknown:
        raise ImproperlyConfigured(f"{serializer_class.__name__} has no field {', '.join(sorted(unknown))}.")
    columns: list[Column] = []
    tail: dict[str, tuple[Column, ...]] = {}
    for name, field in serializer.fields.items():
        if name in omit or field.write_only:
            continue
        own = replace[name] if name in replace else _field_columns(serializer.Meta.model, name, field)
        if own is None:
            raise ImproperlyConfigured(
                f"{serializer_class.__name__}.{name} ({type(field).__name__}) has no default export "
                "column: replace it with declared columns or omit it."
            )
        own = (*own, *extend.get(name, ()))
        if name in RESOURCE_TAIL:
            tail[name] = own
        else:
            columns.extend(own)
    return (*columns, *(column for name in RESOURCE_TAIL for column in tail.get(name, ())))


class Export:
    """What an export holds for one resource.

    ``columns`` are ``(name, value)`` pairs, ``value`` taking a record and returning a
    scalar, a list (in CSV joined with ``; ``) or a mapping (in CSV ``key:value; ...``).
    ``coordinates``, a static method, returns a record's ``(longitude, latitude)`` or None;
    an export without it has no GeoJSON form.
    """

    name = "records"
    columns: tuple[Column, ...] = ()
    coordinates: Callable[[Model], tuple[float, float] | None] | None = None

    @classmethod
    def queryset(cls, queryset: QuerySet) -> QuerySet:
        """The list's filtered queryset as the export reads it (e.g. without prefetches
        that ``prepare`` replaces)."""
        return queryset

    @classmethod
    def prepare(cls, records: list[Model]) -> None:
        """Load, in bulk, what the columns read of one chunk of records."""


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return "; ".join(f"{key}:{item}" for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(item) for item in value)
    if isinstance(value, (int, float, Decimal, uuid.UUID)):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


class _Line:
    """A file-like object whose write returns the line, so csv.writer can feed a generator."""

    def write(self, line: str) -> str:
        return line


def _csv_chunks(chunks: Iterable[list[Model]], export: type[Export], cell=_cell) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield writer.writerow([name for name, _ in export.columns])
    for records in chunks:
        # One string per chunk: the server writes each item to the socket on its own.
        yield "".join(
            writer.writerow([cell(value(record)) for _, value in export.columns]) for record in records
        )


def _json_value(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_json_value(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _json_value(item) for key, item in value.items()}
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value)


def _feature(record: Model, export: type[Export]) -> str:
    coordinates = export.coordinates(record)
    return json.dumps(
        {
            "type": "Feature",
            "id": str(record.pk),
            "geometry": None if coordinates is None else {"type": "Point", "coordinates": list(coordinates)},
            "properties": {name: _json_value(value(record)) for name, value in export.columns},
        },
        ensure_ascii=False,
    )


def _geojson_chunks(chunks: Iterable[list[Model]], export: type[Export]) -> Iterator[str]:
    yield '{"type": "FeatureCollection", "features": ['
    separator = ""
    for records in chunks:
        if records:
            yield separator + ", ".join(_feature(record, export) for record in records)
            separator = ", "
    yield "]}\n"


class ExportRenderer(BaseRenderer):
    """Selects the export by ``?format=`` or ``Accept``; ``ExportMixin.list`` does the streaming."""

    charset = "utf-8"
    extension = ""
    openapi_schema: dict = {}

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # ExportMixin answers with a StreamingHttpResponse, and sends any other response
        # (errors) as JSON, so nothing reaches here.
        raise NotImplementedError("exports are streamed by ExportMixin.list")

    def stream(self, chunks: Iterable[list[Model]], export: type[Export]) -> Iterator[str]:
        raise NotImplementedError


class CSVRenderer(ExportRenderer):
    media_type = "text/csv"
    format = "csv"
    extension = "csv"
    openapi_schema = {
        "type": "string",
        "description": "The whole filtered list as CSV (RFC 4180), one row per record, with a "
        "header row; lists are joined with `; `.",
    }

    def stream(self, chunks, export):
        return _csv_chunks(chunks, export)


class DatasetCSVRenderer(CSVRenderer):
    """A dataset's own CSV layout (``?format=acled``): its ``export`` replaces the viewset's,
    and its text is written exactly (it is read by the dataset's tools, not spreadsheets)."""

    export: type[Export]

    def stream(self, chunks, export):
        return _csv_chunks(chunks, self.export, cell=lambda value: "" if value is None else str(value))


class GeoJSONRenderer(ExportRenderer):
    media_type = "application/geo+json"
    format = "geojson"
    extension = "geojson"
    openapi_schema = {
        "type": "object",
        "description": "The whole filtered list as a GeoJSON FeatureCollection (RFC 7946): "
        "one Point feature per record at its place's coordinates, geometry null when it has "
        "none; properties are the CSV columns.",
        "required": ["type", "features"],
        "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "features": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["type", "id", "geometry", "properties"],
                    "properties": {
                        "type": {"type": "string", "enum": ["Feature"]},
                        "id": {"type": "string", "format": "uuid"},
                        "geometry": {
                            "type": "object",
                            "nullable": True,
                            "properties": {
                                "type": {"type": "string", "enum": ["Point"]},
                                "coordinates": {
                                    "type": "array",
                                    "items": {"type": "number"},
                                    "minItems": 2,
                                    "maxItems": 2,
                                    "description": "[longitude, latitude]",
                                },
                            },
                        },
                        "properties": {"type": "object", "additionalProperties": True},
                    },
                },
            },
        },
    }

    def stream(self, chunks, export):
        return _geojson_chunks(chunks, export)


class ExportMixin:
    """Adds the CSV (and, with coordinates, GeoJSON) export to a viewset's list."""

    export: type[Export] | None = None
    # Other layouts of the same list, e.g. ACLED's (DatasetCSVRenderer subclasses).
    dataset_renderers: tuple[type[DatasetCSVRenderer], ...] = ()

    def get_renderers(self):
        renderers = super().get_renderers()
        if getattr(self, "action", None) == "list" and self.export is not None:
            renderers.append(CSVRenderer())
            if self.export.coordinates is not None:
                renderers.append(GeoJSONRenderer())
            renderers.extend(renderer() for renderer in self.dataset_renderers)
        return renderers

    def _export_chunks(
        self, queryset: QuerySet, ordering: list[str], export: type[Export]
    ) -> Iterator[list[Model]]:
        for records in keyset_chunks(export.queryset(queryset), ordering, CHUNK_SIZE):
            export.prepare(records)
            yield records

    def list(self, request, *args, **kwargs):
        renderer = request.accepted_renderer
        if not isinstance(renderer, ExportRenderer):
            return super().list(request, *args, **kwargs)
        queryset: QuerySet = self.filter_queryset(self.get_queryset())
        ordering = self.paginator.validate_parameters(request, queryset, self)
        export = getattr(renderer, "export", None) or self.export
        response = StreamingHttpResponse(
            renderer.stream(self._export_chunks(queryset, ordering, export), export),
            content_type=f"{renderer.media_type}; charset={renderer.charset}",
        )
        response["Content-Disposition"] = f'attachment; filename="{export.name}.{renderer.extension}"'
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        if isinstance(response, Response) and isinstance(
            getattr(request, "accepted_renderer", None), ExportRenderer
        ):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)
