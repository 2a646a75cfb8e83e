"""Persons' initials as index rows, the titles inside names as names of their own, and
consonants that drop the g of "ng": every existing actor's rows written again."""

from django.db import migrations, models


def index_existing_actors(apps, schema_editor):
    from matching.services import actor_names_rebuild

    actor_names_rebuild(using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("matching", "0007_index_existing_actors")]

    operations = [
        migrations.AlterField(
            model_name="actorname",
            name="form",
            field=models.CharField(
                choices=[
                    ("name", "Name"),
                    ("alias", "Alias"),
                    ("acronym", "acronym of the name or an alias"),
                    ("initials", "a person's initials"),
                    ("id", "handle or external id"),
                ],
                default="name",
                max_length=8,
            ),
        ),
        migrations.RunPython(index_existing_actors, migrations.RunPython.noop),
    ]
