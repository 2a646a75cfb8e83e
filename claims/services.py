"""Writes about claims that do more than save one row."""

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from claims.models import Review, Source, Statement
from claims.selectors import EMPTY_SUMMARY, computed_claim_summaries
from events.models import CLAIM_SUMMARY_FIELDS, Actor, Event
from eventsapi.validation import full_clean_known

Reviewable = Event | Statement | Source


@transaction.atomic
def review_create(
    *,
    subject: Reviewable,
    verdict: str,
    rationale: str,
    evidence: Iterable[Source],
    reviewer: AbstractBaseUser | None,
    reviewer_organization: Actor | None = None,
    external_url: str = "",
    created_at: datetime.datetime | None = None,
) -> Review:
    """Record a verdict and set the subject's ``verification_status`` in one transaction.

    The subject row is locked first, so two reviewers posting at once are serialised and
    ``previous_status`` is always the status the verdict replaced. An imported fact-check is
    a review by ``reviewer_organization`` (no user), with its own address and date.
    """
    model = type(subject)
    locked = model.objects.select_for_update().get(pk=subject.pk)
    review = Review(
        verdict=verdict,
        previous_status=locked.verification_status,
        rationale=rationale.strip(),
        reviewer=reviewer,
        reviewer_organization=reviewer_organization,
        external_url=external_url,
        **{model._meta.model_name: locked},
    )
    if created_at is not None:
        review.created_at = created_at
    full_clean_known(review, exclude=["evidence", "reviewer", "reviewer_organization"])
    review.save()
    review.evidence.add(*evidence)
    locked.verification_status = verdict
    locked.save(update_fields=["verification_status", "version", "updated_at"])
    return review


REPAIR_BATCH = 1000


@transaction.atomic
def claim_summary_repair(*, event_ids: Iterable) -> int:
    """Store the computed claim summary of each event, counted once the rows are locked (so a
    writer that commits meanwhile is counted); returns how many events were written."""
    event_ids = list(event_ids)
    repaired = 0
    for start in range(0, len(event_ids), REPAIR_BATCH):
        locked = list(
            Event.all_objects.select_for_update()
            .filter(pk__in=event_ids[start : start + REPAIR_BATCH])
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        computed = {row.pop("event"): row for row in computed_claim_summaries(event_ids=locked)}
        events = [Event(pk=pk, **computed.get(pk, EMPTY_SUMMARY)) for pk in locked]
        Event.all_objects.bulk_update(events, CLAIM_SUMMARY_FIELDS)
        repaired += len(events)
    return repaired
