"""Writes of the matching index: each actor's folded names (models.ActorName) and their words
(models.ActorNameWord), each statement's text keys (models.StatementKeys)."""

from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connections, transaction

from claims.models import Statement
from events.models import Actor
from eventsapi.bulk_insert import insert_rows
from matching.models import ActorName, ActorNameWord, StatementKeys
from matching.scoring import HANDLE_SCHEMES, name_forms
from matching.statement_keys import text_keys
from matching.text import consonants, word_skeleton

BATCH = 2000
Form = ActorName.Form


class IndexBatch:
    """The actors and statements saved in a block, each indexed once when it ends."""

    def __init__(self, using: str):
        self.using = using
        self.actors: dict = {}  # pk: the copy saved last
        self.statements: dict = {}

    def write(self) -> None:
        if self.actors:
            actor_names_refresh(actors=self.actors.values())
        if self.statements:
            statement_keys_refresh(statements=self.statements.values(), using=self.using)


_batch: ContextVar[IndexBatch | None] = ContextVar("matching_index_batch", default=None)


def batched_index_writes() -> IndexBatch | None:
    return _batch.get()


@contextmanager
def index_writes_batched(using: str = "default"):
    """Within the caller's transaction: the matching index rows of every actor and statement
    saved in the block written once, when it ends (a bundle saves a record several times, and
    each row write is a few statements). Nothing in the block reads these rows. An exception
    leaves nothing written."""
    batch = IndexBatch(using)
    token = _batch.set(batch)
    try:
        yield batch
    finally:
        _batch.reset(token)
    batch.write()


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
            consonants=consonants(list(form.words))[:400],
            romanised=form.romanised,
        )
        for form in forms
        if form.words
    ]
    # An organisation is found by its initials too ("NRF"), a person by theirs ("MBS"): rows for
    # finding candidates.
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
    rows += [
        ActorName(actor_id=actor.pk, text=form.text[:200], form=Form.INITIALS, folded=key, skeleton=key)
        for form in forms
        for key in form.initials
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


def _emptied(using: str, *models) -> None:
    """Empty the tables of ``models`` whole. A queryset delete would first read every row's id
    for the cascade, and on PostgreSQL leave every old row dead in the indexes until a vacuum
    (the planner's probes of index ends then read them all, for every query)."""
    connection = connections[using]
    tables = [connection.ops.quote_name(model._meta.db_table) for model in models]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE refuses a table with foreign-key checks pending (the project's are all
            # deferred): run them first, then defer them again as they were.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {', '.join(tables)}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")


def actor_names_rebuild(*, using: str = "default") -> int:
    """Rebuild the whole index (after a bulk load that bypassed saves); returns the rows written."""
    written = 0
    with transaction.atomic(using=using):
        _emptied(using, ActorNameWord, ActorName)
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


def _key_rows(statements: Iterable[tuple]) -> list[tuple]:
    """``(statement_id, fingerprint, shingles)`` of ``(id, text)`` pairs. Texts repeat (a wire
    story quoted fifty times): each is keyed once."""
    keyed: dict[str, tuple] = {}
    rows = []
    for statement_id, text in statements:
        if text not in keyed:
            keys = text_keys(text)
            keyed[text] = (keys.fingerprint, keys.shingles)
        rows.append((statement_id, *keyed[text]))
    return rows


KEY_COLUMNS = ("statement_id", "fingerprint", "shingles")


def statement_keys_refresh(*, statements: Iterable[Statement], using: str = "default") -> None:
    """Rewrite the text keys of ``statements``."""
    pairs = [(statement.pk, statement.text) for statement in statements]
    with transaction.atomic(using=using):
        StatementKeys.objects.using(using).filter(statement_id__in=[pk for pk, _ in pairs]).delete()
        insert_rows(StatementKeys, KEY_COLUMNS, _key_rows(pairs), using=using)


def statement_keys_rebuild(*, using: str = "default") -> int:
    """Key every statement again (after a bulk load that bypassed saves); returns how many."""
    written = 0
    with transaction.atomic(using=using):
        _emptied(using, StatementKeys)
        texts = Statement.all_objects.using(using).order_by().values_list("id", "text")
        batch: list[tuple] = []
        for pair in texts.iterator(chunk_size=BATCH * 5):
            batch.append(pair)
            if len(batch) == BATCH * 5:
                insert_rows(StatementKeys, KEY_COLUMNS, _key_rows(batch), using=using)
                written += len(batch)
                batch = []
        insert_rows(StatementKeys, KEY_COLUMNS, _key_rows(batch), using=using)
    return written + len(batch)
