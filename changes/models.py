"""The change feed (one row per committed version of a resource) and webhook subscriptions.

``Change.seq`` is handed out from the single ``FeedCounter`` row inside the writing
transaction, so sequence numbers follow commit order: see ``changes.services``.
"""

import uuid

from django.conf import settings
from django.db import models

from eventsapi.history import ChangeAction


class ChangeResource(models.TextChoices):
    """The API resource a change belongs to (its path under ``/api/v1/``)."""

    PLACES = "places", "Places"
    ACTORS = "actors", "Actors"
    EVENTS = "events", "Events"
    SOURCES = "sources", "Sources"
    STATEMENTS = "statements", "Statements"


# Model label -> resource name, for the models whose versions enter the feed.
RESOURCE_BY_MODEL = {
    "events.Place": ChangeResource.PLACES,
    "events.Actor": ChangeResource.ACTORS,
    "events.Event": ChangeResource.EVENTS,
    "claims.Source": ChangeResource.SOURCES,
    "claims.Statement": ChangeResource.STATEMENTS,
}


class FeedCounter(models.Model):
    """The one row that hands out ``Change.seq``; its row lock orders writers by commit."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"last seq {self.last_seq}"


class Change(models.Model):
    """One version of one resource, as the change feed lists it."""

    seq = models.BigIntegerField(primary_key=True, help_text="Position in the feed, in commit order.")
    resource = models.CharField(max_length=20, choices=ChangeResource.choices)
    object_id = models.UUIDField(db_index=True, help_text="The id of the changed item.")
    action = models.CharField(max_length=20, choices=ChangeAction.choices)
    version = models.PositiveIntegerField(help_text="The version this change produced.")
    changed_at = models.DateTimeField(help_text="When the change was committed.")

    class Meta:
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"{self.seq}: {self.action} {self.resource}/{self.object_id} v{self.version}"


class Webhook(models.Model):
    """A subscription: POST every matching feed entry, in order, to ``target_url``.

    ``secret`` signs the deliveries, so it is kept as given (it cannot be hashed). A worker
    holds a webhook while delivering (``lease_owner`` until ``lease_expires_at``) so no two
    workers deliver for it at once; ``last_delivered_seq`` is committed after every
    acknowledged entry, so a restarted worker resumes where the last one stopped.
    """

    id = models.UUIDField(
        primary_key=True,
        default=uuid.uuid4,
        editable=False,
        help_text="The item's id (UUID), assigned by the server.",
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhooks")
    target_url = models.URLField(max_length=2000)
    resources = models.JSONField(default=list, blank=True, help_text="Resource names; empty for all.")
    actions = models.JSONField(default=list, blank=True, help_text="Actions; empty for all.")
    secret = models.CharField(max_length=200)
    active = models.BooleanField(default=True)
    paused_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When deliveries were paused after repeated failures; null while active.",
    )
    consecutive_failures = models.PositiveIntegerField(
        default=0, help_text="Failed deliveries in a row since the last success."
    )
    last_delivered_seq = models.BigIntegerField(
        default=0, help_text="The `seq` of the last change delivered."
    )
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="When the next delivery is due (after a failure, with backoff)."
    )
    lease_owner = models.CharField(max_length=200, blank=True, default="")
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the item was created.")
    updated_at = models.DateTimeField(auto_now=True, help_text="When the item last changed.")

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.target_url


class WebhookDelivery(models.Model):
    """One attempt to deliver one feed entry to one webhook."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    delivery_id = models.UUIDField(default=uuid.uuid4, help_text="Sent as X-Eventsapi-Delivery.")
    seq = models.BigIntegerField(help_text="The feed entry delivered.")
    attempt = models.PositiveIntegerField(help_text="1 for the first attempt at this entry.")
    succeeded = models.BooleanField(help_text="True when the receiver answered 2xx.")
    status_code = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The receiver's HTTP status; null when no answer came."
    )
    error = models.TextField(blank=True, default="", help_text="Why the delivery failed, when it did.")
    duration_ms = models.PositiveIntegerField(help_text="How long the delivery took, in milliseconds.")
    attempted_at = models.DateTimeField(db_index=True, help_text="When the delivery was attempted.")

    class Meta:
        ordering = ["-attempted_at", "-id"]
        verbose_name_plural = "webhook deliveries"

    def __str__(self) -> str:
        return f"{self.webhook_id} seq {self.seq} attempt {self.attempt}"
