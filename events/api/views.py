"""API views for places, actors and events."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse

from events.api.acled_export import AcledRenderer
from events.api.exports import ActorExport, EventExport, PlaceExport
from events.api.fast import actor_representations, event_representations, place_representations
from events.api.serializers import (
    ActorMergeSerializer,
    ActorSerializer,
    EventSerializer,
    PlaceSerializer,
)
from events.filtersets import ActorFilterSet, EventFilterSet, PlaceFilterSet
from events.models import Actor, Affiliation, Event, Participant, Place
from events.services import actor_merge
from eventsapi.api.export import ExportMixin
from eventsapi.api.problems import PermanentRedirect
from eventsapi.api.viewsets import FastListMixin, ResourceViewSet


class PlaceViewSet(ExportMixin, FastListMixin, ResourceViewSet):
    """Places events happen in: countries down to localities and features, nested by `parent`."""

    queryset = Place.objects.select_related("parent")
    serializer_class = PlaceSerializer
    filterset_class = PlaceFilterSet
    export = PlaceExport
    list_representations = staticmethod(place_representations)
    ordering = ["name", "id"]
    ordering_fields = ["name", "kind", "country_code", "created_at", "updated_at"]


class ActorViewSet(ExportMixin, FastListMixin, ResourceViewSet):
    """People and organisations that take part in events and make statements.

    An actor merged into another answers 308 with the survivor's address.
    """

    schema_permanent_redirect = True  # the schema declares the 308 (eventsapi.api.schema)

    queryset = Actor.objects.prefetch_related(
        Prefetch("affiliations", Affiliation.objects.select_related("organization"))
    )
    serializer_class = ActorSerializer
    filterset_class = ActorFilterSet
    export = ActorExport
    list_representations = staticmethod(actor_representations)
    list_prefetch = False
    ordering = ["name", "id"]
    ordering_fields = ["name", "kind", "country_code", "created_at", "updated_at"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list":
            return queryset.filter(merged_into__isnull=True)
        return queryset

    def get_object(self):
        actor = super().get_object()
        if actor.merged_into_id and self.action != "merge":
            survivor = reverse("actor-detail", kwargs={"pk": actor.merged_into_id}, request=self.request)
            raise PermanentRedirect(survivor, f"This actor was merged into {actor.merged_into_id}.")
        return actor

    @extend_schema(
        summary="Merge a duplicate into another actor",
        description=(
            "Moves every reference (statements, participations, affiliations, published sources) "
            "to `into`, adds the merged name and aliases to its aliases, and leaves this actor as "
            "a redirect (308) to it. Editors only."
        ),
        request=ActorMergeSerializer,
        responses={200: ActorSerializer},
    )
    @action(detail=True, methods=["post"], serializer_class=ActorMergeSerializer, filter_backends=[])
    def merge(self, request, pk=None):
        merged = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        survivor = actor_merge(merged=merged, into=serializer.validated_data["into"])
        return Response(ActorSerializer(self._reloaded(survivor), context=self.get_serializer_context()).data)


class EventViewSet(ExportMixin, FastListMixin, ResourceViewSet):
    """What every event endpoint does that needs nothing of claims.

    The routed events viewset is ``claims.api.views.EventViewSet``: it adds what claims
    know of an event (the claim summary, reviews, the timeline), as the app above this one.
    """

    queryset = Event.objects.select_related("place").prefetch_related(
        Prefetch("participants", Participant.objects.select_related("actor"))
    )
    serializer_class = EventSerializer
    filterset_class = EventFilterSet
    export = EventExport
    dataset_renderers = (AcledRenderer,)
    list_representations = staticmethod(event_representations)
    list_prefetch = False
    ordering = ["-start_date", "id"]
    ordering_fields = ["start_date", "title", "event_type", "created_at", "updated_at"]
