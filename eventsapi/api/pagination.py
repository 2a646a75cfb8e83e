"""Cursor pagination with a caller-chosen page size, capped at EVENTSAPI_MAX_PAGE_SIZE.

The cursor is a keyset: it holds the values of every ordering field of the row at the
page's edge, and the next page starts right after that row (``WHERE (start_date, id)``
past it, written out field by field so each field keeps its own direction). Unlike DRF's
position-and-offset cursor, a page deep in a walk costs what the first does however many
rows share a value (DRF counts past them, and past 1000 of them gives up), and the index
on the first ordering field serves the query.
"""

import base64
import binascii
import datetime
import json
import uuid
from collections import namedtuple
from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from rest_framework import exceptions
from rest_framework.pagination import CursorPagination, _reverse_ordering
from rest_framework.utils.urls import remove_query_param, replace_query_param

from eventsapi.api.parsers import loads
from eventsapi.validators import unstorable

KeysetCursor = namedtuple("KeysetCursor", ["position", "reverse"])
# Longer than any cursor the server writes: the values of one row's ordering fields as
# base64, at worst a 500-character title of control characters (6 bytes each as JSON
# escapes), a choice, two timestamps and a UUID, about 4,200 characters. A next link with
# one still fits the request-line limit of gunicorn.conf.py (8,190 bytes).
MAX_CURSOR_LENGTH = 6144
INVALID_CURSOR = "Invalid cursor: follow the next and previous links as they are."


def _encoded(value):
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def encode_cursor(position: list, reverse: bool) -> str:
    """The cursor of a page edge: urlsafe base64, unpadded, of ``{"p": position, "r": 0|1}``."""
    payload = json.dumps({"p": position, "r": int(reverse)}, separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_cursor(raw: str, fields: int) -> tuple[list, bool]:
    """The position and direction in a cursor of ``fields`` ordering values.

    A cursor comes from anyone, so it is read defensively: at most ``MAX_CURSOR_LENGTH``
    characters, JSON nested no deeper than the object and its list, exactly the two keys,
    and one non-null scalar per ordering field. Anything else is a ``ValueError``.
    """
    if len(raw) > MAX_CURSOR_LENGTH:
        raise ValueError("cursor too long")
    try:
        payload = loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode(), max_depth=2)
    except (binascii.Error, UnicodeDecodeError) as error:
        raise ValueError("not a cursor") from error
    if not isinstance(payload, dict) or set(payload) != {"p", "r"} or payload["r"] not in (0, 1):
        raise ValueError("not a cursor")
    position = payload["p"]
    if not isinstance(position, list) or len(position) != fields:
        raise ValueError("cursor of another ordering")
    if not all(isinstance(value, (str, int, float)) and not isinstance(value, bool) for value in position):
        raise ValueError("ordering values are non-null scalars")
    if any(isinstance(value, str) and unstorable(value) for value in position):
        raise ValueError("ordering values are text a database stores")
    return position, payload["r"] == 1


def _after(ordering: list[str], position: list) -> Q:
    """Rows that come after ``position`` in ``ordering``."""
    condition = Q()
    equal = Q()
    for term, value in zip(ordering, position, strict=True):
        name = term.lstrip("-")
        lookup = "lt" if term.startswith("-") else "gt"
        condition |= equal & Q(**{f"{name}__{lookup}": value})
        equal &= Q(**{name: value})
    # The first field's bound alone lets an index on it narrow the scan.
    first = ordering[0]
    bound = Q(**{f"{first.lstrip('-')}__{'lte' if first.startswith('-') else 'gte'}": position[0]})
    return bound & condition


def keyset_chunks(queryset, ordering: list[str], size: int) -> Iterator[list]:
    """Every row of ``queryset`` in ``ordering``, a list of ``size`` rows at a time.

    Each chunk is its own query starting right after the previous chunk's last row, so
    nothing is held open between chunks (no server-side cursor, which PostgreSQL would
    materialise whole outside a transaction) and each query is served by the ordering's
    index. Rows changed during the walk appear as they are when their chunk is read.
    """
    ordered = queryset.order_by(*ordering)
    names = [term.lstrip("-") for term in ordering]
    position = None
    while True:
        chunk = list((ordered if position is None else ordered.filter(_after(ordering, position)))[:size])
        if chunk:
            yield chunk
        if len(chunk) < size:
            return
        position = [getattr(chunk[-1], name) for name in names]


class StableCursorPagination(CursorPagination):
    """Keyset cursor pages over the view's ordering.

    Every view's ordering ends in ``id``, a unique tie-breaker, so pages never repeat or
    skip rows. A malformed ``page_size`` or ``cursor`` is a 400 naming the parameter; a
    page size above the maximum is capped to it. Ordering fields are non-null columns.
    """

    page_size_query_param = "page_size"
    max_page_size = settings.EVENTSAPI_MAX_PAGE_SIZE
    ordering = ("-created_at", "id")

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise exceptions.ValidationError(
                {self.page_size_query_param: ["Enter a whole number from 1 to %d." % self.max_page_size]}
            )
        return min(size, self.max_page_size)

    def validate_parameters(self, request, queryset, view=None) -> list[str]:
        """Check ``page_size`` and ``cursor`` without paging, and return the ordering:
        exports stream every row but still refuse malformed parameters."""
        self.get_page_size(request)
        self.ordering = list(self.get_ordering(request, queryset, view))
        self._decode(request, queryset.model)
        return self.ordering

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = self.get_page_size(request)
        self.base_url = request.build_absolute_uri()
        self.ordering = list(self.get_ordering(request, queryset, view))
        self.cursor = self._decode(request, queryset.model)
        reverse = self.cursor is not None and self.cursor.reverse
        ordering = list(_reverse_ordering(self.ordering)) if reverse else self.ordering
        queryset = queryset.order_by(*ordering)
        if self.cursor is not None:
            queryset = queryset.filter(_after(ordering, self.cursor.position))
        results = list(queryset[: self.page_size + 1])
        self.page = results[: self.page_size]
        more = len(results) > self.page_size
        if reverse:
            self.page.reverse()
            self.has_next, self.has_previous = True, more
        else:
            self.has_next, self.has_previous = more, self.cursor is not None
        self.display_page_controls = bool(self.page) and (self.has_next or self.has_previous)
        return self.page

    def _position(self, row) -> list:
        return [
            _encoded(row[name] if isinstance(row, dict) else getattr(row, name))
            for name in (term.lstrip("-") for term in self.ordering)
        ]

    def _link(self, row, reverse: bool) -> str:
        return replace_query_param(
            self.base_url, self.cursor_query_param, encode_cursor(self._position(row), reverse)
        )

    def get_next_link(self):
        if not self.has_next or not self.page:
            return None
        return self._link(self.page[-1], reverse=False)

    def get_previous_link(self):
        if not self.has_previous:
            return None
        if not self.page:
            return remove_query_param(self.base_url, self.cursor_query_param)
        return self._link(self.page[0], reverse=True)

    def _decode(self, request, model) -> KeysetCursor | None:
        raw = request.query_params.get(self.cursor_query_param)
        if not raw:
            return None
        try:
            position, reverse = decode_cursor(raw, len(self.ordering))
            position = [
                self._field_value(model, term.lstrip("-"), value)
                for term, value in zip(self.ordering, position, strict=True)
            ]
        except (ValueError, TypeError, OverflowError, DjangoValidationError):
            raise exceptions.ValidationError({self.cursor_query_param: [INVALID_CURSOR]}) from None
        return KeysetCursor(position, reverse)

    @staticmethod
    def _field_value(model, name: str, value):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return value
        value = field.to_python(value)
        if isinstance(value, datetime.datetime):
            if value.tzinfo is None:
                return value.replace(tzinfo=datetime.UTC)  # as the filters read a naive instant
            # Compared in UTC; OverflowError when that leaves years 1-9999.
            return value.astimezone(datetime.UTC)
        return value


class NewestFirstPagination(StableCursorPagination):
    """For sub-lists (reviews, history): newest first, whatever the parent list's ordering."""

    ordering = ("-created_at", "-id")

    def get_ordering(self, request, queryset, view):
        return self.ordering


class HistoryPagination(NewestFirstPagination):
    ordering = ("-history_date", "-history_id")
