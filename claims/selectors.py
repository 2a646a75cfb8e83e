"""Reads about claims that more than one view needs."""

from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from claims.models import Stance, StatementEvent


def _link_count(stance: str | None = None) -> Coalesce:
    links = StatementEvent.objects.filter(event=OuterRef("pk"))
    if stance:
        links = links.filter(stance=stance)
    counted = links.order_by().values("event").annotate(total=Count("pk")).values("total")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def contested_expression() -> Exists:
    """True when statements by different speakers both support and refute the event."""
    refuted_by_someone_else = StatementEvent.objects.filter(
        event=OuterRef(OuterRef("pk")), stance=Stance.REFUTES
    ).exclude(statement__speaker=OuterRef("statement__speaker"))
    return Exists(
        StatementEvent.objects.filter(event=OuterRef("pk"), stance=Stance.SUPPORTS).filter(
            Exists(refuted_by_someone_else)
        )
    )


def annotate_claim_summary(events: QuerySet) -> QuerySet:
    """Add ``contested`` and the statement counts to an event queryset, in the same query."""
    return events.annotate(
        contested=contested_expression(),
        statement_count=_link_count(),
        supporting_count=_link_count(Stance.SUPPORTS),
        refuting_count=_link_count(Stance.REFUTES),
    )
