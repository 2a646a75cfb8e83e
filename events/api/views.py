"""API views for places, actors and events."""

from django.db.models import Prefetch

from claims.selectors import annotate_claim_summary
from events.api.serializers import ActorSerializer, EventSerializer, PlaceSerializer
from events.models import Actor, Affiliation, Event, Participant, Place
from eventsapi.api.viewsets import ResourceViewSet


class PlaceViewSet(ResourceViewSet):
    """Places events happen in: countries down to localities and features, nested by `parent`."""

    queryset = Place.objects.select_related("parent")
    serializer_class = PlaceSerializer
    ordering = ["name", "id"]
    ordering_fields = ["name", "kind", "country_code", "created_at", "updated_at"]


class ActorViewSet(ResourceViewSet):
    """People and organisations that take part in events and make statements."""

    queryset = Actor.objects.prefetch_related(
        Prefetch("affiliations", Affiliation.objects.select_related("organization"))
    )
    serializer_class = ActorSerializer
    ordering = ["name", "id"]
    ordering_fields = ["name", "kind", "country_code", "created_at", "updated_at"]


class EventViewSet(ResourceViewSet):
    """Things that happened (or are claimed to have happened), where, when and who took part."""

    queryset = annotate_claim_summary(
        Event.objects.select_related("place").prefetch_related(
            Prefetch("participants", Participant.objects.select_related("actor"))
        )
    )
    serializer_class = EventSerializer
    ordering = ["-start_date", "id"]
    ordering_fields = ["start_date", "title", "event_type", "created_at", "updated_at"]
