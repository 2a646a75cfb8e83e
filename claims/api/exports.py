"""CSV columns of the source and statement lists (see eventsapi.api.export)."""

from django.db.models import Prefetch

from claims.models import Source, StatementEvent
from eventsapi.api.export import RESOURCE_COLUMNS, Export


class SourceExport(Export):
    name = "sources"
    columns = (
        ("id", lambda source: source.pk),
        ("url", lambda source: source.url),
        ("kind", lambda source: source.kind),
        ("title", lambda source: source.title),
        ("publisher_id", lambda source: source.publisher_id),
        ("publisher_name", lambda source: source.publisher.name if source.publisher else None),
        ("author", lambda source: source.author),
        ("published_at", lambda source: source.published_at),
        ("language", lambda source: source.language),
        ("archived_url", lambda source: source.archived_url),
        ("verification_status", lambda source: source.verification_status),
        ("cites", lambda source: [cited.pk for cited in source.cites.all()]),
        *RESOURCE_COLUMNS,
    )


class StatementExport(Export):
    name = "statements"
    columns = (
        ("id", lambda statement: statement.pk),
        ("text", lambda statement: statement.text),
        ("language", lambda statement: statement.language),
        ("is_direct_quote", lambda statement: statement.is_direct_quote),
        ("speaker_id", lambda statement: statement.speaker_id),
        ("speaker_name", lambda statement: statement.speaker.name),
        ("stated_on", lambda statement: statement.stated_on),
        ("stated_at", lambda statement: statement.stated_at),
        ("sources", lambda statement: [source.pk for source in statement.sources.all()]),
        ("about", lambda statement: {link.event_id: link.stance for link in statement.about.all()}),
        ("responds_to_id", lambda statement: statement.responds_to_id),
        ("verification_status", lambda statement: statement.verification_status),
        *RESOURCE_COLUMNS,
    )

    # Only the ids the columns read: the list's prefetches (replies, whole events and
    # sources) would be read and dropped for every chunk.
    @classmethod
    def queryset(cls, queryset):
        return queryset.prefetch_related(None).prefetch_related(
            Prefetch("sources", Source.objects.only("id")),
            Prefetch("about", StatementEvent.objects.only("statement_id", "event_id", "stance")),
        )
