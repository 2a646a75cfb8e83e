"""``/api/v1/drafts/``: an article in, proposals out; corrected, then committed as one bundle."""

from django.conf import settings
from django.db import transaction
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from drafts.api.committing import commit_draft
from drafts.api.permissions import EditorsOnly
from drafts.api.serializers import (
    DraftCommitResponseSerializer,
    DraftCreateSerializer,
    DraftSerializer,
    DraftUpdateSerializer,
)
from drafts.filtersets import DraftFilterSet
from drafts.models import Draft
from drafts.selectors import drafts_visible_to
from drafts.services import (
    DraftClosed,
    PageUnusable,
    article_fields_from_html,
    draft_create,
    draft_discard,
    draft_locked,
    draft_update,
)
from eventsapi.api.problems import Conflict, PayloadTooLarge, PreconditionFailed
from eventsapi.api.viewsets import IF_MATCH, _etags, etag_for


class TextTooLong(PayloadTooLarge):
    def __init__(self, field: str, limit: int):
        super().__init__(f"The article is longer than {limit} characters; send it in parts.")
        self.problem_extra = {
            "errors": [{"field": field, "code": "too_long", "message": f"At most {limit} characters."}]
        }


@extend_schema_view(
    list=extend_schema(summary="List your drafts"),
    retrieve=extend_schema(summary="Get a draft"),
    partial_update=extend_schema(
        summary="Correct a draft",
        request=DraftUpdateSerializer,
        parameters=[IF_MATCH],
        description="Each item names a proposal by `key` and gives the fields to change "
        "(`accepted: false` rejects it). Nested objects (`speaker`) merge; lists (`about`, "
        "`participants`) replace.",
    ),
)
class DraftViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """Drafts: an article's proposed statements, speakers, dates, stances and events.

    Visible to the editor who made them (and superusers). `POST .../commit/` writes the
    accepted items as one bundle (all or nothing); `POST .../discard/` drops the draft.
    """

    serializer_class = DraftSerializer
    permission_classes = [EditorsOnly]
    filterset_class = DraftFilterSet
    ordering = ["-created_at", "id"]
    ordering_fields = ["created_at", "updated_at", "status"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    schema_error_codes = ("404", "409", "412", "413")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Draft.objects.none()  # the schema generator has no user
        return drafts_visible_to(self.request.user)

    @extend_schema(
        summary="Draft an article",
        request=DraftCreateSerializer,
        responses={201: DraftSerializer},
    )
    def create(self, request, *args, **kwargs):
        limit = settings.EVENTSAPI_DRAFT_MAX_CHARS
        for field in ("text", "html"):
            value = request.data.get(field) if isinstance(request.data, dict) else None
            if isinstance(value, str) and len(value) > limit * (10 if field == "html" else 1):
                raise TextTooLong(field, limit * (10 if field == "html" else 1))
        incoming = DraftCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        if "html" in data:
            page = {
                name: data.pop(name)
                for name in ("html", "title", "author", "published_at", "publisher")
                if name in data
            }
            try:
                data.update(article_fields_from_html(url=data["url"], **page))
            except PageUnusable as unusable:
                if unusable.too_long:
                    raise TextTooLong("html", limit) from None
                raise ValidationError({unusable.field: unusable.message}, code="invalid") from None
        draft = draft_create(user=request.user, **data)  # reads, then writes one row
        response = Response(
            DraftSerializer(draft, context={"request": request}).data, status=status.HTTP_201_CREATED
        )
        response["ETag"] = etag_for(draft)
        return response

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = etag_for(self.get_object())
        return response

    def update(self, request, *args, **kwargs):
        if not kwargs.get("partial"):
            return self.http_method_not_allowed(request, *args, **kwargs)
        with transaction.atomic():
            draft = self._locked(request)
            changes = DraftUpdateSerializer(data=request.data, context={"draft": draft})
            changes.is_valid(raise_exception=True)
            draft = _open(draft_update, draft=draft, changes=changes.changes())
        response = Response(DraftSerializer(draft, context={"request": request}).data)
        response["ETag"] = etag_for(draft)
        return response

    @extend_schema(
        summary="Commit a draft",
        request=None,
        parameters=[IF_MATCH],
        responses={200: OpenApiResponse(DraftCommitResponseSerializer, description="Committed.")},
        description="Writes the accepted items as one bundle (`POST /api/v1/bundles/`'s rules "
        "hold for every operation), all or nothing; sends `Idempotency-Key` to retry safely. "
        "A committed or discarded draft answers 409.",
    )
    @action(detail=True, methods=["post"])
    def commit(self, request, pk=None):
        with transaction.atomic():
            draft, results = commit_draft(request, self._locked(request))
        body = {"draft": DraftSerializer(draft, context={"request": request}).data, "results": results}
        return Response(body, status=status.HTTP_200_OK)

    @extend_schema(
        summary="Discard a draft",
        request=None,
        responses={200: DraftSerializer},
        description="Nothing is written; a committed draft answers 409.",
    )
    @action(detail=True, methods=["post"])
    def discard(self, request, pk=None):
        with transaction.atomic():
            draft = _open(draft_discard, draft=self._locked(request))
        return Response(DraftSerializer(draft, context={"request": request}).data)

    def _locked(self, request) -> Draft:
        draft = draft_locked(self.get_object())
        expected = _etags(request.headers.get("If-Match") or "")
        if expected and "*" not in expected and etag_for(draft) not in expected:
            raise PreconditionFailed(
                f"The draft changed since you read it: it is now at version {draft.version} "
                f"(ETag {etag_for(draft)})."
            )
        return draft


def _open(service, **kwargs):
    try:
        return service(**kwargs)
    except DraftClosed as closed:
        raise Conflict(str(closed)) from None
