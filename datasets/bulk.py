"""New records of many rows written at once: the importers' fast path for a first import.

A row whose records are all new (no event with its id, none of its sources' addresses
recorded, its places and actors already known) would, through the bundles' runner, only
create: an event with its participants, sources, and the dataset's statement with its
stance and sources. This module builds those records from the very operations the row's
bundle would post, checks each with the model's own field rules (of the fields the row sets)
and ``clean()``, and writes a whole batch with PostgreSQL's COPY (eventsapi.bulk_insert),
each record's first version in the history and in the change feed
(changes.services.resources_bulk_create). A new event's claim summary is written with it,
counted from the batch's stances by the triggers' rule (claims.claim_summary.figures); the
summaries of other events the batch's stances name are refreshed once per batch.

Anything else (a row that updates, matches, or fails a check) is not written here: the
importer runs it through the bundles' runner, which answers it in full.
"""

import datetime
import functools
import re
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import connections, transaction
from django.db.models import Q
from django.db.models.base import ModelState
from django.utils.dateparse import parse_datetime

from changes.services import resources_bulk_create
from claims import claim_summary
from claims.models import Source, Statement, StatementEvent
from claims.urls_normalization import normalize_source_url, remember_canonical
from datasets.models import DatasetRecord
from events.models import Actor, Event, Participant, Place
from eventsapi.bulk_insert import insert_instances, insert_rows
from matching.services import actor_names_refresh, statement_keys_refresh

if TYPE_CHECKING:
    from datasets.importing import Plan, Row

BULK_RESOURCES = frozenset({"events", "sources", "statements"})
LOOKUP_CHUNK = 500


class NotBulk(Exception):
    """The row needs the bundles' runner (it finds existing records, or a check fails)."""


# The link rows of a batch are plain tuples of these fields.
PARTICIPANT = ("event_id", "actor_id", "role")
CITE = ("from_source_id", "to_source_id")
STANCE = ("statement_id", "event_id", "stance")
STATEMENT_SOURCE = ("statement_id", "source_id")


@dataclass
class Batch:
    events: list[Event] = field(default_factory=list)
    participants: list[tuple] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    cites: list[tuple] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    stances: list[tuple] = field(default_factory=list)
    statement_sources: list[tuple] = field(default_factory=list)
    records: list[DatasetRecord] = field(default_factory=list)


class Entry(NamedTuple):
    """What the bulk path needs of a row and its plan: plain values, cheap to pickle for the
    import's writer process (datasets.writer), which builds and writes the records. Its
    sources' addresses are normalised already (``already_recorded`` did it)."""

    record_id: str
    digest: str
    operations: list[dict]
    event_lid: str | None
    statement_lid: str | None

    @classmethod
    def of(cls, row: "Row", plan: "Plan") -> "Entry":
        return cls(row.record_id, row.digest, plan.operations, plan.event_lid, plan.statement_lid)


def _reference(value, ids: dict[str, uuid.UUID]) -> uuid.UUID | None:
    if value is None:
        return None
    if "lid" in value:
        if value["lid"] not in ids:
            raise NotBulk(f"lid {value['lid']} is not a record of this row")
        return ids[value["lid"]]
    return uuid.UUID(value["id"])


class _Placeholders(dict):
    """Ids for records a row's plan has yet to make (its new places and actors): enough to
    check the rest of the row before anything is written."""

    def __missing__(self, lid: str) -> uuid.UUID:
        self[lid] = uuid.uuid4()
        return self[lid]

    def __contains__(self, lid) -> bool:
        return True


@functools.cache
def _field_checks(model, given: frozenset[str]) -> tuple:
    """``(attname, field, validators, choices)`` of the ``given`` fields of ``model``."""
    checks = []
    for model_field in model._meta.concrete_fields:
        if model_field.name not in given or model_field.generated:
            continue
        validators = tuple(
            _HostOnceURLValidator(validator) if isinstance(validator, URLValidator) else validator
            for validator in model_field.validators
        )
        choices = frozenset(value for value, _ in model_field.flatchoices) if model_field.choices else None
        checks.append((model_field.attname, model_field, validators, choices))
    return tuple(checks)


@functools.cache
def _defaults(model) -> tuple[dict, tuple]:
    """``(constant defaults by attname, (attname, callable default) pairs)`` of ``model``."""
    constants, factories = {}, []
    for model_field in model._meta.concrete_fields:
        if model_field.generated:
            continue
        if model_field.has_default() and callable(model_field.default):
            factories.append((model_field.attname, model_field.default))
        else:
            constants[model_field.attname] = model_field.get_default()
    return constants, tuple(factories)


def new_instance(model, **values):
    """``model(**values)`` with ``values`` by attname, as ``Model.__init__`` leaves it (every
    field its default but those given), at a third of its cost: a first import makes six
    instances a row. No model's ``pre_init``/``post_init`` is sent (none is connected)."""
    constants, factories = _defaults(model)
    instance = model.__new__(model)
    instance._state = ModelState()
    attributes = instance.__dict__
    attributes.update(constants)
    for attname, factory in factories:
        if attname not in values:
            attributes[attname] = factory()
    attributes.update(values)
    return instance


def _checked(instance, given):
    """``instance`` after the rules ``full_clean`` holds for the ``given`` fields (those the
    row sets; the rest hold their defaults), as strictly: each field's blank, null and choices
    rules and validators, then the model's ``clean()``; keys and uniqueness are the
    database's to hold. Compiled once per model, it costs a fraction of ``full_clean`` (a
    first import checks every record it writes); a value it refuses goes to the runner,
    which checks it again and says why."""
    try:
        for attname, model_field, validators, choices in _field_checks(type(instance), frozenset(given)):
            raw = getattr(instance, attname)
            if model_field.blank and raw in model_field.empty_values:
                continue
            value = model_field.to_python(raw)
            if isinstance(value, str) and "\x00" in value:
                # PostgreSQL's text cannot hold it; the API refuses it (the runner says so).
                raise NotBulk(f"{attname} holds a NUL character")
            empty = value in model_field.empty_values
            if model_field.editable:
                if choices is not None and not empty and value not in choices:
                    raise NotBulk(f"{attname}: {value!r} is not a choice")
                if (value is None and not model_field.null) or (empty and not model_field.blank):
                    raise NotBulk(f"{attname} is required")
            if not empty:
                for validator in validators:
                    validator(value)
            setattr(instance, attname, value)
        instance.clean()
    except ValidationError as error:
        raise NotBulk(str(error)) from error
    except TypeError as error:  # an unhashable value for a field with choices
        raise NotBulk(str(error)) from error
    return instance


_URL_REST = re.compile(r"[/?#][^\s]*\Z")


class _HostOnceURLValidator:
    """Django's ``URLValidator``, its costly part (scheme, host, port) run once per distinct
    ``scheme://host``: what follows the host is valid when it starts with ``/``, ``?`` or ``#``
    and holds no whitespace, the validator's own rule for it. Anything else is checked whole."""

    def __init__(self, validator: URLValidator):
        self.validator = validator
        self.head_valid = functools.lru_cache(maxsize=4096)(self._head_valid)

    def _head_valid(self, head: str) -> bool:
        try:
            self.validator(head)
        except ValidationError:
            return False
        return True

    def __call__(self, value) -> None:
        if isinstance(value, str) and len(value) <= self.validator.max_length:
            scheme, separator, rest = value.partition("://")
            end = min((index for index in map(rest.find, "/?#") if index >= 0), default=len(rest))
            head, tail = f"{scheme}://{rest[:end]}", rest[end:]
            if (
                separator
                and not self.validator.unsafe_chars.intersection(value)
                and (not tail or _URL_REST.match(tail))
                and self.head_valid(head)
            ):
                return
        self.validator(value)


def _event(data: dict, ids: dict) -> tuple[Event, list[tuple]]:
    fields = {
        name: data.get(name)
        for name in (
            "title",
            "summary",
            "event_type",
            "sub_event_type",
            "start_date",
            "end_date",
            "date_precision",
            "fatalities",
            "external_ids",
            "dataset_attributes",
        )
        if name in data
    }
    for name in ("start_date", "end_date"):
        if fields.get(name):
            fields[name] = datetime.date.fromisoformat(fields[name])
    event = _checked(new_instance(Event, place_id=_reference(data.get("place"), ids), **fields), fields)
    participants = []
    seen = set()
    for item in data.get("participants", []):
        key = (_reference(item["actor"], ids), item["role"])
        if key in seen:
            raise NotBulk("a participant twice")
        seen.add(key)
        participants.append((event.pk, key[0], item["role"]))
    return event, participants


def _source(match: dict, data: dict, ids: dict) -> Source:
    published_at = data.get("published_at")
    source = new_instance(
        Source,
        url=normalize_source_url(match["url"]),
        kind=data["kind"],
        title=data.get("title", ""),
        publisher_id=_reference(data.get("publisher"), ids),
        published_at=parse_datetime(published_at) if published_at else None,
    )
    return _checked(source, ("url", "kind", "title", "published_at"))


def _statement(match: dict, data: dict, ids: dict) -> Statement:
    statement = new_instance(
        Statement,
        text=data.get("text", match.get("text")),
        speaker_id=_reference(data.get("speaker", match.get("speaker")), ids),
        stated_on=datetime.date.fromisoformat(data.get("stated_on", match.get("stated_on"))),
        is_direct_quote=data.get("is_direct_quote", False),
        channel=data.get("channel", ""),
        language=data.get("language", ""),
    )
    return _checked(statement, ("text", "stated_on", "is_direct_quote", "channel", "language"))


def check_row(scheme: str, row: "Row", plan: "Plan") -> None:
    """``NotBulk`` unless the records of the row's plan pass their checks, its places and
    actors not made yet: a row that would fail makes nothing before the runner says why."""
    add_row(Batch(), scheme, Entry.of(row, plan), placeholders=True)


def build(scheme: str, entries: list[Entry]) -> tuple[Batch, list[int]]:
    """The records of ``entries``, and the indexes of those refused (``NotBulk``: their rows
    go to the runner, which says why)."""
    # Normalising an address again costs as much as the first time in another process.
    remember_canonical(
        operation["match"]["url"]
        for entry in entries
        for operation in entry.operations
        if operation["resource"] == "sources"
    )
    batch, refused = Batch(), []
    for index, entry in enumerate(entries):
        try:
            add_row(batch, scheme, entry)
        except NotBulk:
            refused.append(index)
    return batch, refused


def add_row(batch: Batch, scheme: str, entry: Entry, *, placeholders: bool = False) -> None:
    """The row's records, added to ``batch``; ``NotBulk`` when the row is not all new creates."""
    ids: dict[str, uuid.UUID] = _Placeholders() if placeholders else {}
    built = Batch()
    for operation in entry.operations:
        resource, data, match = operation["resource"], operation.get("data", {}), operation.get("match", {})
        if placeholders and resource in ("places", "actors"):
            _checked(*_shared_instance(operation, parent_id=None))
            continue
        if resource not in BULK_RESOURCES or operation["op"] not in ("create", "upsert"):
            raise NotBulk(f"{operation['op']} {resource}")
        if resource == "events":
            instance, participants = _event(data, ids)
            built.events.append(instance)
            built.participants.extend(participants)
        elif resource == "sources":
            instance = _source(match, data, ids)
            built.sources.append(instance)
            built.cites.extend((instance.pk, _reference(cited, ids)) for cited in data.get("cites", []))
        else:
            instance = _statement(match, data, ids)
            built.statements.append(instance)
            built.stances.extend(
                (instance.pk, _reference(item["event"], ids), item["stance"])
                for item in data.get("about", [])
            )
            built.statement_sources.extend(
                (instance.pk, _reference(source, ids)) for source in data.get("sources", [])
            )
        ids[operation["lid"]] = instance.pk
    built.records.append(
        new_instance(
            DatasetRecord,
            scheme=scheme,
            record_id=entry.record_id,
            digest=entry.digest,
            event_id=ids.get(entry.event_lid),
            statement_id=ids.get(entry.statement_lid),
        )
    )
    for name in batch.__dataclass_fields__:
        getattr(batch, name).extend(getattr(built, name))


def already_recorded(plans: dict[str, "Plan"], has_event) -> set[str]:
    """Record ids (keys of ``plans``) whose event id (``has_event``) or a source address is
    already stored, tombstoned rows included: those rows match or restore, which the runner does.
    Each source operation's address is left normalised, as it is stored and looked up."""
    taken = {record_id for record_id in plans if has_event(record_id)}
    urls = {}
    for record_id, plan in plans.items():
        for operation in plan.operations:
            if operation["resource"] == "sources":
                operation["match"]["url"] = normalize_source_url(operation["match"]["url"])
                urls[operation["match"]["url"]] = record_id
    addresses = list(urls)
    for start in range(0, len(addresses), LOOKUP_CHUNK):
        # A few hundred at a time: for a longer list PostgreSQL's planner reads the table.
        chunk = addresses[start : start + LOOKUP_CHUNK]
        taken.update(
            urls[url] for url in Source.all_objects.filter(url__in=chunk).values_list("url", flat=True)
        )
    return taken


# Tables a bulk import grows fast and reads back: PostgreSQL's planner must see their new
# sizes, or a batch's lookups (its records, its addresses) read whole tables, and a
# claim-summary trigger's plan, cached in the import's session while they were small, joins
# every statement for each row the runner writes (seconds a row at 100,000 rows).
GROWN_TABLES = (
    "events_event",
    "claims_source",
    "claims_statement",
    "claims_statementevent",
    "datasets_datasetrecord",
)


def refresh_statistics(using: str = "default") -> None:
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(GROWN_TABLES))


def _summarise_new_events(batch: Batch) -> set:
    """Give the batch's new events their claim summary (every stance on them is in the batch);
    the other events its stances name, whose summaries the database must refresh."""
    speakers = {statement.pk: statement.speaker_id for statement in batch.statements}
    new_events = {event.pk: event for event in batch.events}
    stances: dict = {pk: [] for pk in new_events}
    older = set()
    for statement_id, event_id, stance in batch.stances:
        if event_id in new_events:
            stances[event_id].append((stance, speakers[statement_id]))
        else:
            older.add(event_id)
    for pk, event in new_events.items():
        for name, value in claim_summary.figures(stances[pk]).items():
            setattr(event, name, value)
    return older


@transaction.atomic
def write(batch: Batch, user) -> None:
    with claim_summary.refreshed_once(_summarise_new_events(batch)):
        resources_bulk_create(model=Event, instances=batch.events, user=user)
        insert_rows(Participant, PARTICIPANT, batch.participants)
        resources_bulk_create(model=Source, instances=batch.sources, user=user)
        insert_rows(Source.cites.through, CITE, batch.cites)
        resources_bulk_create(model=Statement, instances=batch.statements, user=user)
        statement_keys_refresh(statements=batch.statements)
        insert_rows(StatementEvent, STANCE, batch.stances)
        insert_rows(Statement.sources.through, STATEMENT_SOURCE, batch.statement_sources)
        insert_instances(DatasetRecord, batch.records)


def resolve_shared(plans: list["Plan"], known: dict, user) -> None:
    """The places and actors the plans name, found or made in bulk, into ``known``.

    Found as the runner's ``create`` with a match finds them (name ignoring case, kind, and
    the parent); a key more than one live record answers is left for the runner, which
    says so. What is new is validated and inserted with its history and feed entries.
    """
    wanted: dict[tuple, dict] = {}
    for plan in plans:
        for lid, key in plan.keys.items():
            if key not in known:
                operation = next(op for op in plan.operations if op.get("lid") == lid)
                wanted.setdefault(key, {**operation, "parent_key": _parent_key(plan, operation)})
    actors = {key: op for key, op in wanted.items() if key[0] == "actor"}
    _resolve_actors(actors, known, user)
    places = {key: op for key, op in wanted.items() if key[0] == "place"}
    while places:
        ready = {key: op for key, op in places.items() if _parent_known(op["parent_key"], known)}
        if not ready:
            return  # parents the runner must make (or refuse) first
        _resolve_places(ready, known, user)
        places = {key: op for key, op in places.items() if key not in ready}


def _parent_known(parent_key, known: dict) -> bool:
    return parent_key is None or parent_key[0] == "id" or parent_key in known


def _parent_key(plan: "Plan", operation: dict):
    parent = operation.get("data", {}).get("parent")
    if isinstance(parent, dict) and "lid" in parent:
        return plan.keys.get(parent["lid"])
    return ("id", parent["id"]) if isinstance(parent, dict) else None


def _found(queryset, terms: list[Q], group) -> dict:
    """Live rows answering any of ``terms``, grouped by ``group(row)``."""
    found: dict = {}
    for start in range(0, len(terms), 200):
        condition = Q()
        for term in terms[start : start + 200]:
            condition |= term
        for row in queryset.filter(condition).order_by("created_at", "id"):
            found.setdefault(group(row), []).append(row)
    return found


def _shared_instance(operation: dict, *, parent_id) -> tuple[Actor | Place, tuple[str, ...]]:
    """The actor or place a ``create`` of the plan would make, and the fields it sets."""
    data = operation["data"]
    if operation["resource"] == "actors":
        actor = Actor(
            name=data["name"],
            kind=data["kind"],
            description=data.get("description", ""),
            external_ids=data.get("external_ids", {}),
        )
        return actor, ("name", "kind", "description", "external_ids")
    fields = {name: data[name] for name in ("country_code", "latitude", "longitude") if name in data}
    return Place(name=data["name"], kind=data["kind"], parent_id=parent_id, **fields), (
        "name",
        "kind",
        *fields,
    )


def _resolve_actors(wanted: dict, known: dict, user) -> None:
    if not wanted:
        return
    found = _found(
        Actor.objects.filter(merged_into__isnull=True),
        [Q(name__iexact=op["match"]["name"], kind=op["match"]["kind"]) for op in wanted.values()],
        lambda actor: ("actor", actor.kind, actor.name.casefold()),
    )
    new = []
    for key, op in wanted.items():
        rows = found.get(key, [])
        if len(rows) == 1:
            known[key] = rows[0].pk
        elif not rows:
            try:
                new.append((key, _checked(*_shared_instance(op, parent_id=None))))
            except NotBulk:
                continue  # the runner will say why
    resources_bulk_create(model=Actor, instances=[actor for _, actor in new], user=user)
    actor_names_refresh(actors=[actor for _, actor in new])
    known.update({key: actor.pk for key, actor in new})


def _resolve_places(wanted: dict, known: dict, user) -> None:
    def parent_id(op):
        parent_key = op["parent_key"]
        if parent_key is None:
            return None
        return uuid.UUID(parent_key[1]) if parent_key[0] == "id" else known[parent_key]

    found = _found(
        Place.objects.all(),
        [
            Q(name__iexact=op["match"]["name"], kind=op["match"]["kind"], parent_id=parent_id(op))
            for op in wanted.values()
        ],
        lambda place: (place.kind, place.name.casefold(), place.parent_id),
    )
    new = []
    for key, op in wanted.items():
        rows = found.get((key[1], key[2], parent_id(op)), [])
        if len(rows) == 1:
            known[key] = rows[0].pk
        elif not rows:
            try:
                new.append((key, _checked(*_shared_instance(op, parent_id=parent_id(op)))))
            except NotBulk:
                continue
    resources_bulk_create(model=Place, instances=[place for _, place in new], user=user)
    known.update({key: place.pk for key, place in new})
