"""PostgreSQL: pg_trgm and trigram GIN indexes over the folded names. SQLite reads candidates
with LIKE (matching/selectors.py). The index rows of existing actors are built by 0004, whose
tables the current code writes."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = {
    "matching_actorname_folded_trgm": "matching_actorname USING gin (folded gin_trgm_ops)",
    "matching_actorname_skeleton_trgm": "matching_actorname USING gin (skeleton gin_trgm_ops)",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, definition in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("matching", "0001_actor_names")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
