"""The read path of the statement list without DRF's generic serializers: see events.api.fast."""

from events.api.fast import link_builder


def statement_representations(statements, request) -> list[dict]:
    """``StatementSerializer(statements, many=True).data`` for ``StatementViewSet``'s queryset."""
    statement_url, actor_url, source_url, event_url = (
        link_builder(request, "statement-detail"),
        link_builder(request, "actor-detail"),
        link_builder(request, "source-detail"),
        link_builder(request, "event-detail"),
    )

    def brief_statement(statement) -> dict:
        return {"id": statement.id, "url": statement_url(statement.id), "text": statement.text}

    representations = []
    for statement in statements:
        speaker, responds_to = statement.speaker, statement.responds_to
        representations.append(
            {
                "id": statement.id,
                "url": statement_url(statement.id),
                "version": statement.version,
                "created_at": statement.created_at,
                "updated_at": statement.updated_at,
                "text": statement.text,
                "language": statement.language,
                "is_direct_quote": statement.is_direct_quote,
                "speaker": {"id": speaker.id, "url": actor_url(speaker.id), "name": speaker.name},
                "stated_on": statement.stated_on,
                "stated_at": statement.stated_at,
                "sources": [
                    {
                        "id": source.id,
                        "api_url": source_url(source.id),
                        "url": source.url,
                        "title": source.title,
                    }
                    for source in statement.sources.all()
                ],
                "about": [
                    {
                        "event": {
                            "id": link.event.id,
                            "url": event_url(link.event.id),
                            "title": link.event.title,
                        },
                        "stance": link.stance,
                    }
                    for link in statement.about.all()
                ],
                "responds_to": None if responds_to is None else brief_statement(responds_to),
                "replies": [brief_statement(reply) for reply in statement.replies.all()],
                "verification_status": statement.verification_status,
            }
        )
    return representations
