"""UCDP's Georeferenced Event Dataset (GED) in, as its API serves it: pages of ``Result``.

Each event becomes a bundle like an ACLED row (datasets.acled): places, the two sides as
participants, the event upserted by ``ucdp:<id>``, and UCDP's supporting statement of it in
a dataset-record source (``EVENTSAPI_UCDP_RECORD_URL``, UCDP's own page of the event) that
cites the articles named in ``source_article`` and ``source_office`` where they carry a URL.

- ``type_of_violence``: 1 (state-based) and 2 (non-state) are battles, 3 (one-sided) is
  violence against civilians; the code itself stays in ``dataset_attributes``.
- ``date_prec``: 1 the day, 2 and 3 the week, 4 the month, 5 the year.
- ``where_prec``: 1 and 2 a locality at the coordinates, 3 the district (``adm_2``),
  4 the province (``adm_1``), 5 and 7 a feature at the coordinates, 6 the country.
- ``best`` is ``fatalities``; ``low``, ``high``, the deaths by side and every other field
  are kept in ``dataset_attributes["ucdp"]``.
"""

import datetime
import re

from django.conf import settings

from claims.models import SourceKind
from datasets.importing import FileUnreadable, Plan, Problem, Row, RowError, read_json
from datasets.provenance import (
    DatasetActor,
    DatasetImport,
    PlaceChain,
    add_record_source,
    dataset_statement,
    restore_record,
)
from events.models import DatePrecision, EventType, ParticipantRole, PlaceKind

SCHEME = "ucdp"
DATASET = DatasetActor(
    name="UCDP",
    description="Uppsala Conflict Data Program: its Georeferenced Event Dataset (GED) of organised violence.",
    website="https://ucdp.uu.se/",
)
VIOLENCE = {
    1: (EventType.BATTLE, "State-based armed conflict"),
    2: (EventType.BATTLE, "Non-state conflict"),
    3: (EventType.VIOLENCE_AGAINST_CIVILIANS, "One-sided violence"),
}
DATE_PRECISIONS = {
    1: DatePrecision.DAY,
    2: DatePrecision.WEEK,
    3: DatePrecision.WEEK,
    4: DatePrecision.MONTH,
    5: DatePrecision.YEAR,
}
# Fields read into the event's own fields; every other one is kept in dataset_attributes.
MAPPED_FIELDS = ("id", "best", "date_start", "date_end", "latitude", "longitude")
URL = re.compile(r"https?://[^\s,;\"'<>]+")


def read_events(path: str) -> list[dict]:
    """The events of a GED API page (``{"Result": [...]}``), a list of pages, or a list of events."""
    data = read_json(path)
    pages = data if isinstance(data, list) else [data]
    events = []
    for page in pages:
        if isinstance(page, dict) and "Result" in page:
            if not isinstance(page["Result"], list):
                raise FileUnreadable(f"{path}: `Result` is not a list of events.")
            events.extend(page["Result"])
        elif isinstance(page, dict) and "type_of_violence" in page:
            events.append(page)
        else:
            raise FileUnreadable(f"{path}: expected UCDP GED API pages (objects with a `Result` list).")
    return events


def parse_date(value, column: str) -> datetime.date:
    """``2021-09-04``, with or without a time (``T00:00:00.000`` or `` 00:00:00.000``)."""
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise RowError(column, f"{value!r} is not a date (2021-09-04).")


def _integer(event: dict, column: str, *, required: bool = False) -> int | None:
    value = event.get(column)
    if value in (None, "") and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).strip().isdigit():
        raise RowError(column, f"{value!r} is not a whole number of 0 or more.")
    return int(value)


def _coordinate(event: dict, column: str, bound: int) -> float | None:
    value = event.get(column)
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise RowError(column, f"{value!r} is not a number.") from None
    if not -bound <= number <= bound:
        raise RowError(column, f"{number} is not between -{bound} and {bound}.")
    return number


def _text(event: dict, column: str) -> str:
    value = event.get(column)
    return "" if value is None else " ".join(str(value).split())


def parse_event(index: int, event) -> Row:
    if not isinstance(event, dict):
        raise RowError("", "an event is a JSON object.")
    record_id = event.get("id")
    if record_id in (None, "") or isinstance(record_id, bool):
        raise RowError("id", "the event has no id.")
    violence = _integer(event, "type_of_violence", required=True)
    if violence not in VIOLENCE:
        raise RowError("type_of_violence", f"{violence} is not 1, 2 or 3.")
    start, end = (
        parse_date(event.get("date_start"), "date_start"),
        parse_date(event.get("date_end"), "date_end"),
    )
    if end < start:
        raise RowError("date_end", "date_end is before date_start.")
    precision = DATE_PRECISIONS.get(_integer(event, "date_prec") or 1)
    if precision is None:
        raise RowError("date_prec", f"{event.get('date_prec')!r} is not 1 to 5.")
    latitude, longitude = _coordinate(event, "latitude", 90), _coordinate(event, "longitude", 180)
    if (latitude is None) != (longitude is None):
        raise RowError("longitude" if longitude is None else "latitude", "give both latitude and longitude.")
    attributes = {}
    for name, value in event.items():
        if name in MAPPED_FIELDS:
            continue
        if not isinstance(value, (str, int, float, bool, type(None))):
            raise RowError(name, "UCDP's fields are strings, numbers or null.")
        attributes[name] = value
    values = {
        "id": str(record_id),
        "violence": violence,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "precision": precision,
        "where_prec": _integer(event, "where_prec") or 1,
        "side_a": _text(event, "side_a"),
        "side_b": _text(event, "side_b"),
        "country": _text(event, "country"),
        "adm_1": _text(event, "adm_1"),
        "adm_2": _text(event, "adm_2"),
        "where": _text(event, "where_coordinates"),
        "latitude": latitude,
        "longitude": longitude,
        "best": _integer(event, "best"),
        "low": _integer(event, "low"),
        "high": _integer(event, "high"),
        "urls": sorted(
            {
                url.rstrip(".)")
                for column in ("source_article", "source_office")
                for url in URL.findall(_text(event, column))
            }
        ),
        "attributes": attributes,
    }
    return Row(line=index, record_id=values["id"], values=values, unit="record")


def read_rows(path: str) -> list[Row | Problem]:
    rows: list[Row | Problem] = []
    for index, event in enumerate(read_events(path), start=1):
        try:
            rows.append(parse_event(index, event))
        except RowError as error:
            record_id = str(event.get("id", "")) if isinstance(event, dict) else ""
            rows.append(Problem(index, error.column, error.message, record_id, "record"))
    return rows


def _where(values: dict) -> str:
    return values["where"] or values["adm_2"] or values["adm_1"] or values["country"]


def _title(values: dict) -> str:
    label = VIOLENCE[values["violence"]][1]
    where = ", ".join(name for name in dict.fromkeys((_where(values), values["country"])) if name)
    return f"{label} in {where}"[:300] if where else label


def _statement_text(values: dict) -> str:
    sides = " and ".join(side for side in (values["side_a"], values["side_b"]) if side) or "unnamed sides"
    days = values["start"] if values["start"] == values["end"] else f"{values['start']} to {values['end']}"
    deaths = "no death estimate"
    if values["best"] is not None:
        deaths = f"a best estimate of {values['best']} deaths"
        if values["low"] is not None and values["high"] is not None:
            deaths += f" (low {values['low']}, high {values['high']})"
    where = _where(values) or "an unnamed place"
    return f"{VIOLENCE[values['violence']][1]} between {sides} in {where}, {days}: {deaths}."


class UcdpDataset(DatasetImport):
    """The ``Importer``'s dataset: UCDP GED events to bundles."""

    scheme = SCHEME

    def prepare(self, row: Row, record) -> None:
        restore_record(record, updated=None)

    def _place(self, plan: Plan, known: dict, values: dict):
        precision = values["where_prec"]
        coordinates = {"latitude": values["latitude"], "longitude": values["longitude"]}
        levels = [(values["country"], PlaceKind.COUNTRY, {}, "country")]
        if precision <= 4 or precision == 5:
            levels.append((values["adm_1"], PlaceKind.ADMIN1, {}, "adm_1"))
        if precision <= 3 or precision == 5:
            levels.append((values["adm_2"], PlaceKind.ADMIN2, {}, "adm_2"))
        if precision <= 2:
            levels.append((values["where"], PlaceKind.LOCALITY, coordinates, "where_coordinates"))
        elif precision in (5, 7):
            levels.append((values["where"], PlaceKind.FEATURE, coordinates, "where_coordinates"))
        return PlaceChain(plan, known).place(levels)

    def plan(self, row: Row, known: dict) -> Plan:
        values = row.values
        plan = Plan()
        dataset = DATASET.reference(plan, known)
        place = self._place(plan, known, values)
        participants = []
        for name, role, column in (
            (values["side_a"], ParticipantRole.INITIATOR, "side_a"),
            (values["side_b"], ParticipantRole.TARGET, "side_b"),
        ):
            if name:
                participants.append(
                    {"actor": DatasetActor.organization(plan, known, name, column), "role": role}
                )
        existing = self.add_event(
            plan,
            values["id"],
            {
                "title": _title(values),
                "summary": _statement_text(values),
                "event_type": VIOLENCE[values["violence"]][0],
                "start_date": values["start"],
                "end_date": None if values["end"] == values["start"] else values["end"],
                "date_precision": values["precision"],
                "place": place,
                "participants": participants,
                "fatalities": values["best"],
                "dataset_attributes": values["attributes"],
            },
            columns={
                "start_date": "date_start",
                "end_date": "date_end",
                "fatalities": "best",
                "participants": "side_a",
                "*": "id",
            },
        )
        cited = []
        for index, url in enumerate(values["urls"]):
            lid = f"article{index}"
            plan.add(
                {
                    "op": "upsert",
                    "resource": "sources",
                    "lid": lid,
                    "match": {"url": url},
                    "data": {"kind": SourceKind.ARTICLE},
                },
                columns={"*": "source_article"},
            )
            cited.append({"lid": lid})
        add_record_source(
            plan,
            url=settings.EVENTSAPI_UCDP_RECORD_URL.format(id=values["id"]),
            title=f"UCDP GED event {values['id']}",
            publisher=dataset,
            cited=cited,
            columns={"*": "id"},
        )
        # GED rows carry no date of their own: UCDP's statement is dated the event's last day.
        plan.statement_lid = "claim"
        plan.add(
            dataset_statement(
                existing.statement,
                speaker=dataset,
                text=_statement_text(values),
                stated_on=values["end"],
                sources=[{"lid": "record"}, *cited],
            ),
            columns={"*": "id"},
        )
        return plan
