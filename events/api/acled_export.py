"""``?format=acled``: the event list as ACLED's 31-column CSV (events.acled.COLUMNS).

What an event holds of a column comes back in it; the rest is empty. An event imported from
ACLED gives back its row: the columns without an event field from ``dataset_attributes``,
the places from its place's ancestry, the actors from its participants (initiators as
``actor1`` and ``assoc_actor_1``, everyone else as ``actor2`` and ``assoc_actor_2``, in the
order they were recorded). Text is written exactly, with no spreadsheet-formula guard: this
is a format for exchanging data, read by programs.
"""

from events import acled
from events.api.fast import PARTICIPANTS
from events.models import ParticipantRole, Place, PlaceKind
from eventsapi.api.export import DatasetCSVRenderer, Export

ADMIN_KINDS = {PlaceKind.ADMIN1: "admin1", PlaceKind.ADMIN2: "admin2", PlaceKind.ADMIN3: "admin3"}


def _places_by_id(place_ids: set) -> dict:
    """The places and all their ancestors, by id: one query per level of the hierarchy."""
    places: dict = {}
    wanted = {pk for pk in place_ids if pk is not None}
    while wanted:
        found = Place.all_objects.filter(pk__in=wanted).only(
            "id", "name", "kind", "parent_id", "latitude", "longitude", "country_code"
        )
        for place in found:
            places[place.pk] = place
        wanted = {place.parent_id for place in found if place.parent_id} - set(places)
    return places


def _place_columns(place, places: dict) -> dict[str, str]:
    columns = {"country": "", "admin1": "", "admin2": "", "admin3": "", "location": ""}
    if place is None:
        return columns
    if place.kind in (PlaceKind.LOCALITY, PlaceKind.FEATURE):
        columns["location"] = place.name
    ancestor, seen = place, set()
    while ancestor is not None and ancestor.pk not in seen:
        seen.add(ancestor.pk)
        if ancestor.kind == PlaceKind.COUNTRY:
            columns["country"] = ancestor.name
        elif ancestor.kind in ADMIN_KINDS:
            columns[ADMIN_KINDS[ancestor.kind]] = ancestor.name
        ancestor = places.get(ancestor.parent_id)
    return columns


def acled_row(event, places: dict, participants) -> dict[str, str]:
    attributes = {
        name: "" if value is None else str(value)
        for name, value in (event.dataset_attributes or {}).get(acled.SCHEME, {}).items()
    }
    place = places.get(event.place_id)
    side_one = [name for name, role in participants if role == ParticipantRole.INITIATOR]
    side_two = [name for name, role in participants if role != ParticipantRole.INITIATOR]
    row = {column: attributes.get(column, "") for column in acled.ATTRIBUTE_COLUMNS}
    row.update(_place_columns(place, places))
    row.update(
        {
            "event_id_cnty": event.external_ids.get(acled.SCHEME, ""),
            "event_date": event.start_date.isoformat(),
            "year": str(event.start_date.year),
            "time_precision": acled.ACLED_TIME_PRECISION.get(event.date_precision, ""),
            "event_type": acled.ACLED_EVENT_TYPE.get(event.event_type, ""),
            "sub_event_type": event.get_sub_event_type_display() if event.sub_event_type else "",
            "actor1": side_one[0] if side_one else "",
            "assoc_actor_1": "; ".join(side_one[1:]),
            "actor2": side_two[0] if side_two else "",
            "assoc_actor_2": "; ".join(side_two[1:]),
            "latitude": acled.format_coordinate(place.latitude if place else None),
            "longitude": acled.format_coordinate(place.longitude if place else None),
            "notes": event.summary,
            "fatalities": "" if event.fatalities is None else str(event.fatalities),
        }
    )
    return row


class AcledExport(Export):
    name = "events-acled"
    columns = tuple(
        (column, lambda event, column=column: event.acled_row[column]) for column in acled.COLUMNS
    )

    @classmethod
    def queryset(cls, queryset):
        return queryset.select_related(None).prefetch_related(None)

    @classmethod
    def prepare(cls, events) -> None:
        places = _places_by_id({event.place_id for event in events})
        rows = PARTICIPANTS.grouped([event.id for event in events], ("actor__name", "role"))
        for event in events:
            event.acled_row = acled_row(event, places, rows.get(event.id, ()))


class AcledRenderer(DatasetCSVRenderer):
    format = "acled"
    export = AcledExport
    openapi_schema = {
        "type": "string",
        "description": "The whole filtered list in ACLED's 31-column CSV layout (`data_id` to "
        "`iso3`), empty where an event holds nothing for a column; imports back with "
        "`manage.py import_acled` unchanged.",
    }
