"""Query-parameter filters of the place, actor and event lists (DESIGN.md, "Filtering")."""

import datetime
import uuid

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from drf_spectacular.utils import extend_schema_field

from events.models import (
    Actor,
    ActorKind,
    Affiliation,
    Event,
    EventType,
    Participant,
    Place,
    PlaceKind,
    SubEventType,
)
from events.selectors import EXTERNAL_ID, place_subtree_ids, places_in_bbox, places_near, with_external_id
from eventsapi.api.filters import (
    CommaSeparatedChoiceFilter,
    CountryFilter,
    ResourceFilterSet,
    StrictBooleanFilter,
    bbox_filter,
    date_range_filters,
    near_filters,
    verification_status_filter,
)
from eventsapi.geometry import BoundingBox, Point


class ExternalIdField(forms.CharField):
    """``scheme:value``, e.g. ``twitter:nrfafg`` or ``wikidata:Q889``."""

    default_error_messages = {"invalid": "Enter scheme:value, such as twitter:nrfafg."}

    def clean(self, value):
        # Split after CharField's own checks (NUL, length), which then see the text itself.
        value = super().clean(value)
        if value in self.empty_values:
            return value
        match = EXTERNAL_ID.match(value)
        if not match:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return match["scheme"], match["value"]


class ExternalIdFilter(django_filters.CharFilter):
    """``scheme:value``: rows with that id in ``external_ids``."""

    field_class = ExternalIdField

    def filter(self, queryset: QuerySet, value: tuple[str, str] | None) -> QuerySet:
        if not value:
            return queryset
        scheme, identifier = value
        return with_external_id(queryset, scheme=scheme, value=identifier)


class FatalitiesField(forms.IntegerField):
    """A whole number of fatalities, 0 or more, written in digits."""

    default_error_messages = {"invalid": "Enter a whole number, 0 or more."}

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 2_147_483_647)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value not in self.empty_values and not str(value).strip().isdigit():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class FatalitiesFilter(django_filters.NumberFilter):
    """Events whose reported fatalities are within the bound; events without a report never match."""

    field_class = FatalitiesField


def fatalities_filter(lookup_expr: str, help_text: str) -> FatalitiesFilter:
    # Typed on the filter itself (a whole number, 0 or more) so it keeps its own description.
    schema = {"type": "integer", "minimum": 0, "maximum": 2_147_483_647, "description": help_text}
    return extend_schema_field(schema)(
        FatalitiesFilter(field_name="fatalities", lookup_expr=lookup_expr, help_text=help_text)
    )


class PlaceFilterSet(ResourceFilterSet):
    search_fields = ("name",)
    search_list_fields = ("alternate_names",)

    kind = CommaSeparatedChoiceFilter(
        choices=PlaceKind.choices, help_text="One or more kinds of place, comma-separated."
    )
    country = CountryFilter(field_name="country_code", help_text="ISO 3166-1 alpha-2 country code.")
    within = django_filters.UUIDFilter(
        method="filter_within",
        help_text="A place id: the places within it, to any depth (not the place itself).",
    )
    bbox = bbox_filter()
    near, radius_km = near_filters()

    class Meta(ResourceFilterSet.Meta):
        model = Place

    def filter_within(self, queryset: QuerySet, name: str, value: uuid.UUID) -> QuerySet:
        return queryset.filter(id__in=place_subtree_ids(value, using=queryset.db, include_self=False))

    def filter_bbox(self, queryset: QuerySet, name: str, value: BoundingBox) -> QuerySet:
        return places_in_bbox(queryset, value)

    def filter_point_radius(self, queryset: QuerySet, point: Point, radius_km: float) -> QuerySet:
        return places_near(queryset, point, radius_km)


class ActorFilterSet(ResourceFilterSet):
    search_fields = ("name",)
    search_list_fields = ("aliases",)

    kind = CommaSeparatedChoiceFilter(
        choices=ActorKind.choices, help_text="One or more kinds of actor, comma-separated."
    )
    country = CountryFilter(field_name="country_code", help_text="ISO 3166-1 alpha-2 country code.")
    affiliated_with = django_filters.UUIDFilter(
        method="filter_affiliated_with",
        help_text="An organisation's actor id: actors with an affiliation to it, past or present.",
    )
    external_id = ExternalIdFilter(
        help_text="`scheme:value`, e.g. `twitter:nrfafg`: actors with that id in `external_ids` "
        "(the value compared ignoring case).",
    )

    class Meta(ResourceFilterSet.Meta):
        model = Actor

    def filter_affiliated_with(self, queryset: QuerySet, name: str, value: uuid.UUID) -> QuerySet:
        return queryset.filter(
            Exists(Affiliation.objects.filter(actor=OuterRef("pk"), organization_id=value))
        )


class EventFilterSet(ResourceFilterSet):
    search_fields = ("title", "summary")

    date_from, date_to = date_range_filters(
        from_help="Events that end on or after this day.",
        to_help="Events that start on or before this day.",
        note="An event without end_date lasts its start_date; one with date_precision month "
        "or year spans that whole month or year.",
    )
    verification_status = verification_status_filter()
    event_type = CommaSeparatedChoiceFilter(
        choices=EventType.choices, help_text="One or more event types, comma-separated."
    )
    actor = django_filters.UUIDFilter(
        method="filter_actor", help_text="An actor id: events it takes part in, in any role."
    )
    place = django_filters.UUIDFilter(
        method="filter_place", help_text="A place id: events in that place or any place within it."
    )
    country = CountryFilter(
        field_name="place__country_code", help_text="ISO 3166-1 alpha-2 code of the event's place."
    )
    bbox = bbox_filter("Events by their place's coordinates.")
    near, radius_km = near_filters("Events by their place's coordinates.")
    contested = StrictBooleanFilter(
        field_name="contested",
        help_text="true: events that statements by different speakers both support and refute.",
    )
    external_id = ExternalIdFilter(
        help_text="`scheme:value`, e.g. `acled:AFG12345`: events with that id in `external_ids` "
        "(the value compared ignoring case).",
    )
    sub_event_type = CommaSeparatedChoiceFilter(
        choices=SubEventType.choices, help_text="One or more of ACLED's sub-event types, comma-separated."
    )
    fatalities_min = fatalities_filter("gte", "Events with at least this many reported fatalities.")
    fatalities_max = fatalities_filter("lte", "Events with at most this many reported fatalities.")

    class Meta(ResourceFilterSet.Meta):
        model = Event

    def filter_dates(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        if name == "date_from":
            return queryset.filter(effective_end_date__gte=value)
        # An event's effective start is its start date or the first day of its month or year,
        # so a match starts by the end of that year at the latest. Saying so changes no
        # result but bounds the walk down the start_date index that pages are read from;
        # without it PostgreSQL, unaware the two dates move together, began at the newest
        # event and passed most of the table (3 s at a million events for an early date_to).
        return queryset.filter(
            effective_start_date__lte=value, start_date__lte=datetime.date(value.year, 12, 31)
        )

    def filter_actor(self, queryset: QuerySet, name: str, value: uuid.UUID) -> QuerySet:
        return queryset.filter(Exists(Participant.objects.filter(event=OuterRef("pk"), actor_id=value)))

    def filter_place(self, queryset: QuerySet, name: str, value: uuid.UUID) -> QuerySet:
        return queryset.filter(place_id__in=place_subtree_ids(value, using=queryset.db))

    def filter_bbox(self, queryset: QuerySet, name: str, value: BoundingBox) -> QuerySet:
        return queryset.filter(place__in=places_in_bbox(Place.all_objects.all(), value).values("pk"))

    def filter_point_radius(self, queryset: QuerySet, point: Point, radius_km: float) -> QuerySet:
        return queryset.filter(place__in=places_near(Place.all_objects.all(), point, radius_km).values("pk"))
