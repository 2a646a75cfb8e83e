"""The stored claim summary on events, kept by the database.

``events_event`` carries ``statement_count``, ``supporting_count``, ``refuting_count`` and
``contested``. Triggers on the stance and statement tables recompute them for the events a
write touched, in the same transaction, so every write path keeps them: the API, the admin,
fixtures, merges, bundles, imports and raw SQL alike. ``selectors.computed_claim_summaries``
states the same rule through the ORM; ``manage.py claim_summary --check`` compares the two.

On PostgreSQL, statement-level triggers lock the touched events (in id order, so two writers
never wait on each other crosswise) and only then count: each statement of a PL/pgSQL
function reads a fresh snapshot, so a writer that waited for the lock counts what the first
one committed. SQLite runs one writer at a time, so its row-level triggers need no lock.

The migration that installs the triggers calls ``install``; a later change to the rule
belongs in a new migration that calls it again (every statement replaces what it finds).
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import connection as default_connection
from django.db import connections

# The four figures, as aggregates over a statement's stances (``link``) joined to their
# statement (``statement``). contested: some refuting speaker differs from some supporting
# one, i.e. both sides are taken and at least two speakers take them.
_FIGURES = {
    "statement_count": "count(link.id)",
    "supporting_count": "count(link.id) FILTER (WHERE link.stance = 'supports')",
    "refuting_count": "count(link.id) FILTER (WHERE link.stance = 'refutes')",
    "contested": """(count(link.id) FILTER (WHERE link.stance = 'supports') > 0
        AND count(link.id) FILTER (WHERE link.stance = 'refutes') > 0
        AND count(DISTINCT statement.speaker_id)
            FILTER (WHERE link.stance IN ('supports', 'refutes')) >= 2)""",
}
_AGGREGATES = ", ".join(_FIGURES.values())
_NAMED_AGGREGATES = ", ".join(f"{expression} AS {name}" for name, expression in _FIGURES.items())
_STANCES_AND_STATEMENTS = """
    FROM claims_statementevent AS link
    JOIN claims_statement AS statement ON statement.id = link.statement_id
"""
# One row of aggregates for the event ``events_event.id`` (none when no statement is about it).
_SUMMARY = f"""
    SELECT {_AGGREGATES} {_STANCES_AND_STATEMENTS}
    WHERE link.event_id = events_event.id AND statement.deleted_at IS NULL
"""

REFRESH = f"""
    UPDATE events_event
    SET (statement_count, supporting_count, refuting_count, contested) = ({_SUMMARY})
"""

_POSTGRESQL = [
    f"""
    CREATE OR REPLACE FUNCTION claims_summary_refresh(event_ids uuid[]) RETURNS void
    LANGUAGE plpgsql AS $$
    BEGIN
        IF cardinality(event_ids) = 0 OR current_setting('claims.summary_triggers', true) = 'off' THEN
            RETURN;
        END IF;
        PERFORM 1 FROM events_event WHERE id = ANY(event_ids) ORDER BY id FOR UPDATE;
        {REFRESH} WHERE id = ANY(event_ids);
    END $$
    """,
    *(
        f"""
        CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM claims_summary_refresh(ARRAY({events}));
            RETURN NULL;
        END $$
        """
        for function, events in (
            ("claims_summary_links_inserted", "SELECT DISTINCT event_id FROM new_links"),
            ("claims_summary_links_deleted", "SELECT DISTINCT event_id FROM old_links"),
            (
                "claims_summary_links_updated",
                "SELECT event_id FROM old_links UNION SELECT event_id FROM new_links",
            ),
            # A statement counts while it is not tombstoned, and contested compares speakers.
            (
                "claims_summary_statements_updated",
                """
                SELECT DISTINCT link.event_id
                FROM new_statements AS after
                JOIN old_statements AS before ON before.id = after.id
                JOIN claims_statementevent AS link ON link.statement_id = after.id
                WHERE after.speaker_id IS DISTINCT FROM before.speaker_id
                   OR (after.deleted_at IS NULL) <> (before.deleted_at IS NULL)
                """,
            ),
            # An event row written with its own figures (a fixture loaded in any order).
            ("claims_summary_events_inserted", "SELECT id FROM new_events"),
        )
    ),
    *(
        f"""
        DROP TRIGGER IF EXISTS {name} ON {table};
        CREATE TRIGGER {name} AFTER {operation} ON {table}
        REFERENCING {transition} FOR EACH STATEMENT EXECUTE FUNCTION {function}()
        """
        for name, operation, table, transition, function in (
            (
                "claims_summary_links_insert",
                "INSERT",
                "claims_statementevent",
                "NEW TABLE AS new_links",
                "claims_summary_links_inserted",
            ),
            (
                "claims_summary_links_delete",
                "DELETE",
                "claims_statementevent",
                "OLD TABLE AS old_links",
                "claims_summary_links_deleted",
            ),
            (
                "claims_summary_links_update",
                "UPDATE",
                "claims_statementevent",
                "OLD TABLE AS old_links NEW TABLE AS new_links",
                "claims_summary_links_updated",
            ),
            (
                "claims_summary_statements_update",
                "UPDATE",
                "claims_statement",
                "OLD TABLE AS old_statements NEW TABLE AS new_statements",
                "claims_summary_statements_updated",
            ),
            (
                "claims_summary_events_insert",
                "INSERT",
                "events_event",
                "NEW TABLE AS new_events",
                "claims_summary_events_inserted",
            ),
        )
    ),
]

_SQLITE = [
    *(
        f"""
        DROP TRIGGER IF EXISTS {name};
        CREATE TRIGGER {name} AFTER {operation} ON {table} FOR EACH ROW {when}
        BEGIN {REFRESH} WHERE id IN ({events}); END
        """
        for name, operation, table, when, events in (
            ("claims_summary_links_insert", "INSERT", "claims_statementevent", "", "NEW.event_id"),
            ("claims_summary_links_delete", "DELETE", "claims_statementevent", "", "OLD.event_id"),
            (
                "claims_summary_links_update",
                "UPDATE",
                "claims_statementevent",
                "",
                "OLD.event_id, NEW.event_id",
            ),
            (
                "claims_summary_statements_update",
                "UPDATE OF speaker_id, deleted_at",
                "claims_statement",
                "WHEN NEW.speaker_id IS NOT OLD.speaker_id "
                "OR (NEW.deleted_at IS NULL) <> (OLD.deleted_at IS NULL)",
                "SELECT event_id FROM claims_statementevent WHERE statement_id = NEW.id",
            ),
            ("claims_summary_events_insert", "INSERT", "events_event", "", "NEW.id"),
        )
    ),
]

# A bulk load (seed_synthetic) sets this for its transaction and calls refresh_all after.
PAUSE_POSTGRESQL_TRIGGERS = "SET LOCAL claims.summary_triggers = 'off'"
RESUME_POSTGRESQL_TRIGGERS = "SET LOCAL claims.summary_triggers = 'on'"

TRIGGERS = (
    "claims_summary_links_insert",
    "claims_summary_links_delete",
    "claims_summary_links_update",
    "claims_summary_statements_update",
    "claims_summary_events_insert",
)


def install(schema_editor) -> None:
    """Create (or replace) the triggers, then bring every stored summary up to date."""
    statements = _POSTGRESQL if schema_editor.connection.vendor == "postgresql" else _SQLITE
    for statement in statements:
        for part in _split(statement):
            schema_editor.execute(part)
    for statement in (_REFRESH_ALL, _ZERO_THE_REST):
        schema_editor.execute(statement)


def uninstall(schema_editor) -> None:
    postgresql = schema_editor.connection.vendor == "postgresql"
    tables = ("claims_statementevent",) * 3 + ("claims_statement", "events_event")
    for name, table in zip(TRIGGERS, tables, strict=True):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgresql else ""))
    if postgresql:
        schema_editor.execute("DROP FUNCTION IF EXISTS claims_summary_refresh(uuid[]) CASCADE")


# Every event's summary at once, as one grouped pass over the stances joined to the events
# (a hash join whatever the statistics say), writing only rows that change. The per-event
# REFRESH, run over a freshly loaded table before ANALYZE, was planned as a scan of the
# stances per event.
_REFRESH_ALL = f"""
    UPDATE events_event
    SET (statement_count, supporting_count, refuting_count, contested) =
        (counted.statement_count, counted.supporting_count, counted.refuting_count, counted.contested)
    FROM (
        SELECT link.event_id, {_NAMED_AGGREGATES}
        {_STANCES_AND_STATEMENTS}
        WHERE statement.deleted_at IS NULL
        GROUP BY link.event_id
    ) AS counted
    WHERE events_event.id = counted.event_id
      AND (events_event.statement_count, events_event.supporting_count,
           events_event.refuting_count, events_event.contested)
          IS DISTINCT FROM
          (counted.statement_count, counted.supporting_count, counted.refuting_count, counted.contested)
"""
_ZERO_THE_REST = f"""
    UPDATE events_event
    SET (statement_count, supporting_count, refuting_count, contested) = (0, 0, 0, false)
    WHERE (statement_count <> 0 OR supporting_count <> 0 OR refuting_count <> 0 OR contested)
      AND NOT EXISTS (
          SELECT 1 {_STANCES_AND_STATEMENTS}
          WHERE link.event_id = events_event.id AND statement.deleted_at IS NULL
      )
"""


def figures(stances: Iterable[tuple[str, object]]) -> dict:
    """An event's summary from the ``(stance, speaker_id)`` of each live statement about it:
    ``_FIGURES``' rule, for a writer that makes an event together with every stance on it."""
    stances = list(stances)
    supporting = sum(1 for stance, _ in stances if stance == "supports")
    refuting = sum(1 for stance, _ in stances if stance == "refutes")
    speakers = {speaker for stance, speaker in stances if stance in ("supports", "refutes")}
    return {
        "statement_count": len(stances),
        "supporting_count": supporting,
        "refuting_count": refuting,
        "contested": supporting > 0 and refuting > 0 and len(speakers) >= 2,
    }


@contextmanager
def refreshed_once(event_ids: set, *, using: str = "default") -> Iterator[None]:
    """A bulk write's summaries: on PostgreSQL the triggers stay off inside the block, and the
    events in ``event_ids`` (those whose stances the block writes and whose summaries the
    writer has not computed itself with ``figures``) are refreshed once after it, instead of
    once per insert statement. Use it inside a transaction; an error inside rolls the pause
    back with it. SQLite's row triggers run as usual."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(PAUSE_POSTGRESQL_TRIGGERS)
    yield
    ids = sorted(event_ids)
    with connection.cursor() as cursor:
        cursor.execute(RESUME_POSTGRESQL_TRIGGERS)
        if not ids:
            return
        # claims_summary_refresh's statements, sent as they are: planned for the tables' sizes
        # now, not with a plan the function cached while they were small.
        cursor.execute("SELECT 1 FROM events_event WHERE id = ANY(%s) ORDER BY id FOR UPDATE", [ids])
        cursor.execute(f"{REFRESH} WHERE id = ANY(%s)", [ids])


def refresh_all(*, connection=default_connection) -> int:
    """Recompute every event's summary (after a bulk load); how many rows changed."""
    changed = 0
    with connection.cursor() as cursor:
        for statement in (_REFRESH_ALL, _ZERO_THE_REST):
            cursor.execute(statement)
            changed += cursor.rowcount
    return changed


def _split(statement: str) -> list[str]:
    """The DROP and CREATE of a trigger are two statements: SQLite's driver runs one at a time."""
    if "CREATE TRIGGER" in statement and "DROP TRIGGER" in statement:
        drop, create = statement.split(";", 1)
        return [drop, create]
    return [statement]
