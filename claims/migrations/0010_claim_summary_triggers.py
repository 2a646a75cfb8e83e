"""The database keeps each event's claim summary (see claims/claim_summary.py).

Last of the migrations that touch these tables: on SQLite, altering a table remakes it
(create, copy, drop, rename), which a trigger naming that table does not survive. A later
migration that alters claims_statement, claims_statementevent or events_event must run
``claim_summary.uninstall`` before and ``claim_summary.install`` after.
"""

from django.db import migrations

from claims import claim_summary


def install(apps, schema_editor):
    claim_summary.install(schema_editor)


def uninstall(apps, schema_editor):
    claim_summary.uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0009_statement_verdict_order_idx"),
        ("events", "0009_verdict_indexed_in_page_order"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
