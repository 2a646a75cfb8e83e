"""Writes of the matching index: each actor's folded names (models.ActorName)."""

from collections.abc import Iterable

from django.db import transaction

from events.models import Actor
from matching.models import ActorName
from matching.scoring import HANDLE_SCHEMES, name_forms

BATCH = 2000


def _rows(actor: Actor) -> list[ActorName]:
    aliases = [alias for alias in actor.aliases or [] if isinstance(alias, str)]
    forms = name_forms(actor.name, aliases, kind=actor.kind)
    rows = [
        ActorName(
            actor_id=actor.pk,
            text=form.text[:200],
            is_alias=form.label == "alias",
            folded=" ".join(form.words)[:400],
            skeleton=form.skeleton[:400],
        )
        for form in forms
        if form.words
    ]
    # An organisation is found by its initials too ("NRF"): a row for finding candidates.
    rows += [
        ActorName(
            actor_id=actor.pk, text=form.text[:200], is_alias=True, folded=form.acronym, skeleton=form.acronym
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
                actor_id=actor.pk, text=f"{scheme}:{value}"[:200], is_alias=True, folded=key, skeleton=""
            )
            for key in sorted(keys)
        ]
    return rows


@transaction.atomic
def actor_names_refresh(*, actors: Iterable[Actor]) -> int:
    """Rewrite the index rows of ``actors``; returns how many rows were written."""
    actors = list(actors)
    ActorName.objects.filter(actor_id__in=[actor.pk for actor in actors]).delete()
    rows = [row for actor in actors for row in _rows(actor)]
    ActorName.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def actor_names_rebuild(*, using: str = "default") -> int:
    """Rebuild the whole index (after a bulk load that bypassed saves); returns the rows written."""
    written = 0
    names = ActorName.objects.using(using)
    with transaction.atomic(using=using):
        names.all().delete()
        queryset = (
            Actor.all_objects.using(using)
            .only("id", "name", "aliases", "kind", "external_ids")
            .order_by("pk")
        )
        batch: list[Actor] = []
        for actor in queryset.iterator(chunk_size=BATCH):
            batch.append(actor)
            if len(batch) == BATCH:
                written += len(names.bulk_create([r for a in batch for r in _rows(a)]))
                batch = []
        written += len(names.bulk_create([r for a in batch for r in _rows(a)]))
    return written
