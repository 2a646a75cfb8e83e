"""Serializers for sources and statements."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from claims.models import Review, Source, Statement, StatementEvent
from claims.urls_normalization import normalize_source_url
from events.api.serializers import RESOURCE_FIELDS, ActorBriefSerializer, EventBriefSerializer
from events.models import Actor, Event
from eventsapi.api.serializers import (
    ITEM_URL_HELP_TEXT,
    BriefRelatedField,
    ResourceSerializer,
    StrictCharField,
    StrictModelSerializer,
    VerificationStatusField,
)
from eventsapi.choices import VerificationStatus


class NormalizedURLField(serializers.URLField):
    """A source address, normalised so one source has one URL (see urls_normalization)."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        try:
            return normalize_source_url(value)
        except ValueError as error:
            raise serializers.ValidationError(str(error), code="invalid") from error


API_URL_HELP_TEXT = "The source's address in the API (`url` is the source's own address)."


class SourceBriefSerializer(serializers.ModelSerializer):
    """A source in brief, as nested in other items."""

    api_url = serializers.HyperlinkedIdentityField(view_name="source-detail", help_text=API_URL_HELP_TEXT)

    class Meta:
        model = Source
        fields = ["id", "api_url", "url", "title"]


class StatementBriefSerializer(serializers.ModelSerializer):
    """A statement in brief, as nested in other items."""

    url = serializers.HyperlinkedIdentityField(view_name="statement-detail", help_text=ITEM_URL_HELP_TEXT)

    class Meta:
        model = Statement
        fields = ["id", "url", "text"]


class SourceSerializer(ResourceSerializer):
    """Where something appeared: an article, a post, a clip, a press release."""

    verification_status = VerificationStatusField()
    # On sources `url` is the address of the source itself (DESIGN.md), so the link to
    # this resource in the API is `api_url`.
    url = NormalizedURLField(
        max_length=2000,
        help_text="Address of the source; stored normalised (lower-case scheme and host, "
        "no default port, fragment or tracking parameters) and unique.",
    )
    api_url = serializers.HyperlinkedIdentityField(view_name="source-detail", help_text=API_URL_HELP_TEXT)
    publisher = BriefRelatedField(
        ActorBriefSerializer, queryset=Actor.objects.all(), required=False, allow_null=True
    )
    cites = BriefRelatedField(
        SourceBriefSerializer,
        queryset=Source.objects.all(),
        many=True,
        required=False,
        help_text="Sources this one quotes or embeds.",
    )

    class Meta:
        model = Source
        fields = ["id", "api_url", "version", "created_at", "updated_at"] + [
            "url",
            "kind",
            "title",
            "publisher",
            "author",
            "published_at",
            "language",
            "archived_url",
            "verification_status",
            "cites",
            "text",
        ]

    def validate_cites(self, cited: list[Source]) -> list[Source]:
        if self.instance is not None and any(source.pk == self.instance.pk for source in cited):
            raise serializers.ValidationError("A source cannot cite itself.", code="invalid")
        return cited


class StanceSerializer(StrictModelSerializer):
    """An event a statement bears on, and its stance on it."""

    event = BriefRelatedField(EventBriefSerializer, queryset=Event.objects.all())

    class Meta:
        model = StatementEvent
        fields = ["event", "stance"]


class SourceSpanSerializer(serializers.Serializer):
    """Where a statement's words are in one source: offsets into its text and the words
    themselves with their context, so the passage is found again if the offsets drift
    (W3C Web Annotation TextPositionSelector and TextQuoteSelector)."""

    source = serializers.PrimaryKeyRelatedField(queryset=Source.objects.all(), help_text="The source's id.")
    start = serializers.IntegerField(min_value=0, help_text="Offset of the first character.")
    end = serializers.IntegerField(min_value=0, help_text="Offset just after the last character.")
    exact = serializers.CharField(max_length=20000, trim_whitespace=False, help_text="The words.")
    prefix = serializers.CharField(
        max_length=200,
        allow_blank=True,
        required=False,
        default="",
        trim_whitespace=False,
        help_text="Up to 32 characters before them.",
    )
    suffix = serializers.CharField(
        max_length=200,
        allow_blank=True,
        required=False,
        default="",
        trim_whitespace=False,
        help_text="Up to 32 characters after them.",
    )

    def validate(self, attrs):
        if attrs["end"] < attrs["start"]:
            raise serializers.ValidationError({"end": "end must not be before start."}, code="invalid")
        return attrs


@extend_schema_field(SourceSpanSerializer(many=True))
class SourceSpansField(serializers.JSONField):
    """Stored as JSON and read as it is stored; written through ``SourceSpanSerializer``.

    ``items_serializer`` lets a bundle's local ids (``{"lid": ...}``) stand for the source.
    """

    items_serializer = SourceSpanSerializer

    def to_internal_value(self, data):
        spans = SourceSpanSerializer(data=data, many=True)
        spans.is_valid(raise_exception=True)
        return [{**span, "source": str(span["source"].pk)} for span in spans.validated_data]


class StatementSerializer(ResourceSerializer):
    """Something an actor said, where it appeared, and which events it bears on."""

    verification_status = VerificationStatusField()
    speaker = BriefRelatedField(ActorBriefSerializer, queryset=Actor.objects.all())
    sources = BriefRelatedField(
        SourceBriefSerializer,
        queryset=Source.objects.all(),
        many=True,
        required=False,
        help_text="Where the statement appeared.",
    )
    about = StanceSerializer(
        many=True,
        required=False,
        help_text="The events the statement bears on, with its stance on each. Sending the list replaces it.",
    )
    responds_to = BriefRelatedField(
        StatementBriefSerializer,
        queryset=Statement.objects.all(),
        required=False,
        allow_null=True,
        help_text="The statement this one answers.",
    )
    replies = StatementBriefSerializer(
        many=True, read_only=True, help_text="Statements that answer this one."
    )
    source_spans = SourceSpansField(
        required=False,
        help_text="Where the statement's words are in its sources: "
        "`[{source, start, end, exact, prefix, suffix}]`.",
    )

    class Meta:
        model = Statement
        fields = RESOURCE_FIELDS + [
            "text",
            "language",
            "is_direct_quote",
            "speaker",
            "stated_on",
            "stated_at",
            "sources",
            "about",
            "responds_to",
            "replies",
            "verification_status",
            "channel",
            "source_spans",
        ]
        nested_children = {"about": "statement"}

    def validate_responds_to(self, statement: Statement | None) -> Statement | None:
        if statement is not None and self.instance is not None and statement.pk == self.instance.pk:
            raise serializers.ValidationError("A statement cannot respond to itself.", code="invalid")
        return statement


class AddressOrNullField(serializers.URLField):
    """A URL, or null where none is stored (the model keeps an empty string)."""

    def to_representation(self, value):
        return value or None


class ReviewSerializer(StrictModelSerializer):
    """A verdict with its reasons. The reviewer and time are set by the server."""

    evidence = BriefRelatedField(
        SourceBriefSerializer,
        queryset=Source.objects.all(),
        many=True,
        required=False,
        help_text="Sources the verdict rests on.",
    )
    reviewer = serializers.SlugRelatedField(
        slug_field="username",
        read_only=True,
        allow_null=True,
        help_text="The user who gave the verdict; null for an organisation's review or when not recorded.",
    )
    reviewer_organization = ActorBriefSerializer(
        read_only=True,
        allow_null=True,
        help_text="The fact-checking organisation that gave the verdict (imported ClaimReviews); "
        "null for our own reviewers' verdicts.",
    )
    rationale = StrictCharField(
        required=False,
        allow_blank=True,
        help_text="Why; required for every verdict but in_review.",
    )
    external_url = AddressOrNullField(
        read_only=True,
        allow_null=True,
        help_text="The review's own address at the organisation that published it (imported "
        "ClaimReviews); null for our own reviewers' verdicts.",
    )

    class Meta:
        model = Review
        fields = [
            "id",
            "verdict",
            "previous_status",
            "rationale",
            "evidence",
            "reviewer",
            "reviewer_organization",
            "external_url",
            "created_at",
        ]
        read_only_fields = ["id", "previous_status", "reviewer", "created_at"]

    def validate(self, attrs):
        if attrs["verdict"] != VerificationStatus.IN_REVIEW and not attrs.get("rationale", "").strip():
            raise serializers.ValidationError(
                {"rationale": ["A rationale is required for every verdict but in_review."]},
                code="required",
            )
        return attrs


TIMELINE_ENTRY_TYPES = [("statement", "Statement"), ("source", "Source"), ("review", "Review")]


@extend_schema_field(OpenApiTypes.URI)
class ViewLinkField(serializers.Field):
    """A ``(view name, pk)`` pair, as selectors give links, written as the absolute API URL."""

    def to_representation(self, value) -> str:
        view_name, pk = value
        return reverse(view_name, kwargs={"pk": pk}, request=self.context.get("request"))


class TimelineEntrySerializer(serializers.Serializer):
    """One dated entry in an event's timeline."""

    type = serializers.ChoiceField(choices=TIMELINE_ENTRY_TYPES, help_text="What the entry is.")
    date = serializers.DateField(help_text="The day it happened (UTC).")
    datetime = serializers.DateTimeField(
        allow_null=True, help_text="The exact time, when known; null when only the day is known."
    )
    id = serializers.UUIDField(help_text="The id of the statement, source or review.")
    url = ViewLinkField(source="link", allow_null=True, help_text="API link to the statement or source.")
    summary = serializers.CharField(help_text="Statement text, source title or review verdict.")
    actor = ActorBriefSerializer(
        allow_null=True, help_text="Speaker of a statement or publisher of a source."
    )
    stance = serializers.CharField(
        allow_null=True, help_text="For statements: supports, refutes or neutral toward the event."
    )
    verification_status = serializers.CharField(
        allow_null=True, help_text="Status of the statement or source; for reviews the verdict."
    )


class TimelineSerializer(serializers.Serializer):
    """An event's dated statements, sources and reviews, oldest first."""

    event = EventBriefSerializer(help_text="The event this timeline is about.")
    results = TimelineEntrySerializer(many=True, help_text="The entries, oldest first.")
