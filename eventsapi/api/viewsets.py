"""The base viewset every resource uses: transactions around writes, re-reads after them."""

from django.db import transaction
from rest_framework import status, viewsets
from rest_framework.response import Response


class ResourceViewSet(viewsets.ModelViewSet):
    """CRUD over one resource.

    A write runs in one transaction, validation included, and its response is re-read
    through ``get_queryset()`` so it has exactly the shape and prefetching of a GET.
    """

    lookup_value_converter = "uuid"
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def _reloaded(self, instance):
        return self.get_queryset().get(pk=instance.pk)

    @transaction.atomic
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = serializer.save()
        body = self.get_serializer(self._reloaded(instance)).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": body["url"]})

    @transaction.atomic
    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        instance = serializer.save()
        return Response(self.get_serializer(self._reloaded(instance)).data)

    @transaction.atomic
    def destroy(self, request, *args, **kwargs):
        self.get_object().delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
