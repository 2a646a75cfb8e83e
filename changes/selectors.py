"""Reads of the change feed and of the webhooks due for delivery."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max, Q, QuerySet

from changes.models import Change, Webhook


@dataclass
class FeedPage:
    changes: list[Change]
    last_seq: int
    more: bool


def latest_seq() -> int:
    return Change.objects.aggregate(latest=Max("seq"))["latest"] or 0


def feed_page(
    *, after: int, limit: int, resources: list[str] | None = None, actions: list[str] | None = None
) -> FeedPage:
    """Up to ``limit`` entries after ``after``, in seq order, and where to resume reading.

    Sequence numbers follow commit order (``changes.services``): once seq N is visible,
    every smaller seq has committed or will never exist. So the newest seq is read first
    and the page stops there: everything up to it has been examined, and a filtered reader
    may resume from it even when no entry up to it matched (``last_seq`` then runs ahead of
    the last result, and the reader does not re-scan entries it filtered out).
    """
    upper = latest_seq()
    queryset = Change.objects.filter(seq__gt=after, seq__lte=upper).order_by("seq")
    if resources:
        queryset = queryset.filter(resource__in=resources)
    if actions:
        queryset = queryset.filter(action__in=actions)
    changes = list(queryset[:limit])
    if len(changes) == limit:
        return FeedPage(changes, changes[-1].seq, more=True)
    return FeedPage(changes, max(after, upper), more=False)


def webhooks_visible_to(user) -> QuerySet[Webhook]:
    """Superusers see every webhook; editors their own."""
    webhooks = Webhook.objects.select_related("owner")
    if user.is_superuser:
        return webhooks
    return webhooks.filter(owner=user)


def due_webhook_ids(*, now: datetime) -> list:
    """Webhooks with entries to deliver, not waiting for a retry, and held by no worker."""
    return list(
        Webhook.objects.filter(
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
            Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=now),
            active=True,
            paused_at__isnull=True,
            last_delivered_seq__lt=latest_seq(),
        )
        .order_by("created_at", "id")
        .values_list("id", flat=True)
    )


def pending_changes(*, webhook: Webhook, limit: int) -> tuple[list[Change], int]:
    """The webhook's next entries in seq order, and the seq up to which the feed was read."""
    page = feed_page(
        after=webhook.last_delivered_seq, limit=limit, resources=webhook.resources, actions=webhook.actions
    )
    return page.changes, page.last_seq
