"""The reviews sub-resource shared by events, statements and sources."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from claims.api.serializers import ReviewSerializer
from claims.services import review_create
from eventsapi.api.pagination import NewestFirstPagination
from eventsapi.api.permissions import VerifierWriteOrPublicRead


class ReviewsMixin:
    """Adds ``{id}/reviews/``: GET the verdict history (newest first), POST a verdict."""

    @extend_schema(
        methods=["GET"],
        summary="Verdict history",
        description="Every review of this item, newest first.",
        responses=ReviewSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Post a verdict",
        description=(
            "Sets `verification_status` to the verdict in the same transaction. Verifiers only. "
            "A rationale is required for every verdict but `in_review`."
        ),
        request=ReviewSerializer,
        responses={201: ReviewSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        permission_classes=[VerifierWriteOrPublicRead],
        serializer_class=ReviewSerializer,
        pagination_class=NewestFirstPagination,
        filter_backends=[],
    )
    def reviews(self, request, pk=None):
        subject = self.get_object()
        if request.method == "POST":
            serializer = self.get_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            review = review_create(
                subject=subject,
                verdict=serializer.validated_data["verdict"],
                rationale=serializer.validated_data.get("rationale", ""),
                evidence=serializer.validated_data.get("evidence", []),
                reviewer=request.user,
            )
            return Response(self.get_serializer(review).data, status=status.HTTP_201_CREATED)
        reviews = subject.reviews.select_related("reviewer", "reviewer_organization").prefetch_related(
            "evidence"
        )
        page = self.paginate_queryset(reviews)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
