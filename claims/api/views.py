"""API views for sources and statements."""

from django.db.models import Prefetch

from claims.api.serializers import SourceSerializer, StatementSerializer
from claims.models import Source, Statement, StatementEvent
from eventsapi.api.viewsets import ResourceViewSet


class SourceViewSet(ResourceViewSet):
    """Where claims appeared: articles, social posts, videos. `url` is unique after normalisation."""

    queryset = Source.objects.select_related("publisher").prefetch_related("cites")
    serializer_class = SourceSerializer
    ordering = ["-created_at", "id"]
    ordering_fields = ["created_at", "updated_at", "kind", "title"]


class StatementViewSet(ResourceViewSet):
    """Who said what, when, where it appeared, and which events it supports or refutes."""

    queryset = Statement.objects.select_related("speaker", "responds_to").prefetch_related(
        "sources",
        "replies",
        Prefetch("about", StatementEvent.objects.select_related("event")),
    )
    serializer_class = StatementSerializer
    ordering = ["-stated_on", "id"]
    ordering_fields = ["stated_on", "created_at", "updated_at"]
