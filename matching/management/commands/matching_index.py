from django.core.management.base import BaseCommand

from matching.services import actor_names_rebuild, statement_keys_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the matching index, actor names and statement text keys (after a bulk load "
        "that bypassed saves)."
    )

    def handle(self, *args, **options):
        names = actor_names_rebuild()
        statements = statement_keys_rebuild()
        self.stdout.write(f"{names} actor names and {statements} statements indexed.")
