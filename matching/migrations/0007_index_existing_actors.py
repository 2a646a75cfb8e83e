"""The index rows of every existing actor, in the columns 0004 and 0006 added. A migration of
its own: PostgreSQL creates 0006's indexes at the end of its transaction, which it refuses to
do on a table with foreign-key checks pending from rows written in it."""

from django.db import migrations


def index_existing_actors(apps, schema_editor):
    from matching.services import actor_names_rebuild

    actor_names_rebuild(using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("matching", "0006_actor_name_consonants")]

    operations = [migrations.RunPython(index_existing_actors, migrations.RunPython.noop)]
