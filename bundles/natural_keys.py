"""Natural keys: how a bundle's ``match`` finds the record that already exists.

- sources by ``url``, compared after the usual normalisation;
- actors, places and events by one ``external_ids`` entry (``scheme:value``, the value as
  written: ids are identifiers, and an exact test is what an index can answer);
- actors by ``name`` and ``kind``; places by ``name``, ``kind`` and ``parent``;
- statements by ``speaker``, ``stated_on`` and ``text`` (compared after whitespace
  normalisation), so a whole story can be posted again.

Names are compared ignoring case. Merged actors are never candidates (their survivor is).
``natural_key_candidates`` returns at most two rows, enough to tell "none", "this one" and
"ambiguous" apart.
"""

import datetime
import hashlib
import uuid
from dataclasses import dataclass

from django.db import connections
from django.db.models import CharField, Model, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from claims.models import Source, Statement
from claims.urls_normalization import normalize_source_url
from events.models import Actor, Place

CANDIDATE_LIMIT = 2


@dataclass(frozen=True)
class NaturalKey:
    """A parsed ``match``: which fields, with values of their own types (ids as UUIDs)."""

    model: type[Model]
    values: tuple[tuple[str, object], ...]

    def get(self, name: str, default=None):
        return dict(self.values).get(name, default)

    def names(self) -> frozenset[str]:
        return frozenset(name for name, _ in self.values)


def whitespace_normalized(text: str) -> str:
    return " ".join(text.split())


def _alive(model: type[Model]) -> QuerySet:
    queryset = model.objects.all()
    if model is Actor:
        queryset = queryset.filter(merged_into__isnull=True)
    return queryset


def _by_name(queryset: QuerySet, name: str) -> QuerySet:
    return queryset.filter(name__iexact=whitespace_normalized(name))


def natural_key_candidates(key: NaturalKey) -> list[Model]:
    """The live rows ``key`` names, at most two, oldest first."""
    queryset = _alive(key.model).order_by("created_at", "id")
    names = key.names()
    if "external_id" in names:
        scheme, value = key.get("external_id")
        queryset = with_external_id_exactly(queryset, scheme=scheme, value=value)
    elif key.model is Source:
        queryset = queryset.filter(url=normalize_source_url(key.get("url")))
    elif key.model is Actor:
        queryset = _by_name(queryset, key.get("name")).filter(kind=key.get("kind"))
    elif key.model is Place:
        queryset = _by_name(queryset, key.get("name")).filter(kind=key.get("kind"), parent=key.get("parent"))
    elif key.model is Statement:
        wanted = whitespace_normalized(key.get("text"))
        same_day = queryset.filter(speaker=key.get("speaker"), stated_on=key.get("stated_on"))
        return [row for row in same_day if whitespace_normalized(row.text) == wanted][:CANDIDATE_LIMIT]
    else:
        raise ValueError(f"No natural key {sorted(names)} for {key.model.__name__}.")
    return list(queryset[:CANDIDATE_LIMIT])


def with_external_id_exactly(queryset: QuerySet, *, scheme: str, value: str) -> QuerySet:
    """Rows holding exactly ``value`` under ``scheme``: on PostgreSQL a containment test that the
    GIN index over ``external_ids`` answers (events 0012); an id is matched as written."""
    if connections[queryset.db].vendor == "postgresql":
        return queryset.filter(external_ids__contains={scheme: value})
    # SQLite compares the key's text ignoring case; the exact test is on the rows read.
    folded = queryset.alias(natural_external_id=KeyTextTransform(scheme, "external_ids")).filter(
        natural_external_id__iexact=value
    )
    return queryset.filter(pk__in=[row.pk for row in folded if row.external_ids.get(scheme) == value])


def with_external_ids_exactly(
    queryset: QuerySet, *, scheme: str, values: list[str]
) -> dict[str, list[Model]]:
    """The rows holding each of ``values`` exactly under ``scheme``, by value, in one query a
    few hundred values (on PostgreSQL, containment tests the GIN index answers)."""
    found: dict[str, list[Model]] = {}
    values = list(dict.fromkeys(values))
    for start in range(0, len(values), 500):
        chunk = values[start : start + 500]
        if connections[queryset.db].vendor == "postgresql":
            # The key's text in the list: events' expression indexes answer it for the
            # importers' schemes (events.models.Event.Meta), a containment test per value not.
            rows = queryset.alias(natural_external_id=KeyTextTransform(scheme, "external_ids")).filter(
                natural_external_id__in=chunk
            )
        else:
            # Cast: a key transform's own IN lookup on SQLite takes JSON values, not text.
            key = Cast(KeyTextTransform(scheme, "external_ids"), output_field=CharField())
            rows = queryset.alias(natural_external_id=key).filter(natural_external_id__in=chunk)
        for row in rows:
            value = row.external_ids.get(scheme)
            if value in chunk:
                found.setdefault(value, []).append(row)
    return found


def _canonical(value) -> str:
    if isinstance(value, (uuid.UUID, datetime.date)):
        return str(value)
    if isinstance(value, tuple):
        return ":".join(value)
    return whitespace_normalized(str(value)).lower() if value is not None else ""


def natural_key_lock(key: NaturalKey, *, using: str = "default") -> None:
    """Serialise writers that look up and then create under the same key, until commit.

    Two bundles upserting the same new actor at once would otherwise both find nothing and
    both create it. On PostgreSQL this takes a transaction-scoped advisory lock on the key;
    SQLite already runs one writing transaction at a time.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    text = key.model._meta.label + "|" + "|".join(f"{name}={_canonical(value)}" for name, value in key.values)
    number = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [number])
