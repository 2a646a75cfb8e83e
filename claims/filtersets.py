"""Query-parameter filters of the source and statement lists (DESIGN.md, "Filtering")."""

import datetime
import uuid

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower

from claims.models import Source, SourceKind, Stance, Statement, StatementEvent
from claims.urls_normalization import normalize_source_url
from events.selectors import place_subtree_ids
from eventsapi.api.filters import (
    CommaSeparatedChoiceFilter,
    CountryFilter,
    ResourceFilterSet,
    date_range_filters,
    verification_status_filter,
)
from eventsapi.validators import validate_language_tag


class SourceURLField(forms.CharField):
    """A source address, normalised exactly as on write so any spelling of it matches."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        try:
            return normalize_source_url(value)
        except ValueError as error:
            raise ValidationError(str(error), code="invalid") from error


class LanguageTagField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        validate_language_tag(value)
        return value.lower()


class SourceURLFilter(django_filters.CharFilter):
    field_class = SourceURLField


class LanguageFilter(django_filters.CharFilter):
    field_class = LanguageTagField


class SourceFilterSet(ResourceFilterSet):
    search_fields = ("title", "author")

    date_from, date_to = date_range_filters(
        from_help="Sources published on or after this day (UTC).",
        to_help="Sources published on or before this day (UTC).",
        note="Sources without published_at never match.",
    )
    verification_status = verification_status_filter()
    kind = CommaSeparatedChoiceFilter(
        choices=SourceKind.choices, help_text="One or more kinds of source, comma-separated."
    )
    publisher = django_filters.UUIDFilter(field_name="publisher", help_text="The publisher's actor id.")
    url = SourceURLFilter(
        help_text="A source address: the source stored under it once both are normalised "
        "(scheme and host case, default port, fragment and tracking parameters ignored)."
    )

    class Meta(ResourceFilterSet.Meta):
        model = Source

    def filter_dates(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        # A half-open UTC range keeps the published_at index usable.
        if name == "date_from":
            start = datetime.datetime.combine(value, datetime.time(), tzinfo=datetime.UTC)
            return queryset.filter(published_at__gte=start)
        end = datetime.datetime.combine(
            value + datetime.timedelta(days=1), datetime.time(), tzinfo=datetime.UTC
        )
        return queryset.filter(published_at__lt=end)


class StatementFilterSet(ResourceFilterSet):
    search_fields = ("text",)

    date_from, date_to = date_range_filters(
        from_help="Statements made (stated_on) on or after this day.",
        to_help="Statements made (stated_on) on or before this day.",
    )
    verification_status = verification_status_filter()
    speaker = django_filters.UUIDFilter(field_name="speaker", help_text="The speaker's actor id.")
    event = django_filters.UUIDFilter(
        method="filter_event", help_text="An event id: statements about that event."
    )
    stance = django_filters.ChoiceFilter(
        choices=Stance.choices,
        method="filter_stance",
        help_text="Statements taking this stance; with `event`, this stance on that event.",
    )
    source = django_filters.UUIDFilter(
        field_name="sources", help_text="A source id: statements that appeared in it."
    )
    language = LanguageFilter(
        method="filter_language",
        help_text="A BCP 47 tag: statements in that language or a more specific form of it "
        "(`en` matches `en` and `en-GB`), ignoring case.",
    )
    place = django_filters.UUIDFilter(
        method="filter_place",
        help_text="A place id: statements about events in that place or any place within it.",
    )
    country = CountryFilter(
        method="filter_country",
        help_text="ISO 3166-1 alpha-2 code: statements about events in that country.",
    )

    class Meta(ResourceFilterSet.Meta):
        model = Statement

    def filter_dates(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        if name == "date_from":
            return queryset.filter(stated_on__gte=value)
        return queryset.filter(stated_on__lte=value)

    def filter_event(self, queryset: QuerySet, name: str, value: uuid.UUID) -> QuerySet:
        # event and stance describe one link: "refutes event X", not "refutes something, about X".
        stance = self.form.cleaned_data.get("stance")
        if stance:
            return queryset.filter(_about(event_id=value, stance=stance))
        return queryset.filter(_about(event_id=value))

    def filter_stance(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if self.form.cleaned_data.get("event"):
            return queryset  # applied with the event by filter_event
        return queryset.filter(_about(stance=value))

    def filter_language(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.alias(language_lower=Lower("language")).filter(
            Q(language_lower=value) | Q(language_lower__startswith=value + "-")
        )

    def filter_place(self, queryset: QuerySet, name: str, value: uuid.UUID) -> QuerySet:
        return queryset.filter(_about(event__place_id__in=place_subtree_ids(value, using=queryset.db)))

    def filter_country(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(_about(event__place__country_code=value))


def _about(**conditions) -> Exists:
    return Exists(StatementEvent.objects.filter(statement=OuterRef("pk"), **conditions))
