"""ACLED's CSV export in: places, actors, the event, and ACLED's claim that it happened.

Each row becomes one bundle (datasets.importing):

- **places**: ``country`` > ``admin1`` > ``admin2`` > ``admin3`` > ``location`` (a locality,
  with the row's coordinates), each matched by name, kind and parent, so rows share them;
- **actors**: ``actor1`` and ``assoc_actor_1`` as initiators, ``actor2`` and
  ``assoc_actor_2`` as targets (organisations, matched by name);
- **the event**, upserted by ``acled:<event_id_cnty>``, with ``fatalities``,
  ``sub_event_type``, ``time_precision`` as ``date_precision`` and the columns without a
  field in ``dataset_attributes["acled"]``;
- **provenance**: ACLED (an organisation) states the event in a supporting statement (its
  ``notes``), published in a dataset-record source that ACLED publishes; each outlet of the
  row's ``source`` column is an organisation that publishes a source the record cites.

ACLED has no public address per event, so the record's source URL is built from
``EVENTSAPI_ACLED_RECORD_URL`` and the id, and an outlet's citation is that URL with the
outlet's name as ``cited``: stable, unique addresses, not pages to visit.
"""

import csv
import datetime
import io
from urllib.parse import quote

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q

from bundles.natural_keys import with_external_id_exactly
from claims.models import Source, SourceKind, Statement
from datasets.importing import DeletionRefused, FileUnreadable, Plan, Problem, Row, RowError, parse_timestamp
from datasets.models import DatasetRecord
from datasets.provenance import (
    DatasetActor,
    DatasetImport,
    PlaceChain,
    add_record_source,
    dataset_statement,
    restore_record,
)
from events import acled
from events.models import ActorKind, Event, EventType, ParticipantRole, PlaceKind, SubEventType
from eventsapi.services import resource_tombstone

SCHEME = acled.SCHEME
REQUIRED_COLUMNS = ("event_id_cnty", "event_date", "event_type", "actor1", "country")
DATE_FORMATS = ("%d %B %Y", "%Y-%m-%d", "%d %b %Y", "%d-%B-%Y", "%d-%b-%Y", "%d/%m/%Y")
DATASET = DatasetActor(
    name="ACLED",
    description="Armed Conflict Location & Event Data Project: a dataset of political violence "
    "and protest events.",
    website="https://acleddata.com/",
)


def read_text(path: str) -> str:
    """The file's text: UTF-8, with or without a byte-order mark; anything else is refused."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise FileUnreadable(f"{path}: {error.strerror}.") from error
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FileUnreadable(
            f"{path}: not UTF-8 (byte 0x{data[error.start]:02x} on line {line}). Export the file as "
            "UTF-8, or convert it (iconv -f latin1 -t utf-8)."
        ) from None


def _delimiter(header_line: str) -> str:
    counts = {delimiter: header_line.count(delimiter) for delimiter in (",", ";", "\t")}
    delimiter = max(counts, key=counts.get)
    if counts[delimiter] == 0:
        raise FileUnreadable("The header row has no comma, semicolon or tab: this is not a CSV file.")
    return delimiter


def read_csv(path: str, required: tuple[str, ...]) -> tuple[list[str], list[tuple[int, dict]]]:
    """``(header, [(line, {column: value})])`` of a CSV file whose header names ``required``.

    Quoted fields may hold commas, quotes and newlines; ``line`` is where a record starts.
    """
    text = read_text(path)
    if not text.strip():
        raise FileUnreadable(f"{path} is empty.")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.splitlines()[0]))
    try:
        header = [name.strip() for name in next(reader)]
        missing = [name for name in required if name not in header]
        if missing:
            raise FileUnreadable(
                f"The header row lacks {', '.join(missing)}; found {', '.join(header[:8])}"
                + ("..." if len(header) > 8 else "")
                + ". Is this the right file?"
            )
        records, line = [], reader.line_num + 1
        for fields in reader:
            if fields:
                records.append((line, fields))
            line = reader.line_num + 1
    except csv.Error as error:
        raise FileUnreadable(f"{path}, line {reader.line_num}: {error}.") from error
    return header, [(start, _as_mapping(header, fields, start)) for start, fields in records]


def _as_mapping(header: list[str], fields: list[str], line: int) -> dict | Problem:
    if len(fields) != len(header):
        return Problem(line, "", f"the row has {len(fields)} fields where the header has {len(header)}.")
    return {name: value.strip() for name, value in zip(header, fields, strict=True)}


def parse_date(value: str, column: str = "event_date") -> datetime.date:
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, date_format).date()
        except ValueError:
            continue
    raise RowError(column, f"{value!r} is not a date (04 September 2021 or 2021-09-04).")


def _number(values: dict, column: str) -> float | None:
    text = values.get(column, "")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise RowError(column, f"{text!r} is not a number.") from None


def _count(values: dict, column: str) -> int | None:
    text = values.get(column, "")
    if not text:
        return None
    if not text.isdigit():
        raise RowError(column, f"{text!r} is not a whole number of 0 or more.")
    return int(text)


def country_code(values: dict) -> str:
    """ISO 3166-1 alpha-2 from ``iso3`` or the numeric ``iso``; empty when neither is known."""
    for column, lookup in (("iso3", "alpha_3"), ("iso", "numeric")):
        code = values.get(column, "")
        if code:
            country = pycountry.countries.get(**{lookup: code.zfill(3) if lookup == "numeric" else code})
            if country is not None:
                return country.alpha_2
    return ""


def _distinct(*fields: str) -> list[str]:
    """The actors named in ``fields``, each once (an associated actor may repeat the main one)."""
    names: dict[str, str] = {}
    for text in fields:
        for name in acled.split_names(text):
            names.setdefault(name.casefold(), name)
    return list(names.values())


def parse_row(line: int, values: dict) -> Row:
    """A row's values as the plan reads them; ``RowError`` names the first bad column."""
    record_id = values.get("event_id_cnty", "")
    if not record_id:
        raise RowError("event_id_cnty", "the row has no event id.")
    event_type = acled.EVENT_TYPES.get(values.get("event_type", ""))
    if event_type is None:
        raise RowError(
            "event_type",
            f"{values.get('event_type')!r} is not one of ACLED's event types "
            f"({', '.join(acled.EVENT_TYPES)}).",
        )
    sub_event_type = ""
    if values.get("sub_event_type"):
        choice = acled.SUB_EVENT_TYPES.get(values["sub_event_type"])
        if choice is None:
            raise RowError(
                "sub_event_type", f"{values['sub_event_type']!r} is not one of ACLED's sub-event types."
            )
        sub_event_type = choice.value
    precision = acled.TIME_PRECISIONS.get(values.get("time_precision") or "1")
    if precision is None:
        raise RowError(
            "time_precision", f"{values['time_precision']!r} is not 1 (day), 2 (week) or 3 (month)."
        )
    latitude, longitude = _number(values, "latitude"), _number(values, "longitude")
    if (latitude is None) != (longitude is None):
        raise RowError("longitude" if longitude is None else "latitude", "give both latitude and longitude.")
    if latitude is not None and not -90 <= latitude <= 90:
        raise RowError("latitude", f"{latitude} is not between -90 and 90.")
    if longitude is not None and not -180 <= longitude <= 180:
        raise RowError("longitude", f"{longitude} is not between -180 and 180.")
    timestamp = values.get("timestamp", "")
    if timestamp and not timestamp.isdigit():
        raise RowError("timestamp", f"{timestamp!r} is not a Unix time in seconds.")
    parsed = {
        "event_id_cnty": record_id,
        "event_date": parse_date(values["event_date"]).isoformat(),
        "date_precision": precision,
        "event_type": event_type,
        "sub_event_type": sub_event_type,
        "initiators": _distinct(values.get("actor1", ""), values.get("assoc_actor_1", "")),
        "targets": _distinct(values.get("actor2", ""), values.get("assoc_actor_2", "")),
        "country": values.get("country", ""),
        "country_code": country_code(values),
        "admin": [values.get(column, "") for column in ("admin1", "admin2", "admin3")],
        "location": values.get("location", ""),
        "latitude": latitude,
        "longitude": longitude,
        "outlets": acled.split_names(values.get("source", "")),
        "notes": values.get("notes", ""),
        "fatalities": _count(values, "fatalities"),
        "attributes": {column: values.get(column, "") for column in acled.ATTRIBUTE_COLUMNS},
    }
    return Row(line=line, record_id=record_id, values=parsed)


def read_rows(path: str) -> list[Row | Problem]:
    _, records = read_csv(path, REQUIRED_COLUMNS)
    rows: list[Row | Problem] = []
    for line, values in records:
        if isinstance(values, Problem):
            rows.append(values)
            continue
        try:
            rows.append(parse_row(line, values))
        except RowError as error:
            rows.append(Problem(line, error.column, error.message, values.get("event_id_cnty", "")))
    return rows


def record_url(record_id: str) -> str:
    return settings.EVENTSAPI_ACLED_RECORD_URL.format(id=quote(record_id, safe=""))


def _title(values: dict) -> str:
    what = (
        SubEventType(values["sub_event_type"]).label
        if values["sub_event_type"]
        else EventType(values["event_type"]).label
    )
    where = ", ".join(
        name
        for name in (
            values["location"] or next((name for name in reversed(values["admin"]) if name), ""),
            values["country"],
        )
        if name
    )
    return f"{what} in {where}"[:300] if where else what


def _statement_text(values: dict) -> str:
    if values["notes"]:
        return values["notes"]
    return f"{_title(values)} on {values['event_date']}."


class AcledDataset(DatasetImport):
    """The ``Importer``'s dataset: ACLED rows to bundles."""

    scheme = SCHEME

    def prepare(self, row: Row, record) -> None:
        updated = parse_timestamp(row.values["attributes"]["timestamp"])
        deleted_at = restore_record(record, updated=updated)
        if deleted_at is not None:
            raise RowError(
                "timestamp",
                f"ACLED deleted this event at {deleted_at.isoformat()}, after this row's timestamp; "
                "import a newer export to bring it back.",
            )
        held = (
            record.event.dataset_attributes.get(SCHEME, {}).get("timestamp")
            if record and record.event
            else None
        )
        held = parse_timestamp(str(held)) if held and str(held).isdigit() else None
        if updated is not None and held is not None and updated < held:
            raise RowError(
                "timestamp",
                f"this row is older ({updated.isoformat()}) than the version already imported "
                f"({held.isoformat()}), which stays.",
            )

    def plan(self, row: Row, known: dict) -> Plan:
        values = row.values
        plan = Plan()
        dataset = DATASET.reference(plan, known)
        place = PlaceChain(plan, known).place(
            [(values["country"], PlaceKind.COUNTRY, {"country_code": values["country_code"]}, "country")]
            + [
                (name, kind, {"country_code": values["country_code"]}, column)
                for name, kind, column in zip(
                    values["admin"],
                    (PlaceKind.ADMIN1, PlaceKind.ADMIN2, PlaceKind.ADMIN3),
                    ("admin1", "admin2", "admin3"),
                    strict=True,
                )
            ]
            + [
                (
                    values["location"],
                    PlaceKind.LOCALITY,
                    {
                        "country_code": values["country_code"],
                        "latitude": values["latitude"],
                        "longitude": values["longitude"],
                    },
                    "location",
                )
            ]
        )
        participants = []
        for names, role, column in (
            (values["initiators"], ParticipantRole.INITIATOR, "actor1"),
            (values["targets"], ParticipantRole.TARGET, "actor2"),
        ):
            for name in names:
                actor = DatasetActor.organization(plan, known, name, column)
                participants.append({"actor": actor, "role": role})
        existing = self.add_event(
            plan,
            values["event_id_cnty"],
            {
                "title": _title(values),
                "summary": values["notes"],
                "event_type": values["event_type"],
                "sub_event_type": values["sub_event_type"],
                "start_date": values["event_date"],
                "end_date": None,
                "date_precision": values["date_precision"],
                "place": place,
                "participants": participants,
                "fatalities": values["fatalities"],
                "dataset_attributes": values["attributes"],
            },
            columns={
                "title": "notes",
                "summary": "notes",
                "event_type": "event_type",
                "sub_event_type": "sub_event_type",
                "start_date": "event_date",
                "date_precision": "time_precision",
                "fatalities": "fatalities",
                "participants": "actor1",
                "dataset_attributes": "*",
                "*": "event_id_cnty",
            },
        )
        published = parse_timestamp(values["attributes"]["timestamp"])
        url = record_url(values["event_id_cnty"])
        cited = []
        for index, outlet in enumerate(values["outlets"]):
            publisher = DatasetActor.organization(plan, known, outlet, "source")
            lid = f"cited{index}"
            plan.add(
                {
                    "op": "upsert",
                    "resource": "sources",
                    "lid": lid,
                    "match": {
                        "url": f"{url}&cited={quote(outlet)}"
                        if "?" in url
                        else f"{url}?cited={quote(outlet)}"
                    },
                    "data": {
                        "kind": SourceKind.OTHER,
                        "title": f"{outlet}, as cited by ACLED event {values['event_id_cnty']}",
                        "publisher": publisher,
                    },
                },
                columns={"*": "source"},
            )
            cited.append({"lid": lid})
        add_record_source(
            plan,
            url=url,
            title=f"ACLED event {values['event_id_cnty']}",
            publisher=dataset,
            cited=cited,
            columns={"published_at": "timestamp", "*": "event_id_cnty"},
            published_at=published.isoformat() if published else None,
        )
        stated_on = published.date().isoformat() if published else values["event_date"]
        plan.statement_lid = "claim"
        plan.add(
            dataset_statement(
                existing.statement,
                speaker=dataset,
                text=_statement_text(values),
                stated_on=stated_on,
                sources=[{"lid": "record"}, *cited],
            ),
            columns={"text": "notes", "stated_on": "timestamp", "*": "event_id_cnty"},
        )
        return plan


def statements_of(record) -> list[Statement]:
    """The dataset's statements about a record's event."""
    if record is None or record.event_id is None:
        return []
    return list(
        Statement.all_objects.filter(
            Q(pk=record.statement_id)
            | Q(
                events=record.event_id,
                speaker__name__iexact=DATASET.name,
                speaker__kind=ActorKind.ORGANIZATION,
            )
        ).distinct()
    )


def read_deletions(path: str) -> list[tuple[int, dict] | Problem]:
    """ACLED's deleted-events file: ``event_id_cnty`` and ``deleted_timestamp`` a row."""
    _, records = read_csv(path, ("event_id_cnty", "deleted_timestamp"))
    deletions = []
    for line, values in records:
        if isinstance(values, Problem):
            deletions.append(values)
        elif not values["deleted_timestamp"].isdigit():
            deletions.append(
                Problem(
                    line,
                    "deleted_timestamp",
                    f"{values['deleted_timestamp']!r} is not a Unix time.",
                    values["event_id_cnty"],
                )
            )
        else:
            deletions.append((line, values))
    return deletions


def delete_record(item: tuple[int, dict]) -> str | Problem:
    """Tombstone the event an ACLED id became, with ACLED's statement and record sources."""
    line, values = item
    record_id = values["event_id_cnty"]
    deleted_at = parse_timestamp(values["deleted_timestamp"])
    record = DatasetRecord.objects.filter(scheme=SCHEME, record_id=record_id).select_related("event").first()
    event = record.event if record is not None else None
    if event is None:
        event = with_external_id_exactly(
            Event.all_objects.order_by("created_at"), scheme=SCHEME, value=record_id
        ).first()
    if event is None:
        return Problem(line, "event_id_cnty", "no event has this ACLED id.", record_id)
    if event.deleted_at is not None:
        return "unchanged"
    updated = parse_timestamp(str(event.dataset_attributes.get(SCHEME, {}).get("timestamp") or ""))
    if updated is not None and updated > deleted_at:
        return Problem(
            line,
            "deleted_timestamp",
            "ACLED exported the event again after this deletion; it stays.",
            record_id,
        )
    try:
        for statement in statements_of(record):
            if statement.deleted_at is None:
                sources = list(Source.all_objects.filter(statements=statement, deleted_at__isnull=True))
                resource_tombstone(resource=statement)
                for source in sources:
                    if not source.live_references():
                        resource_tombstone(resource=source)
        resource_tombstone(resource=event)
    except ValidationError as error:
        raise DeletionRefused(Problem(line, "event_id_cnty", " ".join(error.messages), record_id)) from error
    if record is not None:
        record.deleted_at = deleted_at
        record.save(update_fields=["deleted_at"])
    else:
        DatasetRecord.objects.create(
            scheme=SCHEME, record_id=record_id, digest="", event=event, deleted_at=deleted_at
        )
    return "tombstoned"
