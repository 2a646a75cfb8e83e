"""``manage.py seed_synthetic --events N [--seed S]``: fill an empty database with synthetic data.

See ``devdata.synthetic`` for what is generated. On PostgreSQL the rows go in with COPY and,
for large loads, the tables' secondary indexes and foreign keys are dropped first and
rebuilt after, all in one transaction (a failed load leaves the database as it was); then
the tables are vacuumed and analysed so the planner knows their sizes. Other databases
get batched INSERTs.
"""

import json
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from psycopg import sql
from tqdm import tqdm

from claims import claim_summary
from devdata.synthetic import TABLES, Batch, generate
from events.models import Actor, Event, Place
from eventsapi.bulk_insert import copy_rows
from matching.models import ActorName, ActorNameWord, StatementKeys
from matching.services import actor_names_rebuild, statement_keys_rebuild

SQLITE_BATCH = 500
# At this size dropping and rebuilding the indexes beats maintaining them row by row.
REBUILD_INDEXES_FROM = 50_000


class Command(BaseCommand):
    help = (
        "Fill an empty database with reproducible synthetic data: places, actors, events, sources, "
        "statements (about three per event, some contested) and reviews of every verdict. Rows are "
        "bulk-inserted, so django-simple-history keeps no versions of them and the change feed does "
        "not list them: fine for benchmarks, not a way to import real data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--events", type=int, default=1000, help="How many events (default 1000).")
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed: the same seed gives the same data."
        )
        parser.add_argument(
            "--actors",
            type=int,
            default=None,
            help="How many actors (default: one per 200 events, from 30 up to 5000).",
        )
        parser.add_argument(
            "--rebuild-indexes",
            choices=["auto", "yes", "no"],
            default="auto",
            help="PostgreSQL: drop secondary indexes and foreign keys during the load and rebuild "
            f"them after (auto: from {REBUILD_INDEXES_FROM} events).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(
        self,
        *args,
        events: int,
        seed: int,
        actors: int | None,
        rebuild_indexes: str,
        database: str,
        verbosity: int,
        **kw,
    ):
        if events < 1:
            raise CommandError("--events must be at least 1.")
        if actors is not None and actors < 10:
            raise CommandError("--actors must be at least 10.")
        for model in (Place, Actor, Event):
            if model.all_objects.using(database).exists():
                raise CommandError(
                    f"The database already has {model._meta.verbose_name_plural}; seed an empty one "
                    "(manage.py flush empties it)."
                )
        connection = connections[database]
        postgres = connection.vendor == "postgresql"
        rebuild = postgres and (
            rebuild_indexes == "yes" or (rebuild_indexes == "auto" and events >= REBUILD_INDEXES_FROM)
        )
        started = time.monotonic()
        progress = tqdm(
            total=events, unit=" events", file=sys.stderr, disable=verbosity == 0, dynamic_ncols=True
        )
        tables: dict[str, type[models.Model]] = {}
        rows = 0
        with transaction.atomic(using=database), connection.cursor() as cursor:
            if postgres:
                cursor.execute("SET LOCAL synchronous_commit = off")
                cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            dropped = _drop_indexes_and_constraints(cursor, TABLES) if rebuild else []
            if postgres:
                # The generator writes each event's claim summary with the event; the triggers
                # would recount every batch's events (and find no index to do it with).
                cursor.execute(claim_summary.PAUSE_POSTGRESQL_TRIGGERS)
            for batch in generate(events=events, seed=seed, actors=actors):
                tables[batch.table] = batch.model
                if postgres:
                    _copy(cursor, batch)
                else:
                    _insert(cursor, connection, batch)
                rows += len(batch.rows)
                if batch.model is Event:
                    progress.update(len(batch.rows))
            progress.close()
            loaded = time.monotonic()
            if dropped:
                self._say(verbosity, f"Rebuilding {len(dropped)} indexes and foreign keys...")
                for statement in dropped:
                    cursor.execute(statement)
            if postgres:
                cursor.execute(claim_summary.RESUME_POSTGRESQL_TRIGGERS)
        # Bulk rows bypass the saves that keep the matching index; build it once.
        indexed = actor_names_rebuild(using=database)
        statement_keys_rebuild(using=database)
        for model in (ActorName, ActorNameWord, StatementKeys):
            tables[model._meta.db_table] = model
        built = time.monotonic()
        self._analyze(connection, list(tables))
        finished = time.monotonic()
        self._say(
            verbosity,
            f"Seeded {events} events ({rows} rows in {len(tables)} tables) with seed {seed} in "
            f"{finished - started:.1f} s: load {loaded - started:.1f} s, indexes {built - loaded:.1f} s, "
            f"analyze {finished - built:.1f} s; {indexed} actor names indexed for matching.",
        )

    def _say(self, verbosity: int, message: str) -> None:
        if verbosity:
            self.stdout.write(message)

    def _analyze(self, connection, tables: list[str]) -> None:
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for table in tables:
                # VACUUM also sets the visibility map, which index-only scans need; it cannot
                # run inside a transaction (a test's), where ANALYZE alone does.
                if connection.vendor == "postgresql" and not connection.in_atomic_block:
                    cursor.execute(f"VACUUM (ANALYZE) {quote(table)}")
                else:
                    cursor.execute(f"ANALYZE {quote(table)}")


def _json_columns(batch: Batch) -> set[int]:
    fields = {field.column: field for field in batch.model._meta.concrete_fields}
    return {
        index for index, column in enumerate(batch.columns) if isinstance(fields[column], models.JSONField)
    }


def _copy(cursor, batch: Batch) -> None:
    json_columns = _json_columns(batch)
    rows = batch.rows
    if json_columns:
        rows = (
            [json.dumps(value) if index in json_columns else value for index, value in enumerate(row)]
            for row in batch.rows
        )
    copy_rows(cursor, batch.table, batch.columns, rows)


def _insert(cursor, connection, batch: Batch) -> None:
    fields = {field.column: field for field in batch.model._meta.concrete_fields}
    prepare = [fields[column] for column in batch.columns]
    quote = connection.ops.quote_name
    statement = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(batch.table), ", ".join(map(quote, batch.columns)), ", ".join(["%s"] * len(batch.columns))
    )
    for start in range(0, len(batch.rows), SQLITE_BATCH):
        cursor.executemany(
            statement,
            [
                [field.get_db_prep_save(value, connection) for field, value in zip(prepare, row, strict=True)]
                for row in batch.rows[start : start + SQLITE_BATCH]
            ],
        )


def _drop_indexes_and_constraints(cursor, tables: list[str]) -> list[str]:
    """Drop the tables' indexes, keys and foreign keys (any that point at them too).

    Returns the statements that recreate them, keys before the foreign keys that need them.
    Inserting into a table without indexes, then building each index in one sort, is several
    times faster than maintaining them row by row. Check constraints stay.
    """
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE contype IN ('p', 'u', 'f') "
        "AND (conrelid = ANY(%s::regclass[]) OR (contype = 'f' AND confrelid = ANY(%s::regclass[]))) "
        "ORDER BY contype = 'f' DESC",
        [tables, tables],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT index.relname, pg_get_indexdef(index.oid) FROM pg_index x "
        "JOIN pg_class index ON index.oid = x.indexrelid "
        "WHERE x.indrelid = ANY(%s::regclass[]) "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
        [tables],
    )
    indexes = cursor.fetchall()
    keys, foreign_keys = [], []
    for table, name, kind, definition in constraints:
        cursor.execute(
            sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(sql.SQL(table), sql.Identifier(name))
        )
        add = sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} ").format(sql.SQL(table), sql.Identifier(name))
        (foreign_keys if kind == "f" else keys).append(add.as_string(cursor.cursor) + definition)
    for name, _ in indexes:
        cursor.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
    return keys + [definition for _, definition in indexes] + foreign_keys
