"""API views for sources and statements."""

from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.reverse import reverse

from claims.api.exports import SourceExport, StatementExport
from claims.api.fast import source_representations, statement_representations
from claims.api.renderers import JSONLDRenderer
from claims.api.reviews import ReviewsMixin
from claims.api.serializers import SourceSerializer, StatementSerializer, TimelineSerializer
from claims.claimreview import claim_review_document, latest_final_review
from claims.filtersets import SourceFilterSet, StatementFilterSet
from claims.models import Source, Statement, StatementEvent
from claims.selectors import event_timeline
from events.api import views as events_views
from eventsapi.api.export import ExportMixin
from eventsapi.api.viewsets import FastListMixin, ResourceViewSet


class EventViewSet(ReviewsMixin, events_views.EventViewSet):
    """Things that happened (or are claimed to have happened), where, when and who took part."""

    @extend_schema(
        summary="Timeline of an event",
        description=(
            "The event's statements, their sources and every review, oldest first, each typed "
            "and dated: for newsroom timeline widgets."
        ),
        responses=TimelineSerializer,
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def timeline(self, request, pk=None):
        event = self.get_object()
        body = {"event": event, "results": event_timeline(event)}
        return Response(TimelineSerializer(body, context=self.get_serializer_context()).data)


class SourceViewSet(ExportMixin, FastListMixin, ReviewsMixin, ResourceViewSet):
    """Where claims appeared: articles, social posts, videos. `url` is unique after normalisation."""

    queryset = Source.objects.select_related("publisher").prefetch_related("cites")
    serializer_class = SourceSerializer
    filterset_class = SourceFilterSet
    export = SourceExport
    list_representations = staticmethod(source_representations)
    list_prefetch = False
    ordering = ["-created_at", "id"]
    ordering_fields = ["created_at", "updated_at", "kind", "title"]


class StatementViewSet(ExportMixin, FastListMixin, ReviewsMixin, ResourceViewSet):
    """Who said what, when, where it appeared, and which events it supports or refutes."""

    queryset = Statement.objects.select_related("speaker", "responds_to").prefetch_related(
        "sources",
        "replies",
        Prefetch("about", StatementEvent.objects.select_related("event")),
    )
    serializer_class = StatementSerializer
    filterset_class = StatementFilterSet
    export = StatementExport
    list_representations = staticmethod(statement_representations)
    list_prefetch = False
    ordering = ["-stated_on", "id"]
    ordering_fields = ["stated_on", "created_at", "updated_at"]

    @extend_schema(
        summary="schema.org ClaimReview",
        description=(
            "ClaimReview JSON-LD for a statement with a final verdict (verified, false, misleading "
            "or unverifiable). A statement without one gets 404."
        ),
        responses={
            (200, "application/ld+json"): OpenApiResponse(OpenApiTypes.OBJECT),
            (200, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT),
        },
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONLDRenderer, JSONRenderer])
    def claimreview(self, request, pk=None):
        statement = self.get_object()
        review = latest_final_review(statement)
        if review is None:
            raise exceptions.NotFound(
                f"No ClaimReview: the statement's verification status is "
                f"'{statement.verification_status}', not a final verdict.",
                code="no_final_verdict",
            )
        url = reverse("statement-claimreview", kwargs={"pk": statement.pk}, request=request)
        return Response(claim_review_document(statement, review, url))
