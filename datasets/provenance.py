"""Pieces every dataset's plan shares: the dataset as an actor, places as a hierarchy,
the event a record already became, and bringing back a record the dataset had deleted.

A dataset is a claimant like any other: its rows are its statements, made by an actor
that is the dataset (an organisation), so "who says this happened?" has an answer for
imported events too, and their supporting statements, timeline and ``contested`` logic
treat imported claims like reported ones.
"""

import datetime
from dataclasses import dataclass

from bundles.natural_keys import with_external_id_exactly, with_external_ids_exactly
from claims.models import Source, SourceKind, Statement
from datasets.importing import Plan
from datasets.models import DatasetRecord
from events.models import ActorKind, Event
from eventsapi.services import resource_restore


@dataclass(frozen=True)
class DatasetActor:
    """The organisation behind a dataset (ACLED, UCDP), named the same in every import."""

    name: str
    description: str
    website: str

    def reference(self, plan: Plan, known: dict):
        """A reference to the dataset's actor for ``plan``: its id once known, else a create
        that matches it by name."""
        return _organization(
            plan,
            known,
            self.name,
            "",
            extra={"description": self.description, "external_ids": {"website": self.website}},
        )

    @staticmethod
    def organization(plan: Plan, known: dict, name: str, column: str):
        return _organization(plan, known, name, column)


def _organization(plan: Plan, known: dict, name: str, column: str, extra: dict | None = None):
    key = ("actor", ActorKind.ORGANIZATION, name.casefold())
    if key in known:
        return {"id": str(known[key])}
    existing = next((lid for lid, planned in plan.keys.items() if planned == key), None)
    if existing is not None:
        return {"lid": existing}
    lid = f"actor{len(plan.operations)}"
    plan.add(
        {
            "op": "create",
            "resource": "actors",
            "lid": lid,
            "match": {"name": name, "kind": ActorKind.ORGANIZATION},
            "data": {"name": name, "kind": ActorKind.ORGANIZATION, **(extra or {})},
        },
        columns={"*": column},
        key=key,
    )
    return {"lid": lid}


class PlaceChain:
    """Places from the widest to the narrowest (country, provinces, locality), each within
    the one before, matched by name, kind and parent so that rows share them."""

    def __init__(self, plan: Plan, known: dict):
        self.plan, self.known = plan, known

    def place(self, levels: list[tuple[str, str, dict, str]]):
        """A reference to the narrowest named place of ``levels`` (``(name, kind, data, column)``,
        empty names skipped), or None when none is named."""
        parent, parent_key = None, None
        for name, kind, data, column in levels:
            if not name:
                continue
            # A place is known by its name, kind and its parent's key: the whole chain above it.
            key = ("place", kind, name.casefold(), parent_key)
            parent_key = key
            if key in self.known:
                parent = {"id": str(self.known[key])}
                continue
            lid = f"place{len(self.plan.operations)}"
            clean = {field: value for field, value in data.items() if value not in (None, "")}
            self.plan.add(
                {
                    "op": "create",
                    "resource": "places",
                    "lid": lid,
                    "match": {"name": name, "kind": kind, "parent": parent},
                    "data": {"name": name, "kind": kind, "parent": parent, **clean},
                },
                columns={"latitude": "latitude", "longitude": "longitude", "*": column},
                key=key,
            )
            parent = {"lid": lid}
        return parent


@dataclass
class Existing:
    external_ids: dict
    dataset_attributes: dict
    statement: Statement | None


class EventLookup:
    """What a record already became: its event's ids and attributes (kept, not overwritten,
    when the row's bundle writes its own) and the dataset's statement about it."""

    def __init__(self, scheme: str):
        self.scheme = scheme
        self.events: dict[str, list[Event]] = {}
        self.records: dict[str, DatasetRecord] = {}
        self.prefetched: set[str] = set()

    def prefetch(self, record_ids: list[str]) -> None:
        """Read what a batch of records became in two queries, for ``existing`` and ``has_event``."""
        self.events = with_external_ids_exactly(
            Event.all_objects.order_by("created_at").only("external_ids", "dataset_attributes", "deleted_at"),
            scheme=self.scheme,
            values=record_ids,
        )
        self.records = {
            record.record_id: record
            for record in DatasetRecord.objects.filter(
                scheme=self.scheme, record_id__in=record_ids
            ).select_related("statement")
        }
        self.prefetched = set(record_ids)

    def forget(self, record_id: str) -> None:
        """Read the record afresh from now on (a write is about to change it)."""
        self.prefetched.discard(record_id)

    def has_event(self, record_id: str) -> bool:
        """Whether any event, tombstoned or not, holds the id (prefetched ids only)."""
        return bool(self.events.get(record_id))

    def existing(self, record_id: str) -> Existing:
        if record_id in self.prefetched:
            event = next((row for row in self.events.get(record_id, []) if row.deleted_at is None), None)
            return _existing(event, self.records.get(record_id))
        event = with_external_id_exactly(
            Event.objects.order_by("created_at"), scheme=self.scheme, value=record_id
        )
        event = event.only("external_ids", "dataset_attributes").first()
        record = (
            DatasetRecord.objects.filter(scheme=self.scheme, record_id=record_id)
            .select_related("statement")
            .first()
        )
        return _existing(event, record)


def _existing(event: Event | None, record: DatasetRecord | None) -> Existing:
    statement = record.statement if record is not None and record.statement is not None else None
    if statement is not None and statement.deleted_at is not None:
        statement = None
    return Existing(
        external_ids=dict(event.external_ids) if event else {},
        dataset_attributes=dict(event.dataset_attributes) if event else {},
        statement=statement,
    )


def restore_record(
    record: DatasetRecord | None, *, updated: datetime.datetime | None
) -> datetime.datetime | None:
    """Bring back what a deleted record became when the dataset sends it again, newer than the
    deletion. Returns the deletion's time when the row is not newer (nothing restored)."""
    if record is None or record.event is None:
        return None
    deleted_at = record.deleted_at or record.event.deleted_at
    if deleted_at is None:
        return None
    if updated is not None and updated <= deleted_at:
        return deleted_at
    resource_restore(resource=record.event)
    statement = record.statement
    if statement is not None and statement.deleted_at is not None:
        # The related manager hides tombstoned sources: the deletion tombstoned them too.
        for source in Source.all_objects.filter(statements=statement, deleted_at__isnull=False):
            resource_restore(resource=source)
        resource_restore(resource=statement)
    record.deleted_at = None
    record.save(update_fields=["deleted_at"])
    return None


def dataset_statement(
    statement: Statement | None, *, speaker, text: str, stated_on: str, sources: list
) -> dict:
    """The operation for the dataset's statement about the row's event (lid ``event``).

    A record seen before updates its own statement, found by the key it has now (its text
    may be about to change); a new record's statement is created, never matched, since two
    rows may say the same words on the same day about different events.
    """
    data = {
        "text": text,
        "stated_on": stated_on,
        "is_direct_quote": False,
        "channel": "dataset",
        "about": [{"event": {"lid": "event"}, "stance": "supports"}],
        "sources": sources,
    }
    if statement is None:
        return {
            "op": "create",
            "resource": "statements",
            "lid": "claim",
            "data": {**data, "speaker": speaker},
        }
    return {
        "op": "upsert",
        "resource": "statements",
        "lid": "claim",
        "match": {"speaker": speaker, "stated_on": statement.stated_on.isoformat(), "text": statement.text},
        "data": data,
    }


class DatasetImport:
    """What the ACLED and UCDP importers share: the bulk path, and the lookup of what each
    record became (``EventLookup``), which the importer reaches through these methods."""

    scheme: str
    bulk = True

    def __init__(self):
        self.events = EventLookup(self.scheme)

    def prefetch(self, record_ids: list[str]) -> None:
        self.events.prefetch(record_ids)

    def has_event(self, record_id: str) -> bool:
        return self.events.has_event(record_id)

    def forget(self, record_id: str) -> None:
        self.events.forget(record_id)

    def add_event(self, plan: Plan, record_id: str, data: dict, columns: dict[str, str]) -> Existing:
        """The row's event upserted by its id (lid ``event``), keeping the ids and attributes
        other datasets gave it; returns what the record already became."""
        existing = self.events.existing(record_id)
        plan.event_lid = "event"
        plan.add(
            {
                "op": "upsert",
                "resource": "events",
                "lid": "event",
                "match": {"external_id": f"{self.scheme}:{record_id}"},
                "data": {
                    **data,
                    "external_ids": {**existing.external_ids, self.scheme: record_id},
                    "dataset_attributes": {
                        **existing.dataset_attributes,
                        self.scheme: data["dataset_attributes"],
                    },
                },
            },
            columns=columns,
        )
        return existing


def add_record_source(
    plan: Plan, *, url: str, title: str, publisher, cited: list, columns: dict, **data
) -> None:
    """The dataset's record of the row (lid ``record``): a source of kind ``dataset`` that the
    dataset publishes and that cites what the row names."""
    plan.add(
        {
            "op": "upsert",
            "resource": "sources",
            "lid": "record",
            "match": {"url": url},
            "data": {
                "kind": SourceKind.DATASET,
                "title": title,
                "publisher": publisher,
                "cites": cited,
                **data,
            },
        },
        columns=columns,
    )
