"""Reinstall the claim-summary triggers after events 0011 (external_ids on events).

On SQLite, adding a NOT NULL column remakes events_event (create, copy, drop, rename), and
the triggers on it go with the old table (see 0010). Dropping and installing again is
harmless on PostgreSQL, where ALTER TABLE keeps them.
"""

from django.db import migrations

from claims import claim_summary


def reinstall(apps, schema_editor):
    claim_summary.uninstall(schema_editor)
    claim_summary.install(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0011_page_order_index"),
        ("events", "0011_event_external_ids"),
    ]

    operations = [migrations.RunPython(reinstall, migrations.RunPython.noop)]
