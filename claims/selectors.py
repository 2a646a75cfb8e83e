"""Reads about claims that more than one view needs."""

from datetime import UTC, datetime

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from claims.models import Review, Stance, StatementEvent


def _live_links() -> QuerySet:
    """Stances of statements that are not tombstoned: a deleted statement no longer counts."""
    return StatementEvent.objects.filter(statement__deleted_at__isnull=True)


def _link_count(stance: str | None = None) -> Coalesce:
    links = _live_links().filter(event=OuterRef("pk"))
    if stance:
        links = links.filter(stance=stance)
    counted = links.order_by().values("event").annotate(total=Count("pk")).values("total")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


# Both read the refuting link first: about one event in ten has one, while nearly every
# event has a supporting statement, so most events are settled by a single index probe.


def contested_expression() -> Exists:
    """True when statements by different speakers both support and refute the event."""
    supported_by_someone_else = (
        _live_links()
        .filter(event=OuterRef(OuterRef("pk")), stance=Stance.SUPPORTS)
        .exclude(statement__speaker=OuterRef("statement__speaker"))
    )
    return Exists(
        _live_links()
        .filter(event=OuterRef("pk"), stance=Stance.REFUTES)
        .filter(Exists(supported_by_someone_else))
    )


def contested_event_ids() -> QuerySet:
    """The ids of contested events, as ``contested_expression`` decides.

    For the ``contested`` filter: uncorrelated with the event row, so PostgreSQL reads the
    few contested ids through the stance index instead of testing every event.
    """
    supported_by_someone_else = (
        _live_links()
        .filter(event=OuterRef("event"), stance=Stance.SUPPORTS)
        .exclude(statement__speaker=OuterRef("statement__speaker"))
    )
    refuted = _live_links().filter(stance=Stance.REFUTES)
    return refuted.filter(Exists(supported_by_someone_else)).values("event")


def annotate_claim_summary(events: QuerySet) -> QuerySet:
    """Add ``contested`` and the statement counts to an event queryset, in the same query."""
    return events.annotate(
        contested=contested_expression(),
        statement_count=_link_count(),
        supporting_count=_link_count(Stance.SUPPORTS),
        refuting_count=_link_count(Stance.REFUTES),
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
