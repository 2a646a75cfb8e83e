"""``actors/match/``, ``actors/duplicates/``, ``statements/match/``, ``statements/{id}/similar/``."""

import base64
import binascii

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from claims.models import Statement
from eventsapi.api.permissions import EDITORS_GROUP, EditorWriteOrPublicRead, can_read, in_group
from eventsapi.api.problems import Gone
from eventsapi.api.renderers import ORJSONRenderer
from matching.api.fast import actor_matches_answer, statement_matches_answer
from matching.api.serializers import (
    ActorMatchesSerializer,
    ActorMatchQuerySerializer,
    DuplicatePageSerializer,
    SimilarQuerySerializer,
    StatementMatchesSerializer,
    StatementMatchQuerySerializer,
)
from matching.selectors import actor_duplicates, actor_matches, statement_matches

DUPLICATES_PAGE = 50


class PublicRead(EditorWriteOrPublicRead):
    """A read, whatever its method (POST statements/match/ writes nothing)."""

    def has_permission(self, request, view) -> bool:
        return can_read(request)


class MatchView(generics.GenericAPIView):
    permission_classes = [PublicRead]
    # A read whatever its method: the schema declares anonymous access as for GETs.
    schema_public_read = True
    pagination_class = None
    filter_backends = []

    def get_renderers(self):
        return [
            ORJSONRenderer() if type(renderer) is JSONRenderer else renderer
            for renderer in super().get_renderers()
        ]

    def _query(self, serializer_class, data) -> dict:
        serializer = serializer_class(data=data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class ActorMatchView(MatchView):
    """Who is this? Actors a name may name, best first (names, aliases, handles and ids)."""

    serializer_class = ActorMatchesSerializer

    @extend_schema(operation_id="actors_match", parameters=[ActorMatchQuerySerializer], tags=["actors"])
    def get(self, request):
        query = self._query(ActorMatchQuerySerializer, request.query_params)
        matches = actor_matches(name=query["name"], kind=query.get("kind"), limit=query["limit"])
        return Response(actor_matches_answer(matches, request))


class StatementMatchView(MatchView):
    """Has this been said before? Statements a text may repeat, best first."""

    serializer_class = StatementMatchesSerializer

    @extend_schema(
        operation_id="statements_match",
        request=StatementMatchQuerySerializer,
        responses={200: StatementMatchesSerializer},
        tags=["statements"],
    )
    def post(self, request):
        query = self._query(StatementMatchQuerySerializer, request.data)
        matches = statement_matches(
            text=query["text"],
            speaker=query.get("speaker"),
            date_from=query.get("date_from"),
            date_to=query.get("date_to"),
            language=query.get("language"),
            limit=query["limit"],
        )
        return Response(statement_matches_answer(matches, request))


class StatementSimilarView(MatchView):
    """Statements that repeat or resemble this one, best first (itself excluded)."""

    serializer_class = StatementMatchesSerializer

    @extend_schema(
        operation_id="statements_similar", parameters=[SimilarQuerySerializer], tags=["statements"]
    )
    def get(self, request, pk):
        query = self._query(SimilarQuerySerializer, request.query_params)
        statement = Statement.all_objects.filter(pk=pk).first()
        if statement is None:
            raise exceptions.NotFound(f"No statement with id {pk}.")
        if statement.deleted_at is not None:
            raise Gone("This statement was deleted.")
        matches = statement_matches(text=statement.text, limit=query["limit"], exclude=statement.pk)
        return Response(statement_matches_answer(matches, request))


class EditorsOnly(EditorWriteOrPublicRead):
    message = "The duplicate report is for the editors group."

    def has_permission(self, request, view) -> bool:
        return in_group(request.user, EDITORS_GROUP)


class ActorDuplicatesView(MatchView):
    """Likely duplicate actors, in pairs, for editors to merge (actors/{id}/merge/)."""

    permission_classes = [EditorsOnly]
    schema_public_read = False
    serializer_class = DuplicatePageSerializer

    @extend_schema(
        operation_id="actors_duplicates",
        parameters=[
            OpenApiParameter("cursor", str, description="Opaque cursor from a page's `next` address."),
            OpenApiParameter(
                "page_size", int, description=f"Pairs per page, 1 to 500; default {DUPLICATES_PAGE}."
            ),
        ],
        tags=["actors"],
    )
    def get(self, request):
        after = self._cursor(request.query_params.get("cursor"))
        size = self._page_size(request.query_params.get("page_size"))
        pairs, last = actor_duplicates(after=after, count=size)
        next_link = None
        if last is not None:
            token = base64.urlsafe_b64encode(last.encode()).decode().rstrip("=")
            next_link = replace_query_param(request.build_absolute_uri(), "cursor", token)
        body = {"next": next_link, "previous": None, "results": [pair.__dict__ for pair in pairs]}
        return Response(self.get_serializer(body).data)

    @staticmethod
    def _cursor(raw: str | None) -> str | None:
        if raw is None:
            return None
        invalid = exceptions.ValidationError(
            {"cursor": ["Invalid cursor: follow the next links as they are."]}
        )
        try:
            after = base64.b64decode(raw + "=" * (-len(raw) % 4), altchars=b"-_", validate=True).decode()
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise invalid from None
        if not after or "\x00" in after:
            raise invalid
        return after

    @staticmethod
    def _page_size(raw: str | None) -> int:
        if raw is None:
            return DUPLICATES_PAGE
        if not raw.isdigit() or not 1 <= int(raw) <= 500:
            raise exceptions.ValidationError({"page_size": ["A whole number from 1 to 500."]})
        return int(raw)
