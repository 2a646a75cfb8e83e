"""The read paths of the event, place and actor lists, without DRF's generic serializers.

Rendering a page of 100 events through ``EventSerializer`` cost several times what the
database needed: every nested brief object built a serializer and its fields anew. These
functions turn the same prefetched rows into exactly the dictionaries the serializers
produce (same keys, same order, same values once rendered as JSON);
tests/events/test_fast_read_path.py holds them to that (and claims.api.fast, the
statement list). The serializers stay the
definition of the representation (schema, writes, detail views, the browsable API); a field
added there must be added here, or that test fails.
"""

import uuid
from collections import defaultdict

from django.urls import reverse

from events.models import Affiliation, Participant

PLACEHOLDER = uuid.UUID(int=0)


def link_builder(request, view_name: str):
    """A function from pk to the absolute URL of ``view_name``, reversing the route once."""
    template = request.build_absolute_uri(reverse(view_name, kwargs={"pk": PLACEHOLDER}))
    prefix, suffix = template.split(str(PLACEHOLDER))
    return lambda pk: f"{prefix}{pk}{suffix}"


def resource_head(record, link, link_key: str = "url") -> dict:
    """The fields every resource representation starts with, in the serializers' order
    (``RESOURCE_FIELDS``; sources name their link ``api_url``)."""
    return {
        "id": record.id,
        link_key: link(record.id),
        "version": record.version,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
    }


def named_brief(pk, name: str, link) -> dict:
    """A brief actor or place: ``{id, url, name}``."""
    return {"id": pk, "url": link(pk), "name": name}


def grouped(rows) -> dict:
    """``{first column: [the rest of each row, ...]}``, in the rows' order."""
    by_key = defaultdict(list)
    for key, *rest in rows:
        by_key[key].append(rest)
    return by_key


def participant_rows(events) -> dict[uuid.UUID, list[list]]:
    """Each event's ``(actor id, actor name, role)``, in one query.

    Read as tuples rather than through ``prefetch_related``, whose per-row querysets cost
    a third of the page's time.
    """
    return grouped(
        Participant.objects.filter(event_id__in=[event.id for event in events])
        .order_by("id")
        .values_list("event_id", "actor_id", "actor__name", "role")
    )


def event_representations(events, request) -> list[dict]:
    """``EventSerializer(events, many=True).data`` for events of ``EventViewSet``'s queryset.

    Reads the participants itself: the queryset need not prefetch them.
    """
    participants = participant_rows(events) if events else {}
    event_url, place_url, actor_url = (
        link_builder(request, "event-detail"),
        link_builder(request, "place-detail"),
        link_builder(request, "actor-detail"),
    )
    representations = []
    for event in events:
        place = event.place
        representations.append(
            {
                **resource_head(event, event_url),
                "title": event.title,
                "summary": event.summary,
                "event_type": event.event_type,
                "start_date": event.start_date,
                "end_date": event.end_date,
                "date_precision": event.date_precision,
                "place": None if place is None else named_brief(place.id, place.name, place_url),
                "participants": [
                    {"actor": named_brief(actor_id, name, actor_url), "role": role}
                    for actor_id, name, role in participants.get(event.id, ())
                ],
                "verification_status": event.verification_status,
                "contested": bool(event.contested),
                "statement_count": event.statement_count,
                "supporting_count": event.supporting_count,
                "refuting_count": event.refuting_count,
            }
        )
    return representations


def place_representations(places, request) -> list[dict]:
    """``PlaceSerializer(places, many=True).data`` for ``PlaceViewSet``'s queryset."""
    place_url = link_builder(request, "place-detail")
    return [
        {
            **resource_head(place, place_url),
            "name": place.name,
            "alternate_names": place.alternate_names,
            "kind": place.kind,
            "country_code": place.country_code,
            "parent": None
            if place.parent is None
            else named_brief(place.parent.id, place.parent.name, place_url),
            "latitude": place.latitude,
            "longitude": place.longitude,
            "external_ids": place.external_ids,
        }
        for place in places
    ]


def actor_representations(actors, request) -> list[dict]:
    """``ActorSerializer(actors, many=True).data`` for ``ActorViewSet``'s list.

    Reads the affiliations itself, as tuples in their model's order: the queryset need not
    prefetch them.
    """
    affiliations = (
        grouped(
            Affiliation.objects.filter(actor_id__in=[actor.id for actor in actors])
            .order_by(*Affiliation._meta.ordering)
            .values_list(
                "actor_id", "organization_id", "organization__name", "role", "start_date", "end_date"
            )
        )
        if actors
        else {}
    )
    actor_url = link_builder(request, "actor-detail")
    return [
        {
            **resource_head(actor, actor_url),
            "name": actor.name,
            "kind": actor.kind,
            "aliases": actor.aliases,
            "description": actor.description,
            "country_code": actor.country_code,
            "external_ids": actor.external_ids,
            "affiliations": [
                {
                    "organization": named_brief(pk, name, actor_url),
                    "role": role,
                    "start_date": start,
                    "end_date": end,
                }
                for pk, name, role, start, end in affiliations.get(actor.id, ())
            ],
        }
        for actor in actors
    ]
