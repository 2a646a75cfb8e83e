"""CSV columns of the source and statement lists (see eventsapi.api.export): the
serializers' fields, and the columns that differ from them."""

from django.db.models import Prefetch

from claims.api.serializers import SourceSerializer, StatementSerializer
from claims.models import Source, StatementEvent
from eventsapi.api.export import Export, serializer_columns


class SourceExport(Export):
    name = "sources"
    # An article's full text (kept with EVENTSAPI_KEEP_SOURCE_TEXT) is no spreadsheet cell.
    columns = serializer_columns(SourceSerializer, omit=("text",))


class StatementExport(Export):
    name = "statements"
    columns = serializer_columns(
        StatementSerializer,
        replace={
            "about": (
                ("about", lambda statement: {link.event_id: link.stance for link in statement.about.all()}),
            ),
            "responds_to": (("responds_to_id", lambda statement: statement.responds_to_id),),
        },
        omit=("replies",),
    )

    # Only the ids the columns read: the list's prefetches (replies, whole events and
    # sources) would be read and dropped for every chunk.
    @classmethod
    def queryset(cls, queryset):
        return queryset.prefetch_related(None).prefetch_related(
            Prefetch("sources", Source.objects.only("id")),
            Prefetch("about", StatementEvent.objects.only("statement_id", "event_id", "stance")),
        )
