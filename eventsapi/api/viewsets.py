"""The base viewset every resource uses.

- A write runs in one transaction, validation included, and its response is re-read
  through ``get_queryset()`` so it has exactly the shape and prefetching of a GET.
- No lost updates: detail responses carry ``ETag: "<version>"``; PUT/PATCH/DELETE with a
  stale ``If-Match`` get 412 (428 without one when ``EVENTSAPI_REQUIRE_IF_MATCH`` is on);
  GET with a matching ``If-None-Match`` gets 304.
- Nothing vanishes: DELETE leaves a tombstone (GET then answers 410); deleting a row that
  live rows still refer to is a 409 naming them.
"""

from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.reverse import reverse

from eventsapi.api.history import HistoryMixin
from eventsapi.api.problems import Gone, PreconditionFailed, PreconditionRequired
from eventsapi.api.renderers import ORJSONRenderer
from eventsapi.services import resource_tombstone

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The ETag you last read. A stale one gets 412 and changes nothing.",
)
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The ETag you hold; 304 Not Modified when it is still current.",
)


def etag_for(instance) -> str:
    return f'"{instance.version}"'


def _etags(header: str) -> list[str]:
    return [tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()]


class ResourceViewSet(HistoryMixin, viewsets.ModelViewSet):
    """CRUD over one resource, with ETags, preconditions, transactions, tombstones, history."""

    lookup_value_converter = "uuid"
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def perform_content_negotiation(self, request, force=False):
        # A method the URL does not allow is a 405 whatever ?format= says, so negotiate leniently.
        return super().perform_content_negotiation(request, force=force or self.action is None)

    def filter_queryset(self, queryset):
        # List filters and ordering apply to lists only: a detail URL names one row.
        if self.detail:
            return queryset
        return super().filter_queryset(queryset)

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            model = self.get_queryset().model
            pk = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
            if model.all_objects.filter(pk=pk, deleted_at__isnull=False).exists():
                raise Gone(f"This {model._meta.verbose_name} was deleted.") from None
            raise

    def _reloaded(self, instance):
        return self.get_queryset().get(pk=instance.pk)

    def _locked_for_write(self):
        """The object, row-locked for this transaction, after checking If-Match."""
        instance = self.get_object()
        type(instance).all_objects.select_for_update().filter(pk=instance.pk).values("pk").first()
        instance = self.get_object()
        expected = self.request.headers.get("If-Match")
        if expected is None:
            if settings.EVENTSAPI_REQUIRE_IF_MATCH:
                raise PreconditionRequired("Send If-Match with the ETag you last read.")
        elif "*" not in _etags(expected) and etag_for(instance) not in _etags(expected):
            raise PreconditionFailed(
                f"The {instance._meta.verbose_name} changed since you read it: it is now at "
                f"version {instance.version} (ETag {etag_for(instance)})."
            )
        return instance

    def _with_etag(self, response: Response, instance) -> Response:
        response["ETag"] = etag_for(instance)
        return response

    @extend_schema(parameters=[IF_NONE_MATCH])
    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        if etag_for(instance) in _etags(request.headers.get("If-None-Match", "")):
            return self._with_etag(Response(status=status.HTTP_304_NOT_MODIFIED), instance)
        return self._with_etag(Response(self.get_serializer(instance).data), instance)

    @transaction.atomic
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = self._reloaded(serializer.save())
        location = reverse(f"{self.basename}-detail", kwargs={"pk": instance.pk}, request=request)
        response = Response(
            self.get_serializer(instance).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )
        return self._with_etag(response, instance)

    @extend_schema(parameters=[IF_MATCH])
    @transaction.atomic
    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        instance = self._locked_for_write()
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        instance = self._reloaded(serializer.save())
        return self._with_etag(Response(self.get_serializer(instance).data), instance)

    @extend_schema(parameters=[IF_MATCH])
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    @extend_schema(parameters=[IF_MATCH])
    @transaction.atomic
    def destroy(self, request, *args, **kwargs):
        resource_tombstone(resource=self._locked_for_write())
        return Response(status=status.HTTP_204_NO_CONTENT)


class FastListMixin:
    """A list read path that skips DRF's generic serializers for JSON.

    ``list_representations(rows, request)`` turns a page of the viewset's queryset into
    exactly what ``serializer_class(rows, many=True).data`` would (a test per resource
    proves it), and the JSON is written by orjson. The browsable API, exports and every
    other action keep the serializers; filters, ordering and pagination are the same.
    """

    list_representations: Callable[[list, object], list[dict]]
    # False when list_representations reads the related rows itself.
    list_prefetch = True

    def _orderable_names(self, model) -> set[str]:
        terms = [*model._meta.ordering, *(getattr(self, "ordering", None) or []), *self.ordering_fields]
        return {term.lstrip("-") for term in terms if isinstance(term, str)}

    def get_renderers(self):
        return [
            ORJSONRenderer() if type(renderer) is JSONRenderer else renderer
            for renderer in super().get_renderers()
        ]

    def list(self, request, *args, **kwargs):
        if not isinstance(request.accepted_renderer, JSONRenderer):
            return super().list(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset())
        if not self.list_prefetch:
            queryset = queryset.prefetch_related(None)
        columns = type(self).list_representations.columns
        if columns is not None:
            # The page as values() rows, with every field a cursor may be positioned on.
            ordered_on = self._orderable_names(queryset.model) - set(columns)
            queryset = queryset.values(*columns, *sorted(ordered_on))
        page = self.paginate_queryset(queryset)
        if page is None:
            return super().list(request, *args, **kwargs)
        return self.get_paginated_response(type(self).list_representations(page, request))
