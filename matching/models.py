"""The folded forms of every actor's names, for finding match candidates quickly.

One row per name and alias of each actor (and per acronym, handle and external id): its
folded words and their skeleton (matching/text.py), looked up by equality; one row per word
of each name and alias (``ActorNameWord``), so a surname alone or a part of a longer name
finds its names by one index lookup. On PostgreSQL the folded columns carry trigram GIN
indexes (pg_trgm) too, for the misspellings no skeleton catches. The rows are derived data,
rewritten whenever an actor is saved (matching/signals.py) and rebuilt for bulk loads by
``manage.py matching_index``.
"""

from django.db import models

from claims.models import Statement
from events.models import Actor


class ActorName(models.Model):
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="match_names")
    text = models.CharField(max_length=200, help_text="The name or alias as written.")

    class Form(models.TextChoices):
        NAME = "name"
        ALIAS = "alias"
        ACRONYM = "acronym", "acronym of the name or an alias"
        INITIALS = "initials", "a person's initials"
        ID = "id", "handle or external id"

    form = models.CharField(max_length=8, choices=Form.choices, default=Form.NAME)
    folded = models.CharField(max_length=400, db_index=True, help_text="Its words, folded.")
    skeleton = models.CharField(max_length=400, db_index=True, help_text="Its words' skeletons, sorted.")
    consonants = models.CharField(
        max_length=400, default="", help_text="Its words' consonants, joined (text.consonants)."
    )
    romanised = models.BooleanField(default=False, help_text="Written in a script other than Latin.")

    class Meta:
        ordering = ["id"]
        # A Latin spelling looks up the romanised names with its consonants, and only those.
        indexes = [models.Index(fields=["consonants", "romanised"], name="actorname_consonants_idx")]

    def __str__(self) -> str:
        return self.text


class ActorNameWord(models.Model):
    """A word of a name or alias, by its skeleton: the names a word is part of, in one lookup."""

    name = models.ForeignKey(ActorName, on_delete=models.CASCADE, related_name="words")
    skeleton = models.CharField(max_length=100, db_index=True)

    def __str__(self) -> str:
        return self.skeleton


class StatementKeys(models.Model):
    """A statement's text as keys to find its repeats by (matching/statement_keys.py): derived
    data, rewritten whenever its text is saved (matching/signals.py) and rebuilt for bulk loads
    by ``manage.py matching_index``."""

    statement = models.OneToOneField(
        Statement, on_delete=models.CASCADE, primary_key=True, related_name="match_keys"
    )
    fingerprint = models.BigIntegerField(null=True, db_index=True, help_text="Its folded words, hashed.")
    shingles = models.JSONField(
        default=list, help_text="Each run of three folded words, hashed (GIN-indexed on PostgreSQL)."
    )

    def __str__(self) -> str:
        return str(self.fingerprint)


class ActorDuplicate(ActorName):
    """The admin's entry for the duplicate report (a proxy: no table of its own)."""

    class Meta:
        proxy = True
        verbose_name = "likely duplicate actor"
        verbose_name_plural = "likely duplicate actors"
