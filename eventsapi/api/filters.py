"""Filter pieces every list shares.

- Strict form fields: ISO dates and datetimes, ``true``/``false``, comma-separated
  coordinates (``bbox``, ``near``). A value that does not parse is a form error on that
  parameter, which ``DjangoFilterBackend`` turns into a 400 problem document naming it.
- ``FilterForm`` checks parameters that only make sense together (``date_from`` not after
  ``date_to``, ``radius_km`` with ``near``).
- ``ResourceFilterSet``: the base of every list's FilterSet, with ``updated_since`` and ``q``.
- ``q``: the full-text search of ``eventsapi.search``.

Empty values (``?date_from=``, what the browsable API's filter form sends for blank
fields) are ignored; unknown parameters are left alone.
"""

import copy
import datetime
import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django_filters.fields import BaseCSVField
from drf_spectacular.utils import extend_schema_field

from eventsapi.choices import VerificationStatus
from eventsapi.geometry import BoundingBox, Point
from eventsapi.search import search

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# "+00:00" arrives as " 00:00" when a client forgets to percent-encode the plus sign.
UNENCODED_PLUS_OFFSET = re.compile(r"(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}(?::?\d{2})?)$")
COUNTRY_CODE = re.compile(r"^[A-Za-z]{2}$")
OUT_OF_CALENDAR = "This value takes the filter past the calendar's last day (9999-12-31); use an earlier one."


class IsoDateField(forms.Field):
    """A calendar date written ``YYYY-MM-DD``, and nothing else."""

    widget = forms.DateInput(attrs={"type": "date"})
    default_error_messages = {"invalid": "Enter a date as YYYY-MM-DD."}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip()
        if not ISO_DATE.match(value):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return datetime.date.fromisoformat(value)
        except ValueError as error:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from error


class IsoDateTimeField(forms.Field):
    """An ISO 8601 datetime (``2021-09-06T12:00:00Z``); without an offset it is UTC."""

    default_error_messages = {
        "invalid": "Enter an ISO 8601 datetime such as 2021-09-06T12:00:00Z (or a date, YYYY-MM-DD).",
        "out_of_range": "Enter a datetime that falls within the years 1 to 9999 in UTC.",
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = UNENCODED_PLUS_OFFSET.sub(r"\1+\2", str(value).strip())
        try:
            moment = parse_datetime(value)
            if moment is None and ISO_DATE.match(value):
                day = parse_date(value)
                moment = datetime.datetime.combine(day, datetime.time()) if day else None
        except ValueError:
            moment = None
        if moment is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if timezone.is_naive(moment):
            return moment.replace(tzinfo=datetime.UTC)
        try:
            # Compared in UTC by every database; an instant whose UTC day is outside
            # years 1-9999 (0001-01-01T00:00+05:00) exists in no database's calendar.
            return moment.astimezone(datetime.UTC)
        except OverflowError:
            raise ValidationError(self.error_messages["out_of_range"], code="invalid") from None


class StrictBooleanField(forms.Field):
    """``true`` or ``false`` (or ``1``/``0``); anything else is an error, not "no filter"."""

    widget = forms.Select(choices=[("", "Any"), ("true", "Yes"), ("false", "No")])
    default_error_messages = {"invalid": "Enter true or false."}
    TRUE_VALUES = frozenset({"true", "1"})
    FALSE_VALUES = frozenset({"false", "0"})

    def to_python(self, value):
        if value in self.empty_values:
            return None
        lowered = str(value).strip().lower()
        if lowered in self.TRUE_VALUES:
            return True
        if lowered in self.FALSE_VALUES:
            return False
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class CountryCodeField(forms.CharField):
    """ISO 3166-1 alpha-2, in either case; cleaned to capitals as stored."""

    default_error_messages = {"invalid": "Enter an ISO 3166-1 alpha-2 country code such as AF."}

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        if not COUNTRY_CODE.match(value):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return value.upper()


def _check_latitude(value: float) -> None:
    if not -90 <= value <= 90:
        raise ValidationError(
            "Latitude %(value)s is outside -90..90.", code="invalid", params={"value": value}
        )


def _check_longitude(value: float) -> None:
    if not -180 <= value <= 180:
        raise ValidationError(
            "Longitude %(value)s is outside -180..180.", code="invalid", params={"value": value}
        )


class CoordinatesField(BaseCSVField):
    """Comma-separated finite numbers, exactly ``size`` of them (mixed with FloatField)."""

    size = 0
    message = ""

    def clean(self, value):
        numbers = super().clean(value)
        if not numbers:
            return None
        if len(numbers) != self.size or any(number is None for number in numbers):
            raise ValidationError(self.message, code="invalid")
        return self.build(numbers)

    def build(self, numbers: list[float]):
        raise NotImplementedError


class BoundingBoxField(CoordinatesField):
    size = 4
    message = "Enter four numbers: min_lon,min_lat,max_lon,max_lat."

    def build(self, numbers: list[float]) -> BoundingBox:
        box = BoundingBox(*numbers)
        for longitude in (box.min_lon, box.max_lon):
            _check_longitude(longitude)
        for latitude in (box.min_lat, box.max_lat):
            _check_latitude(latitude)
        if box.min_lat > box.max_lat:
            raise ValidationError("min_lat must not be greater than max_lat.", code="invalid")
        return box


class PointField(CoordinatesField):
    size = 2
    message = "Enter two numbers: lat,lon."

    def build(self, numbers: list[float]) -> Point:
        point = Point(*numbers)
        _check_latitude(point.latitude)
        _check_longitude(point.longitude)
        return point


class BoundingBoxFilter(django_filters.filters.BaseCSVFilter):
    """``min_lon,min_lat,max_lon,max_lat``; a box with min_lon > max_lon crosses the antimeridian."""

    base_field_class = BoundingBoxField
    field_class = forms.FloatField


class PointFilter(django_filters.filters.BaseCSVFilter):
    """``lat,lon`` in decimal degrees."""

    base_field_class = PointField
    field_class = forms.FloatField


class NonEmptyItemsCSVField(BaseCSVField):
    """Comma-separated values, none of them empty (``riot,`` is a typo, not "riot")."""

    def clean(self, value):
        if value and any(item.strip() == "" for item in value):
            raise ValidationError("Remove the empty item between the commas.", code="invalid")
        return super().clean(value)


class CommaSeparatedChoiceFilter(django_filters.BaseInFilter, django_filters.ChoiceFilter):
    """One or more of the choices, comma-separated: ``verification_status=verified,false``."""

    base_field_class = NonEmptyItemsCSVField


class IsoDateFilter(django_filters.Filter):
    field_class = IsoDateField


class IsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = IsoDateTimeField


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class CountryFilter(django_filters.CharFilter):
    field_class = CountryCodeField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Typed on the instance so the parameter keeps its own description.
        schema = {"type": "string", "pattern": COUNTRY_CODE.pattern}
        extend_schema_field({**schema, "description": self.extra.get("help_text")})(self)


def verification_status_filter(field_name: str = "verification_status") -> CommaSeparatedChoiceFilter:
    return CommaSeparatedChoiceFilter(
        field_name=field_name,
        choices=VerificationStatus.choices,
        help_text="One or more verification states, comma-separated: `verified,misleading`.",
    )


def date_range_filters(from_help: str, to_help: str, note: str = "") -> tuple[IsoDateFilter, IsoDateFilter]:
    """``date_from`` and ``date_to``, each applied by the FilterSet's ``filter_dates`` method."""
    note = f" {note}" if note else ""
    return (
        IsoDateFilter(method="filter_dates", help_text=f"ISO date (YYYY-MM-DD). {from_help}{note}"),
        IsoDateFilter(method="filter_dates", help_text=f"ISO date (YYYY-MM-DD). {to_help}{note}"),
    )


class FilterForm(forms.Form):
    """Checks between parameters, each error keyed by the parameter at fault."""

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            for name in ("date_from", "date_to"):
                self.add_error(name, ValidationError("date_from must not be after date_to.", code="invalid"))
        if "radius_km" in self.fields:
            self._check_radius(cleaned)
        low, high = cleaned.get("fatalities_min"), cleaned.get("fatalities_max")
        if low is not None and high is not None and low > high:
            for name in ("fatalities_min", "fatalities_max"):
                self.add_error(
                    name, ValidationError("fatalities_min must not be above fatalities_max.", code="invalid")
                )
        return cleaned

    def _check_radius(self, cleaned: dict) -> None:
        radius, near = cleaned.get("radius_km"), cleaned.get("near")
        if self.has_error("near") or self.has_error("radius_km"):
            return
        if radius is not None and near is None:
            self.add_error("radius_km", ValidationError("radius_km needs near=lat,lon.", code="invalid"))
        elif near is not None and radius is None:
            self.add_error("radius_km", ValidationError("Give radius_km with near.", code="required"))
        elif radius is not None and radius <= 0:
            self.add_error("radius_km", ValidationError("radius_km must be above 0.", code="invalid"))


def _coordinates_schema(help_text: str) -> dict:
    # Typed on the filter itself so the parameter keeps its own description.
    return {"type": "number", "format": "double", "description": help_text}


def bbox_filter(help_text: str = "") -> BoundingBoxFilter:
    """``bbox``, applied by the FilterSet's ``filter_bbox`` method."""
    help_text = (
        "`min_lon,min_lat,max_lon,max_lat` in decimal degrees; a min_lon greater than max_lon "
        "crosses the antimeridian." + (f" {help_text}" if help_text else "")
    )
    return extend_schema_field(_coordinates_schema(help_text))(
        BoundingBoxFilter(method="filter_bbox", help_text=help_text)
    )


def near_filters(help_text: str = "") -> tuple[PointFilter, django_filters.NumberFilter]:
    """``near`` and ``radius_km``: the FilterSet's ``filter_near`` applies both at once."""
    help_text = (
        "`lat,lon` in decimal degrees; with `radius_km`, records within that great-circle "
        "distance of the point." + (f" {help_text}" if help_text else "")
    )
    return (
        extend_schema_field(_coordinates_schema(help_text))(
            PointFilter(method="filter_near", help_text=help_text)
        ),
        django_filters.NumberFilter(
            method="filter_radius",
            help_text="Distance in kilometres from `near` (above 0); required with `near`.",
        ),
    )


class ResourceFilterSet(django_filters.FilterSet):
    """Base of every list's FilterSet: ``updated_since`` and ``q``.

    Subclasses name their search document in ``search_fields`` (text columns) and
    ``search_list_fields`` (JSON lists of strings), in the order of the GIN index.
    """

    search_fields: tuple[str, ...] = ()
    search_list_fields: tuple[str, ...] = ()

    updated_since = IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="ISO 8601 datetime: records changed at or after it (UTC if no offset is given).",
    )
    q = django_filters.CharFilter(
        method="filter_q",
        max_length=200,
        help_text="Full-text search: every word must match the start of a word, ignoring case and "
        "accents. (On the embedded SQLite database a word matches anywhere in the text.)",
    )

    class Meta:
        form = FilterForm
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # django-filter's own __init__, but for one line: it deep-copies every declared filter
        # for each request, a tenth of a list's time. A shallow copy gives the request filter
        # objects of its own, which is what the copy is for: each makes its form field anew,
        # and their options are never changed.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: copy.copy(declared) for name, declared in self.base_filters.items()}
        for name, filter_ in self.filters.items():
            filter_.model = queryset.model
            filter_.parent = self
            if filter_.method is not None:
                filter_.method = filter_.method  # binds a FilterMethod to this copy, not the original
            # The browsable API's filter form labels each field with its query parameter, the
            # name a client uses (django-filter would say "[invalid name]" for method filters).
            filter_.label = name

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        for name, value in self.form.cleaned_data.items():
            try:
                queryset = self.filters[name].filter(queryset, value)
            except OverflowError:
                # Date arithmetic past 9999-12-31 (the day after a date_to, say).
                raise ValidationError({name: ValidationError(OUT_OF_CALENDAR, code="invalid")}) from None
        return queryset

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search(queryset, value, self.search_fields, self.search_list_fields)

    def filter_near(self, queryset: QuerySet, name: str, value: Point) -> QuerySet:
        return self.filter_point_radius(queryset, value, float(self.form.cleaned_data["radius_km"]))

    def filter_radius(self, queryset: QuerySet, name: str, value: float) -> QuerySet:
        # Applied by filter_near: radius_km means nothing without near (FilterForm checks).
        return queryset

    def filter_point_radius(self, queryset: QuerySet, point: Point, radius_km: float) -> QuerySet:
        raise NotImplementedError(f"{type(self).__name__} declares near but cannot apply it")
