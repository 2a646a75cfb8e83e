"""The database keeps each event's claim summary (see claims/claim_summary.py)."""

from django.db import migrations

from claims import claim_summary


def install(apps, schema_editor):
    claim_summary.install(schema_editor)


def uninstall(apps, schema_editor):
    claim_summary.uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0008_field_help_text"),
        ("events", "0008_claim_summary"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
