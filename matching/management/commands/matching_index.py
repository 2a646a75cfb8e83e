from django.core.management.base import BaseCommand

from matching.services import actor_names_rebuild


class Command(BaseCommand):
    help = "Rebuild the actor-name matching index (after a bulk load that bypassed saves)."

    def handle(self, *args, **options):
        written = actor_names_rebuild()
        self.stdout.write(f"{written} actor names indexed.")
