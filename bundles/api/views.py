"""``POST /api/v1/bundles/``: a whole story in one request, all or nothing."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import transaction
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from bundles.api.errors import BundleError
from bundles.api.operations import parse_bundle
from bundles.api.runner import BundleRunner
from bundles.api.serializers import BundleResponseSerializer, BundleSerializer
from changes.services import changes_batched
from matching.services import index_writes_batched


class BundleViewSet(viewsets.GenericViewSet):
    """Many writes in one request: ordered operations, all or nothing, with local ids.

    Each operation (`create`, `update`, `upsert`, `delete`, `review`) runs the rules of its
    resource's own endpoint: validation, permissions (editors write, verifiers review),
    history, the change feed and `If-Match` (`if_match`). Any failure rolls the whole bundle
    back and answers one problem whose `errors[].field` points into the bundle
    (`operations[7].data.about[0].event`) and whose `operation` names the failing one.
    """

    permission_classes = [IsAuthenticated]
    serializer_class = BundleSerializer
    pagination_class = None
    filter_backends = []
    # The schema's error responses beyond a POST's (eventsapi.api.schema.auto_schema).
    schema_error_codes = ("404", "410", "412")

    @extend_schema(
        summary="Post a bundle of operations",
        request=BundleSerializer,
        responses={
            201: OpenApiResponse(BundleResponseSerializer, description="Something was created."),
            200: OpenApiResponse(
                BundleResponseSerializer,
                description="Nothing was created (or `dry_run`: nothing was written).",
            ),
        },
    )
    def create(self, request, *args, **kwargs):
        try:
            body = request.data
        except RequestDataTooBig:
            raise BundleError(
                413,
                f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes; "
                "split the bundle.",
                field="operations",
                code="payload_too_large",
            ) from None
        bundle = parse_bundle(body, max_operations=settings.EVENTSAPI_BUNDLE_MAX_OPERATIONS)
        with transaction.atomic():
            with changes_batched() as changes, index_writes_batched():
                results = BundleRunner(request, changes).run(bundle.operations)
            if bundle.dry_run:
                transaction.set_rollback(True)
        created = not bundle.dry_run and any(result["status"] == "created" for result in results)
        body = {"results": results, "dry_run": bundle.dry_run}
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
