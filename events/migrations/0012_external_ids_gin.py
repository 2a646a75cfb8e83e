"""PostgreSQL: GIN indexes over external_ids of places, actors and events, so a bundle's
``{"external_id": "scheme:value"}`` match (a containment test) reads an index instead of every
row. SQLite has no GIN; it reads the rows (bundles.natural_keys)."""

from django.db import migrations

INDEXES = {
    "place_external_ids_gin": "events_place USING gin (external_ids jsonb_path_ops)",
    "actor_external_ids_gin": "events_actor USING gin (external_ids jsonb_path_ops)",
    "event_external_ids_gin": "events_event USING gin (external_ids jsonb_path_ops)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, definition in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("events", "0011_event_external_ids")]

    operations = [migrations.RunPython(create, drop)]
