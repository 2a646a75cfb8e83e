"""Sources, the statements they carry, and how statements bear on events."""

import uuid
from datetime import UTC

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from claims.urls_normalization import normalize_source_url
from events.models import Actor, Event
from eventsapi.choices import VerificationStatus
from eventsapi.models import Resource
from eventsapi.validators import validate_language_tag


class SourceKind(models.TextChoices):
    ARTICLE = "article", "Article"
    SOCIAL_POST = "social_post", "Social media post"
    VIDEO = "video", "Video"
    IMAGE = "image", "Image"
    PRESS_RELEASE = "press_release", "Press release"
    BROADCAST = "broadcast", "Broadcast"
    DOCUMENT = "document", "Document"
    DATASET = "dataset", "Dataset record"
    OTHER = "other", "Other"


class Stance(models.TextChoices):
    """How a statement bears on an event."""

    SUPPORTS = "supports", "Supports"
    REFUTES = "refutes", "Refutes"
    NEUTRAL = "neutral", "Neutral"


LANGUAGE_HELP_TEXT = "BCP 47 language tag, e.g. `en`, `ps`, `fa-AF`."


class Source(Resource):
    """Where something appeared: an article, a post, a clip. ``url`` is stored normalised."""

    url = models.URLField(
        max_length=2000,
        unique=True,
        help_text="Address of the source itself (the article, post or clip), normalised.",
    )
    kind = models.CharField(
        max_length=16,
        choices=SourceKind.choices,
        help_text="What kind of source: article, social_post, video, image, press_release, ...",
    )
    title = models.CharField(max_length=500, blank=True, help_text="A short headline.")
    publisher = models.ForeignKey(
        Actor,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="published_sources",
        help_text="The actor that published it.",
    )
    author = models.CharField(max_length=200, blank=True, help_text="Who wrote or made it, as credited.")
    published_at = models.DateTimeField(
        null=True, blank=True, db_index=True, help_text="When it was published."
    )
    language = models.CharField(
        max_length=35, blank=True, validators=[validate_language_tag], help_text=LANGUAGE_HELP_TEXT
    )
    archived_url = models.URLField(
        max_length=2000, blank=True, help_text="An archived copy, e.g. on the Wayback Machine."
    )
    verification_status = models.CharField(
        max_length=16,
        choices=VerificationStatus.choices,
        default=VerificationStatus.UNVERIFIED,
        db_index=True,
    )
    cites = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="cited_by")
    text = models.TextField(
        blank=True,
        help_text="The article's full text, kept by a draft's commit when EVENTSAPI_KEEP_SOURCE_TEXT is on.",
    )

    class Meta:
        ordering = ["-published_at", "id"]
        # The list's orderings on few-valued or unindexed fields, with the id that breaks ties
        # (ascending whatever the field's direction, so a few-valued field needs both).
        indexes = [
            models.Index(fields=["kind", "id"], name="source_kind_order_idx"),
            models.Index(fields=["-kind", "id"], name="source_kind_desc_order_idx"),
            models.Index(fields=["title", "id"], name="source_title_order_idx"),
        ]

    def __str__(self) -> str:
        return self.title or self.url

    def clean(self) -> None:
        if self.url:
            try:
                self.url = normalize_source_url(self.url)
            except ValueError as error:
                raise ValidationError({"url": str(error)}) from error

    def save(self, *args, **kwargs):
        self.url = normalize_source_url(self.url)
        super().save(*args, **kwargs)


class Statement(Resource):
    """Something an actor said, where it appeared, and which events it bears on."""

    text = models.TextField(help_text="What was said, as published (translated when not a direct quote).")
    language = models.CharField(
        max_length=35, blank=True, validators=[validate_language_tag], help_text=LANGUAGE_HELP_TEXT
    )
    is_direct_quote = models.BooleanField(
        default=False, help_text="True when `text` is the speaker's own words, false for a paraphrase."
    )
    speaker = models.ForeignKey(
        Actor, on_delete=models.PROTECT, related_name="statements", help_text="Who said it."
    )
    stated_on = models.DateField(db_index=True, help_text="The day it was said (ISO date).")
    stated_at = models.DateTimeField(
        null=True, blank=True, help_text="The exact time it was said, when known."
    )
    sources = models.ManyToManyField(Source, blank=True, related_name="statements")
    responds_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies"
    )
    verification_status = models.CharField(
        max_length=16,
        choices=VerificationStatus.choices,
        default=VerificationStatus.UNVERIFIED,
        # Indexed with the default order in Meta.indexes, which serves a lookup alone too.
    )
    events = models.ManyToManyField(Event, through="StatementEvent", related_name="statements")
    channel = models.CharField(
        max_length=100,
        blank=True,
        help_text="How it was said: `twitter`, `telephone`, `statement`, `state television`, "
        "`news conference`, `interview`, `told <outlet>`.",
    )
    source_spans = models.JSONField(
        default=list,
        blank=True,
        help_text="Where the statement's words are in its sources (W3C TextPositionSelector and "
        "TextQuoteSelector): `[{source, start, end, exact, prefix, suffix}]`.",
    )

    class Meta:
        ordering = ["-stated_on", "id"]
        indexes = [
            # The default order exactly, id included: with stated_on alone a page sorts all of
            # its newest day's statements.
            models.Index(fields=["-stated_on", "id"], name="statement_page_order_idx"),
            # The verdict filter in the default order: a page is read from the index however
            # rare the verdict (one statement in two hundred is `false`).
            models.Index(
                fields=["verification_status", "-stated_on", "id"], name="statement_verdict_order_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(responds_to=models.F("id")),
                name="statement_not_reply_to_itself",
                violation_error_message="A statement cannot respond to itself.",
            ),
        ]

    def __str__(self) -> str:
        return self.text if len(self.text) <= 80 else self.text[:77] + "..."

    def clean(self) -> None:
        if self.stated_at and self.stated_on and self.stated_at.astimezone(UTC).date() != self.stated_on:
            raise ValidationError({"stated_at": "stated_at must fall on stated_on (UTC)."})


class StatementEvent(models.Model):
    """A statement's stance toward an event: the link behind ``about``."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="about")
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="statement_links", help_text="The event."
    )
    stance = models.CharField(
        max_length=8,
        choices=Stance.choices,
        db_index=True,
        help_text="Whether the statement supports, refutes or is neutral toward the event.",
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "event"],
                name="one_stance_per_statement_and_event",
                violation_error_message="A statement takes one stance per event.",
            ),
        ]
        indexes = [models.Index(fields=["event", "stance"], name="statement_event_stance_idx")]

    def __str__(self) -> str:
        return f"{self.stance} {self.event}"


FINAL_VERDICTS = (
    VerificationStatus.VERIFIED,
    VerificationStatus.FALSE,
    VerificationStatus.MISLEADING,
    VerificationStatus.UNVERIFIABLE,
)


class Review(models.Model):
    """A reviewer's verdict on an event, a statement or a source, with reasons and evidence.

    Reviews are never edited: a new verdict is a new review, so the history stays whole.
    Exactly one of ``event``, ``statement`` and ``source`` is set.
    """

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, help_text="The review's id (UUID)."
    )
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.CASCADE, related_name="reviews")
    statement = models.ForeignKey(
        Statement, null=True, blank=True, on_delete=models.CASCADE, related_name="reviews"
    )
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.CASCADE, related_name="reviews"
    )
    verdict = models.CharField(
        max_length=16,
        choices=VerificationStatus.choices,
        help_text="The verification status this review sets.",
    )
    previous_status = models.CharField(
        max_length=16,
        choices=VerificationStatus.choices,
        help_text="The verification status before this review.",
    )
    rationale = models.TextField(blank=True)
    evidence = models.ManyToManyField(Source, blank=True, related_name="evidence_for")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="reviews"
    )
    # An imported fact-check (ClaimReview) is a review by the organisation that published it,
    # not by one of our users.
    reviewer_organization = models.ForeignKey(
        Actor,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviews_given",
        help_text="The fact-checking organisation that gave the verdict, for imported reviews.",
    )
    external_url = models.URLField(
        max_length=2000,
        blank=True,
        db_index=True,
        help_text="The review's own address at the organisation that published it (imported reviews).",
    )
    created_at = models.DateTimeField(
        default=timezone.now, db_index=True, help_text="When the verdict was given."
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(event__isnull=False, statement__isnull=True, source__isnull=True)
                | Q(event__isnull=True, statement__isnull=False, source__isnull=True)
                | Q(event__isnull=True, statement__isnull=True, source__isnull=False),
                name="review_has_exactly_one_subject",
            ),
            models.CheckConstraint(
                condition=Q(verdict=VerificationStatus.IN_REVIEW) | ~Q(rationale=""),
                name="review_rationale_required",
                violation_error_message="A rationale is required for every verdict but in_review.",
            ),
            models.CheckConstraint(
                condition=Q(reviewer__isnull=True) | Q(reviewer_organization__isnull=True),
                name="review_by_a_user_or_an_organization",
                violation_error_message="A review is by a user or by an organisation, not both.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.verdict} on {self.subject}"

    @property
    def subject(self) -> Event | Statement | Source:
        return self.event or self.statement or self.source

    def clean(self) -> None:
        if self.verdict != VerificationStatus.IN_REVIEW and not self.rationale.strip():
            raise ValidationError({"rationale": "A rationale is required for every verdict but in_review."})
