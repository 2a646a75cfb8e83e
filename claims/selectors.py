"""Reads about claims that more than one view needs."""

from collections.abc import Iterator
from datetime import UTC, datetime

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet

from claims.models import Review, Stance, StatementEvent
from events.models import CLAIM_SUMMARY_FIELDS, Event


def _live_links() -> QuerySet:
    """Stances of statements that are not tombstoned: a deleted statement no longer counts."""
    return StatementEvent.objects.filter(statement__deleted_at__isnull=True)


# The summary of an event no live statement is about.
EMPTY_SUMMARY = {"statement_count": 0, "supporting_count": 0, "refuting_count": 0, "contested": False}


def computed_claim_summaries(event_ids=None) -> QuerySet:
    """``{event, statement_count, supporting_count, refuting_count, contested}`` per event that
    live statements are about, computed from the stances: the rule the stored summary follows.

    An event is contested when statements by different speakers both support and refute it:
    some refuting speaker differs from some supporting one, which is to say both sides have
    a speaker and the two sides together have at least two.
    """
    links = _live_links()
    if event_ids is not None:
        links = links.filter(event__in=event_ids)
    sides = Q(stance__in=[Stance.SUPPORTS, Stance.REFUTES])
    return (
        links.order_by()
        .values("event")
        .annotate(
            statement_count=Count("pk"),
            supporting_count=Count("pk", filter=Q(stance=Stance.SUPPORTS)),
            refuting_count=Count("pk", filter=Q(stance=Stance.REFUTES)),
            speakers_on_either_side=Count("statement__speaker", filter=sides, distinct=True),
        )
        .annotate(
            contested=ExpressionWrapper(
                Q(supporting_count__gt=0, refuting_count__gt=0, speakers_on_either_side__gte=2),
                output_field=BooleanField(),
            )
        )
        .values("event", *CLAIM_SUMMARY_FIELDS)
    )


def event_timeline(event) -> list[dict]:
    """The statements about an event, their sources and every review, oldest first.

    Sources without a publication time are left out: they cannot be placed in time. Each
    entry's ``link`` is ``(view name, pk)`` of what it points to; the API makes it a URL.
    """
    links = (
        _live_links()
        .filter(event=event)
        .select_related("statement__speaker")
        .prefetch_related("statement__sources__publisher")
    )
    statements = [link.statement for link in links]
    entries = [
        {
            "type": "statement",
            "date": link.statement.stated_on,
            "datetime": link.statement.stated_at,
            "id": link.statement.pk,
            "link": ("statement-detail", link.statement.pk),
            "summary": link.statement.text,
            "actor": link.statement.speaker,
            "stance": link.stance,
            "verification_status": link.statement.verification_status,
        }
        for link in links
    ]
    sources = {source.pk: source for statement in statements for source in statement.sources.all()}
    entries += [
        {
            "type": "source",
            "date": source.published_at.astimezone(UTC).date(),
            "datetime": source.published_at,
            "id": source.pk,
            "link": ("source-detail", source.pk),
            "summary": source.title or source.url,
            "actor": source.publisher,
            "stance": None,
            "verification_status": source.verification_status,
        }
        for source in sources.values()
        if source.published_at
    ]
    reviews = Review.objects.filter(
        Q(event=event) | Q(statement__in=statements) | Q(source__in=list(sources))
    ).select_related("event", "statement", "source")
    entries += [
        {
            "type": "review",
            "date": review.created_at.astimezone(UTC).date(),
            "datetime": review.created_at,
            "id": review.pk,
            "link": (f"{review.subject._meta.model_name}-reviews", review.subject.pk),
            "summary": f"{review.verdict}: {review.rationale}" if review.rationale else review.verdict,
            "actor": None,
            "stance": None,
            "verification_status": review.verdict,
        }
        for review in reviews
    ]
    order = {"source": 0, "statement": 1, "review": 2}
    return sorted(
        entries,
        key=lambda entry: (
            entry["date"],
            entry["datetime"] is not None,
            entry["datetime"] or datetime.min.replace(tzinfo=UTC),
            order[entry["type"]],
            str(entry["id"]),
        ),
    )


def claim_summary_drift(*, chunk: int = 10_000) -> Iterator[dict]:
    """``{event, stored, computed}`` for every event (tombstoned ones too) whose stored claim
    summary differs from ``computed_claim_summaries``, read ``chunk`` events at a time."""
    events = Event.all_objects.order_by("pk").values_list("pk", *CLAIM_SUMMARY_FIELDS)
    after = None
    while True:
        page = list((events.filter(pk__gt=after) if after else events)[:chunk])
        if not page:
            return
        after = page[-1][0]
        computed = {
            row.pop("event"): row for row in computed_claim_summaries(event_ids=[row[0] for row in page])
        }
        for pk, *stored_values in page:
            stored = dict(zip(CLAIM_SUMMARY_FIELDS, stored_values, strict=True))
            expected = computed.get(pk, EMPTY_SUMMARY)
            if stored != expected:
                yield {"event": pk, "stored": stored, "computed": expected}
