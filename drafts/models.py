"""A draft: an article's text and what the service proposes to record from it."""

import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class DraftStatus(models.TextChoices):
    OPEN = "open", "Open"
    COMMITTED = "committed", "Committed"
    DISCARDED = "discarded", "Discarded"


class Draft(models.Model):
    """Proposals are JSON lists kept as the editor leaves them; nothing here is a record yet.

    ``commit`` turns the accepted items into one bundle; until then a draft is private to
    the editor who made it (and superusers).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    url = models.URLField(max_length=2000, help_text="The article's address.")
    status = models.CharField(
        max_length=16, choices=DraftStatus.choices, default=DraftStatus.OPEN, db_index=True
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    text = models.TextField(help_text="The article's plain text; every span's offsets refer to it.")
    source = models.JSONField(default=dict)
    statements = models.JSONField(default=list)
    events = models.JSONField(default=list)
    actors = models.JSONField(default=list)
    warnings = models.JSONField(default=list)
    committed_at = models.DateTimeField(null=True, blank=True)
    results = models.JSONField(
        default=list, blank=True, encoder=DjangoJSONEncoder, help_text="The commit's bundle results."
    )

    class Meta:
        ordering = ["-created_at", "id"]
        indexes = [
            models.Index(fields=["created_by", "status", "-created_at"], name="draft_owner_status_idx")
        ]

    def __str__(self) -> str:
        return self.source.get("title") or self.url
