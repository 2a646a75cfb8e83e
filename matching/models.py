"""The folded forms of every actor's names, for finding match candidates quickly.

One row per name and alias of each actor: its folded words and their skeleton
(matching/text.py). On PostgreSQL both columns carry trigram GIN indexes (pg_trgm), so a
misspelt or transliterated name finds its candidates without reading every actor. The rows
are derived data, rewritten whenever an actor is saved (matching/signals.py) and rebuilt
for bulk loads by ``manage.py matching_index``.
"""

from django.db import models

from events.models import Actor


class ActorName(models.Model):
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="match_names")
    text = models.CharField(max_length=200, help_text="The name or alias as written.")
    is_alias = models.BooleanField(default=False)
    folded = models.CharField(max_length=400, db_index=True, help_text="Its words, folded.")
    skeleton = models.CharField(max_length=400, db_index=True, help_text="Its words' skeletons, sorted.")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


class ActorDuplicate(ActorName):
    """The admin's entry for the duplicate report (a proxy: no table of its own)."""

    class Meta:
        proxy = True
        verbose_name = "likely duplicate actor"
        verbose_name_plural = "likely duplicate actors"
