"""Indexes for the statement and source filters that PostgreSQL needs beyond the models'.

GIN indexes over the ``q`` search documents (built with the ``eventsapi_search``
configuration of events/0004_filtering, exactly as ``eventsapi.api.filters.search``
writes them) and a pattern index for ``language``, which matches a tag and its more
specific forms (``en`` and ``en-GB``) ignoring case. SQLite searches without them.
"""

from django.db import migrations

INDEXES = {
    "statement_search_idx": (
        "claims_statement USING gin (to_tsvector('eventsapi_search'::regconfig, COALESCE(text, '')))"
    ),
    "source_search_idx": (
        "claims_source USING gin "
        "(to_tsvector('eventsapi_search'::regconfig, COALESCE(title, '') || ' ' || COALESCE(author, '')))"
    ),
    "statement_language_idx": "claims_statement (lower(language) text_pattern_ops)",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX {name} ON {definition}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0004_history"),
        ("events", "0004_filtering"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes),
    ]
