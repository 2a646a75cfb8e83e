"""The read paths of the statement and source lists without DRF's generic serializers: see
events.api.fast.

Sources, stances and replies are read as tuples, one query each, rather than prefetched as
model instances: the per-row querysets of ``prefetch_related`` were most of a page's time.
Each query keeps what the serializer's prefetch selects and its order (live sources newest
first, every stance by link id, live replies in the list's order).
"""

from claims.models import Source, Statement, StatementEvent
from events.api.fast import grouped, link_builder, named_brief, resource_head


def brief_source(pk, url: str, title: str, link) -> dict:
    """A brief source: ``{id, api_url, url, title}`` (``url`` is the source's own address)."""
    return {"id": pk, "api_url": link(pk), "url": url, "title": title}


def related_rows(statements) -> tuple[dict, dict, dict]:
    """Each statement's sources, stances and replies, in three queries."""
    ids = [statement.id for statement in statements]
    sources = grouped(
        Statement.sources.through.objects.filter(statement_id__in=ids, source__in=Source.objects.all())
        .order_by("-source__published_at", "source__id")
        .values_list("statement_id", "source_id", "source__url", "source__title")
    )
    about = grouped(
        StatementEvent.objects.filter(statement_id__in=ids)
        .order_by("id")
        .values_list("statement_id", "event_id", "event__title", "stance")
    )
    replies = grouped(
        Statement.objects.filter(responds_to_id__in=ids)
        .order_by(*Statement._meta.ordering)
        .values_list("responds_to_id", "id", "text")
    )
    return sources, about, replies


def statement_representations(statements, request) -> list[dict]:
    """``StatementSerializer(statements, many=True).data`` for ``StatementViewSet``'s queryset.

    Reads sources, stances and replies itself: the queryset need not prefetch them.
    """
    sources, about, replies = related_rows(statements) if statements else ({}, {}, {})
    statement_url, actor_url, source_url, event_url = (
        link_builder(request, "statement-detail"),
        link_builder(request, "actor-detail"),
        link_builder(request, "source-detail"),
        link_builder(request, "event-detail"),
    )

    def brief_statement(pk, text) -> dict:
        return {"id": pk, "url": statement_url(pk), "text": text}

    representations = []
    for statement in statements:
        speaker, responds_to = statement.speaker, statement.responds_to
        representations.append(
            {
                **resource_head(statement, statement_url),
                "text": statement.text,
                "language": statement.language,
                "is_direct_quote": statement.is_direct_quote,
                "speaker": named_brief(speaker.id, speaker.name, actor_url),
                "stated_on": statement.stated_on,
                "stated_at": statement.stated_at,
                "sources": [
                    brief_source(pk, url, title, source_url)
                    for pk, url, title in sources.get(statement.id, ())
                ],
                "about": [
                    {"event": {"id": pk, "url": event_url(pk), "title": title}, "stance": stance}
                    for pk, title, stance in about.get(statement.id, ())
                ],
                "responds_to": None
                if responds_to is None
                else brief_statement(responds_to.id, responds_to.text),
                "replies": [brief_statement(pk, text) for pk, text in replies.get(statement.id, ())],
                "verification_status": statement.verification_status,
            }
        )
    return representations


def source_representations(sources, request) -> list[dict]:
    """``SourceSerializer(sources, many=True).data`` for ``SourceViewSet``'s queryset.

    Reads the cited sources itself (live ones, in the sources' order): the queryset need not
    prefetch them.
    """
    ids = [source.id for source in sources]
    cites = (
        grouped(
            Source.cites.through.objects.filter(from_source_id__in=ids, to_source__in=Source.objects.all())
            .order_by("-to_source__published_at", "to_source__id")
            .values_list("from_source_id", "to_source_id", "to_source__url", "to_source__title")
        )
        if ids
        else {}
    )
    source_url, actor_url = link_builder(request, "source-detail"), link_builder(request, "actor-detail")
    representations = []
    for source in sources:
        publisher = source.publisher
        representations.append(
            {
                **resource_head(source, source_url, link_key="api_url"),
                "url": source.url,
                "kind": source.kind,
                "title": source.title,
                "publisher": None
                if publisher is None
                else named_brief(publisher.id, publisher.name, actor_url),
                "author": source.author,
                "published_at": source.published_at,
                "language": source.language,
                "archived_url": source.archived_url,
                "verification_status": source.verification_status,
                "cites": [
                    brief_source(pk, url, title, source_url) for pk, url, title in cites.get(source.id, ())
                ],
            }
        )
    return representations
