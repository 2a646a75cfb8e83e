"""ACLED's CSV layout and vocabulary, as our events hold them: the columns of the classic
31-column export, its event types, sub-event types and time precisions.

The export (``?format=acled``, events.api.exports) and the importer (datasets.acled) both
read these, so an import of an export is a no-op.
"""

from events.models import DatePrecision, EventType, SubEventType

COLUMNS = (
    "data_id",
    "iso",
    "event_id_cnty",
    "event_id_no_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "timestamp",
    "iso3",
)

# Columns without an Event field: kept as written in ``dataset_attributes["acled"]``.
ATTRIBUTE_COLUMNS = (
    "data_id",
    "iso",
    "event_id_no_cnty",
    "inter1",
    "inter2",
    "interaction",
    "region",
    "geo_precision",
    "source",
    "source_scale",
    "timestamp",
    "iso3",
)

SCHEME = "acled"

EVENT_TYPES = {
    "Battles": EventType.BATTLE,
    "Explosions/Remote violence": EventType.EXPLOSION_REMOTE_VIOLENCE,
    "Violence against civilians": EventType.VIOLENCE_AGAINST_CIVILIANS,
    "Protests": EventType.PROTEST,
    "Riots": EventType.RIOT,
    "Strategic developments": EventType.STRATEGIC_DEVELOPMENT,
}
ACLED_EVENT_TYPE = {ours: theirs for theirs, ours in EVENT_TYPES.items()}

SUB_EVENT_TYPES = {choice.label: choice for choice in SubEventType}

# ACLED's time_precision: 1 the day is known, 2 the week (or a few days), 3 only the month.
TIME_PRECISIONS = {"1": DatePrecision.DAY, "2": DatePrecision.WEEK, "3": DatePrecision.MONTH}
ACLED_TIME_PRECISION = {ours: theirs for theirs, ours in TIME_PRECISIONS.items()}

ACTOR_SEPARATOR = ";"


def split_names(value: str) -> list[str]:
    """``"A; B"`` as ``["A", "B"]``: ACLED's lists of associated actors and of outlets."""
    seen = []
    for name in value.split(ACTOR_SEPARATOR):
        name = " ".join(name.split())
        if name and name not in seen:
            seen.append(name)
    return seen


def format_coordinate(value: float | None) -> str:
    return "" if value is None else repr(float(value))
