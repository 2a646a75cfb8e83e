"""The change feed (``/api/v1/changes/``) and webhook subscriptions (``/api/v1/webhooks/``)."""

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from changes import selectors
from changes.api.serializers import (
    ChangeFeedQuerySerializer,
    ChangeFeedSerializer,
    ChangeSerializer,
    WebhookCreatedSerializer,
    WebhookDeliverySerializer,
    WebhookSerializer,
)
from changes.models import ChangeResource
from changes.services import webhook_create, webhook_resume
from eventsapi.api.pagination import NewestFirstPagination
from eventsapi.api.permissions import EDITORS_GROUP, EditorWriteOrPublicRead, in_group
from eventsapi.history import ChangeAction

FEED_PARAMETERS = [
    OpenApiParameter(
        "after",
        OpenApiTypes.INT,
        description="Return entries with a seq above this one: the `last_seq` of your previous poll "
        "(0, the default, reads from the start).",
    ),
    OpenApiParameter(
        "limit", OpenApiTypes.INT, description="At most this many entries, 1 to 500 (default 100)."
    ),
    OpenApiParameter(
        "resource",
        OpenApiTypes.STR,
        enum=ChangeResource.values,
        many=True,
        explode=False,
        description="Only changes of these resources (comma-separated).",
    ),
    OpenApiParameter(
        "action",
        OpenApiTypes.STR,
        enum=ChangeAction.values,
        many=True,
        explode=False,
        description="Only these actions (comma-separated).",
    ),
]


class ChangeViewSet(viewsets.GenericViewSet):
    """Every committed change to every resource, in commit order.

    Poll with `after=<last_seq>`: no change is ever missed or repeated, however writes
    commit. An entry appears once its transaction has committed, never before.
    """

    permission_classes = [EditorWriteOrPublicRead]
    serializer_class = ChangeSerializer
    pagination_class = None
    filter_backends = []
    # The feed answers one object ({results, last_seq, next}), not a bare array.
    schema_list_is_object = True

    @extend_schema(
        summary="Change feed",
        operation_id="changes_list",
        parameters=FEED_PARAMETERS,
        responses=ChangeFeedSerializer,
    )
    def list(self, request):
        query = ChangeFeedQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        page = selectors.feed_page(
            after=params["after"],
            limit=params["limit"],
            resources=params["resource"],
            actions=params["action"],
        )
        next_url = (
            replace_query_param(request.build_absolute_uri(), "after", page.last_seq) if page.more else None
        )
        return Response(
            {
                "results": ChangeSerializer(page.changes, many=True).data,
                "last_seq": page.last_seq,
                "next": next_url,
            }
        )


class IsEditor(BasePermission):
    """Editors and superusers; the queryset narrows editors to their own webhooks."""

    message = "Managing webhooks requires membership of the editors group."

    def has_permission(self, request, view) -> bool:
        return in_group(request.user, EDITORS_GROUP)


class DeliveryLogPagination(NewestFirstPagination):
    ordering = ("-attempted_at", "-id")


@extend_schema_view(
    list=extend_schema(summary="List webhooks (superusers see all, editors their own)"),
    retrieve=extend_schema(summary="Show a webhook"),
    create=extend_schema(summary="Subscribe a webhook", responses={201: WebhookCreatedSerializer}),
    update=extend_schema(summary="Replace a webhook"),
    partial_update=extend_schema(summary="Change a webhook; `active: true` resumes a paused one"),
    destroy=extend_schema(summary="Delete a webhook and its delivery log"),
)
class WebhookViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Webhooks POST each matching feed entry, signed, in order, to their target URL."""

    permission_classes = [IsEditor]
    serializer_class = WebhookSerializer
    filter_backends = []
    lookup_value_converter = "uuid"

    def get_queryset(self):
        return selectors.webhooks_visible_to(self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        webhook = webhook_create(owner=request.user, **serializer.validated_data)
        created = WebhookCreatedSerializer(webhook, context=self.get_serializer_context())
        return Response(created.data, status=status.HTTP_201_CREATED)

    @transaction.atomic
    def perform_update(self, serializer):
        switched_on = serializer.validated_data.get("active") is True and not serializer.instance.active
        webhook = serializer.save()
        if switched_on:
            webhook_resume(webhook=webhook)

    @extend_schema(
        summary="Resume a paused webhook",
        description="Switches it back on and clears its failures; the worker retries at once.",
        operation_id="webhooks_resume",
        request=None,
        responses=WebhookSerializer,
    )
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        webhook = webhook_resume(webhook=self.get_object())
        return Response(self.get_serializer(webhook).data)

    @extend_schema(
        summary="Delivery log",
        description="Every delivery attempt, newest first: entry, attempt, HTTP status or error, duration.",
        operation_id="webhooks_deliveries_list",
        responses=WebhookDeliverySerializer(many=True),
    )
    @action(
        detail=True,
        methods=["get"],
        serializer_class=WebhookDeliverySerializer,
        pagination_class=DeliveryLogPagination,
    )
    def deliveries(self, request, pk=None):
        deliveries = self.paginate_queryset(self.get_object().deliveries.all())
        return self.get_paginated_response(self.get_serializer(deliveries, many=True).data)
