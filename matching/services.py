"""Writes of the matching index: each actor's folded names (models.ActorName) and their words
(models.ActorNameWord)."""

from collections.abc import Iterable

from django.db import connections, transaction

from events.models import Actor
from matching.models import ActorName, ActorNameWord
from matching.scoring import HANDLE_SCHEMES, name_forms
from matching.text import word_skeleton

BATCH = 2000
Form = ActorName.Form


def _rows(actor: Actor) -> list[ActorName]:
    aliases = [alias for alias in actor.aliases or [] if isinstance(alias, str)]
    forms = name_forms(actor.name, aliases, kind=actor.kind)
    rows = [
        ActorName(
            actor_id=actor.pk,
            text=form.text[:200],
            form=Form.ALIAS if form.label == "alias" else Form.NAME,
            folded=" ".join(form.words)[:400],
            skeleton=form.skeleton[:400],
        )
        for form in forms
        if form.words
    ]
    # An organisation is found by its initials too ("NRF"): a row for finding candidates.
    rows += [
        ActorName(
            actor_id=actor.pk,
            text=form.text[:200],
            form=Form.ACRONYM,
            folded=form.acronym,
            skeleton=form.acronym,
        )
        for form in forms
        if form.acronym
    ]
    # Handles and ids, lower-cased, so "@nrfafg" and "twitter:NRFafg" are one index lookup.
    for scheme, value in (actor.external_ids or {}).items():
        if not isinstance(value, str) or not value:
            continue
        keys = {f"{scheme}:{value}".lower()[:400]}
        if scheme.lower() in HANDLE_SCHEMES:
            keys.add(f"@{value.lstrip('@')}".lower()[:400])
        rows += [
            ActorName(
                actor_id=actor.pk, text=f"{scheme}:{value}"[:200], form=Form.ID, folded=key, skeleton=""
            )
            for key in sorted(keys)
        ]
    return rows


def _words(names: list[ActorName]) -> list[ActorNameWord]:
    """The words of the names and aliases among ``names`` (saved, so with their ids)."""
    return [
        ActorNameWord(name_id=name.pk, skeleton=skeleton[:100])
        for name in names
        if name.form in (Form.NAME, Form.ALIAS)
        for skeleton in dict.fromkeys(word_skeleton(word) for word in name.folded.split())
    ]


def _write(rows: list[ActorName], using: str) -> int:
    ActorName.objects.using(using).bulk_create(rows, batch_size=BATCH)
    ActorNameWord.objects.using(using).bulk_create(_words(rows), batch_size=BATCH)
    return len(rows)


@transaction.atomic
def actor_names_refresh(*, actors: Iterable[Actor]) -> int:
    """Rewrite the index rows of ``actors``; returns how many name rows were written."""
    actors = list(actors)
    ids = [actor.pk for actor in actors]
    ActorNameWord.objects.filter(name__actor_id__in=ids).delete()
    ActorName.objects.filter(actor_id__in=ids).delete()
    return _write([row for actor in actors for row in _rows(actor)], "default")


def actor_names_rebuild(*, using: str = "default") -> int:
    """Rebuild the whole index (after a bulk load that bypassed saves); returns the rows written."""
    written = 0
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        # Whole tables at once: a queryset delete would first read every row's id for the
        # cascade, and on PostgreSQL leave every old row dead in the indexes until a vacuum
        # (the planner's probes of index ends then read them all, for every query).
        tables = [connection.ops.quote_name(model._meta.db_table) for model in (ActorNameWord, ActorName)]
        if connection.vendor == "postgresql":
            # TRUNCATE refuses a table with foreign-key checks pending (the project's are all
            # deferred): run them first, then defer them again as they were.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {', '.join(tables)}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")
        queryset = (
            Actor.all_objects.using(using)
            .only("id", "name", "aliases", "kind", "external_ids")
            .order_by("pk")
        )
        batch: list[Actor] = []
        for actor in queryset.iterator(chunk_size=BATCH):
            batch.append(actor)
            if len(batch) == BATCH:
                written += _write([r for a in batch for r in _rows(a)], using)
                batch = []
        written += _write([r for a in batch for r in _rows(a)], using)
    return written
