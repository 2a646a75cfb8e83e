"""The statement and source lists' fast path: their serializers compiled
(eventsapi.api.representation), with the grouped reads of their many-valued fields.

Each read keeps what the serializer's prefetch would select and its order: live sources
newest first, every stance by link id, live replies in the list's order.
"""

from claims.api.serializers import SourceSerializer, StatementSerializer
from claims.models import Source, Statement, StatementEvent
from eventsapi.api.representation import TupleRead, compile_list

SOURCES = TupleRead(
    Statement.sources.through.objects.filter(source__in=Source.objects.all()).order_by(
        "-source__published_at", "source__id"
    ),
    key="statement_id",
    prefix="source",
)
STANCES = TupleRead(StatementEvent.objects.order_by("id"), key="statement_id")
REPLIES = TupleRead(Statement.objects.order_by(*Statement._meta.ordering), key="responds_to_id")
CITES = TupleRead(
    Source.cites.through.objects.filter(to_source__in=Source.objects.all()).order_by(
        "-to_source__published_at", "to_source__id"
    ),
    key="from_source_id",
    prefix="to_source",
)

statement_representations = compile_list(
    StatementSerializer, reads={"sources": SOURCES, "about": STANCES, "replies": REPLIES}
)
source_representations = compile_list(SourceSerializer, reads={"cites": CITES})
