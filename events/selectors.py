"""Reads about places: containment and geography, for the location filters."""

import math
import re
import uuid

from django.db import connections
from django.db.models import F, FloatField, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import ASin, Cos, Least, Power, Radians, Sin, Sqrt

from events.models import Place
from eventsapi.geometry import BoundingBox, Point

EARTH_RADIUS_KM = 6371.0088
# A subtree of up to this many places is read first and put in the query as values.
SUBTREE_INLINE_LIMIT = 1000


def place_subtree(place_id: uuid.UUID, *, using: str, include_self: bool = True) -> RawSQL:
    """The ids of a place and of every place within it, to any depth (a recursive CTE).

    ``using`` is the database alias of the queryset the result is used in.
    """
    connection = connections[using]
    quote = connection.ops.quote_name
    table, pk, parent = quote(Place._meta.db_table), quote("id"), quote("parent_id")
    # UNION rather than UNION ALL stops at a cycle, should a bad write ever make one.
    sql = (
        f"WITH RECURSIVE subtree(id) AS ("
        f"SELECT {pk} FROM {table} WHERE {pk} = %s "
        f"UNION SELECT child.{pk} FROM {table} child JOIN subtree ON child.{parent} = subtree.id"
        f") SELECT id FROM subtree"
    )
    if not include_self:
        sql += " WHERE id <> %s"
    key = Place._meta.pk.get_db_prep_value(place_id, connection)
    return RawSQL(sql, (key, key) if not include_self else (key,))


def place_subtree_ids(
    place_id: uuid.UUID, *, using: str, include_self: bool = True
) -> list[uuid.UUID] | RawSQL:
    """``place_subtree``'s ids, read at once unless there are over SUBTREE_INLINE_LIMIT.

    PostgreSQL cannot see into the recursive query and guesses that a subtree holds about
    two in five places; a page of events in one province then walks the date index past
    most of the table (160 ms at a million events). Given the ids as values, the planner
    estimates from the column's statistics and reads the province's rows through the place
    index. A subtree too big to inline stays a subquery.
    """
    subtree = place_subtree(place_id, using=using, include_self=include_self)
    with connections[using].cursor() as cursor:
        cursor.execute(f"{subtree.sql} LIMIT {SUBTREE_INLINE_LIMIT + 1}", subtree.params)
        ids = [row[0] for row in cursor.fetchall()]
    return ids if len(ids) <= SUBTREE_INLINE_LIMIT else subtree


def places_in_bbox(places: QuerySet, box: BoundingBox) -> QuerySet:
    """Places whose coordinates lie in the box; one with min_lon > max_lon crosses 180°."""
    places = places.filter(latitude__gte=box.min_lat, latitude__lte=box.max_lat)
    if box.crosses_antimeridian:
        return places.filter(Q(longitude__gte=box.min_lon) | Q(longitude__lte=box.max_lon))
    return places.filter(longitude__gte=box.min_lon, longitude__lte=box.max_lon)


def _longitude_span(point: Point, radius_km: float) -> float | None:
    """Degrees of longitude within ``radius_km`` of ``point``; None when every longitude is."""
    angle = radius_km / EARTH_RADIUS_KM
    if abs(point.latitude) + math.degrees(angle) >= 90:
        return None
    ratio = math.sin(angle) / math.cos(math.radians(point.latitude))
    if ratio >= 1:
        return None
    return math.degrees(math.asin(ratio))


def _bounding_box(point: Point, radius_km: float) -> Q:
    """A box around the circle, for the coordinates index; the distance test follows it."""
    latitude_span = math.degrees(radius_km / EARTH_RADIUS_KM)
    box = Q(latitude__gte=point.latitude - latitude_span, latitude__lte=point.latitude + latitude_span)
    span = _longitude_span(point, radius_km)
    if span is None:
        return box & Q(longitude__isnull=False)
    west, east = point.longitude - span, point.longitude + span
    if west < -180:
        return box & (Q(longitude__gte=west + 360) | Q(longitude__lte=east))
    if east > 180:
        return box & (Q(longitude__gte=west) | Q(longitude__lte=east - 360))
    return box & Q(longitude__gte=west, longitude__lte=east)


def great_circle_km(point: Point) -> ASin:
    """The haversine distance in km from ``point`` to a place's coordinates."""
    latitude, longitude = math.radians(point.latitude), math.radians(point.longitude)
    half_dlat = (Radians(F("latitude")) - Value(latitude)) / Value(2.0)
    half_dlon = (Radians(F("longitude")) - Value(longitude)) / Value(2.0)
    haversine = Power(Sin(half_dlat), 2) + Value(math.cos(latitude)) * Cos(Radians(F("latitude"))) * Power(
        Sin(half_dlon), 2
    )
    # Rounding can push the root a hair above 1, where asin is undefined.
    return Value(2 * EARTH_RADIUS_KM) * ASin(Least(Sqrt(haversine), Value(1.0)), output_field=FloatField())


def places_near(places: QuerySet, point: Point, radius_km: float) -> QuerySet:
    """Places within ``radius_km`` (great-circle) of ``point``."""
    return (
        places.filter(_bounding_box(point, radius_km))
        .alias(distance_km=great_circle_km(point))
        .filter(distance_km__lte=radius_km)
    )


# ``scheme:value``, e.g. ``twitter:nrfafg`` or ``wikidata:Q889``.
EXTERNAL_ID = re.compile(r"^(?P<scheme>[A-Za-z0-9_.-]+):(?P<value>.+)$")


def with_external_id(queryset: QuerySet, *, scheme: str, value: str) -> QuerySet:
    """Rows of ``queryset`` whose ``external_ids`` hold ``value`` under ``scheme`` (ignoring case)."""
    return queryset.alias(external_id=KeyTextTransform(scheme, "external_ids")).filter(
        external_id__iexact=value
    )
