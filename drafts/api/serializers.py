"""What the drafts endpoints take and answer."""

import datetime
import uuid

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bundles.api.serializers import BundleResultSerializer
from claims.models import Stance, Statement
from drafts.models import Draft
from events.models import Actor, ActorKind, DatePrecision, Event, EventType, ParticipantRole, Place
from eventsapi.api.serializers import ITEM_URL_HELP_TEXT
from eventsapi.validators import validate_language_tag


class PublishedAtField(serializers.Field):
    """A date (``2021-09-06``, read as midnight UTC) or a datetime."""

    default_error_messages = {
        "invalid": "Give an ISO 8601 date or datetime, e.g. 2021-09-06 or 2021-09-06T07:12:00Z."
    }

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            if len(data) == 10:
                day = datetime.date.fromisoformat(data)
                return datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)
            value = datetime.datetime.fromisoformat(data.replace("Z", "+00:00"))
        except ValueError:
            self.fail("invalid")
        return value if timezone.is_aware(value) else value.replace(tzinfo=datetime.UTC)

    def to_representation(self, value):
        return value.isoformat()


extend_schema_field({"type": "string", "format": "date-time", "description": "A date or a datetime."})(
    PublishedAtField
)


class DraftCreateSerializer(serializers.Serializer):
    """An article: its address, its text (or its page's HTML) and when it was published."""

    url = serializers.URLField(max_length=2000, help_text="The article's address.")
    title = serializers.CharField(max_length=500, required=False, allow_blank=True, help_text="Its headline.")
    text = serializers.CharField(
        required=False, trim_whitespace=False, help_text="The article's plain text (or send `html`)."
    )
    html = serializers.CharField(
        required=False,
        trim_whitespace=False,
        help_text="The article's web page; its text and metadata are extracted (trafilatura).",
    )
    published_at = PublishedAtField(
        required=False,
        help_text="When it was published; relative dates are resolved against it. "
        "Required with `text`; with `html`, the page's own date is used when it is missing.",
    )
    publisher = serializers.CharField(
        max_length=200,
        required=False,
        help_text="The publisher: an actor's id, or a name (proposed as a new actor).",
    )
    author = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="Who wrote it."
    )
    language = serializers.CharField(
        max_length=35,
        required=False,
        allow_blank=True,
        validators=[validate_language_tag],
        help_text="The article's language (BCP 47); detected when missing.",
    )

    def validate_publisher(self, value: str) -> Actor | str:
        try:
            key = uuid.UUID(value)
        except ValueError:
            if not value.strip():
                raise serializers.ValidationError("Give an actor's id or a name.", code="blank") from None
            return value.strip()
        actor = Actor.objects.filter(pk=key).first()
        if actor is None:
            raise serializers.ValidationError(f"No actor has the id {value}.", code="does_not_exist")
        return actor

    def validate(self, attrs):
        has_text, has_html = "text" in attrs, "html" in attrs
        if has_text == has_html:
            raise serializers.ValidationError(
                {"text": "Send exactly one of `text` and `html`."}, code="required"
            )
        if has_text and not attrs["text"].strip():
            raise serializers.ValidationError({"text": "The text is empty."}, code="blank")
        if has_text and "published_at" not in attrs:
            raise serializers.ValidationError({"published_at": "This field is required."}, code="required")
        return attrs


# -- what a draft proposes (the shapes of its JSON, for the schema and generated clients) --------
# A draft keeps its proposals as JSON and answers them as kept; these serializers describe them.


class ProposedSpanSerializer(serializers.Serializer):
    """Where the words are in the draft's `text`: W3C TextPositionSelector and TextQuoteSelector."""

    start = serializers.IntegerField(help_text="Offset of the first character.")
    end = serializers.IntegerField(help_text="Offset just after the last character.")
    exact = serializers.CharField(help_text="The words, as in the text.")
    prefix = serializers.CharField(help_text="Up to 32 characters before them.")
    suffix = serializers.CharField(help_text="Up to 32 characters after them.")


class CandidateActorSerializer(serializers.Serializer):
    """A recorded actor the name may be, with the matching score."""

    actor = serializers.UUIDField(help_text="The actor's id.")
    name = serializers.CharField(help_text="Its name.")
    score = serializers.FloatField(help_text="0 to 1.")


class ProposedNewActorSerializer(serializers.Serializer):
    """An actor the commit creates (matched by name and kind)."""

    name = serializers.CharField(help_text="Its name.")
    kind = serializers.ChoiceField(choices=ActorKind.choices, help_text="person or organization.")
    aliases = serializers.ListField(child=serializers.CharField(), help_text="Other names the article gives.")


class ProposedSpeakerSerializer(serializers.Serializer):
    """Who said it: a recorded actor (`actor`), else a new one (`new_actor`), and why."""

    actor = serializers.UUIDField(allow_null=True, help_text="The recorded actor, when matched.")
    key = serializers.CharField(allow_null=True, help_text="The speaker among the draft's `actors`.")
    name = serializers.CharField(help_text="The name as the article resolves it.")
    new_actor = ProposedNewActorSerializer(
        allow_null=True, help_text="The actor to create, when none matched."
    )
    confidence = serializers.FloatField(help_text="0 to 1: how sure the attribution is.")
    candidates = CandidateActorSerializer(many=True, help_text="Recorded actors it may be, best first.")
    cue = serializers.CharField(help_text="The word the attribution rests on (`said`, `denied`, `post`).")


class ProposedReferenceSerializer(serializers.Serializer):
    """One of the draft's items (`key`) or a recorded one (`id`)."""

    key = serializers.CharField(required=False, help_text="A draft item's key.")
    id = serializers.UUIDField(required=False, help_text="A recorded item's id.")


class ProposedStanceSerializer(serializers.Serializer):
    """The statement's stance on one event, and the word it rests on."""

    event = ProposedReferenceSerializer(help_text="The event.")
    stance = serializers.ChoiceField(choices=Stance.choices, help_text="supports, refutes or neutral.")
    cue = serializers.CharField(help_text="The word it rests on (`denied`, `false`).")


class ProposedPostSourceSerializer(serializers.Serializer):
    """The social post an embedded post is, as a source to record."""

    url = serializers.URLField(help_text="Where to find it (a search for the post).")
    kind = serializers.CharField(help_text="`social_post`.")
    title = serializers.CharField(help_text="Who posted what.")
    author = serializers.CharField(help_text="The handle.")
    published_at = serializers.DateField(allow_null=True, help_text="The day it was posted.")


class ProposedStatementSerializer(serializers.Serializer):
    """A proposed statement: a quotation or reported speech, with its speaker, date and stances."""

    key = serializers.CharField(help_text="Its key in the draft (`s1`).")
    text = serializers.CharField(help_text="The words (a quotation's own, trailing comma dropped).")
    is_direct_quote = serializers.BooleanField(help_text="The speaker's own words?")
    language = serializers.CharField(help_text="ISO 639-1, detected (lingua).")
    span = ProposedSpanSerializer(help_text="Where it is in `text`.")
    speaker = ProposedSpeakerSerializer(help_text="Who said it.")
    stated_on = serializers.DateField(
        allow_null=True, help_text="When it was said; null when the text does not say."
    )
    stated_on_precision = serializers.ChoiceField(
        choices=["day", "week", "month", "year", "unknown"], help_text="How exact `stated_on` is."
    )
    channel = serializers.CharField(help_text="How it was said (`twitter`, `statement`, `told Reuters`).")
    duplicate_of = serializers.UUIDField(allow_null=True, help_text="A recorded statement it repeats.")
    about = ProposedStanceSerializer(many=True, help_text="Its stances on events.")
    accepted = serializers.BooleanField(help_text="Whether commit records it.")
    post_source = ProposedPostSourceSerializer(required=False, help_text="For an embedded post: its source.")


class ProposedPlaceSerializer(serializers.Serializer):
    """A recorded place (`id`) or one to create (`name`, `country_code`)."""

    id = serializers.UUIDField(required=False, help_text="A recorded place's id.")
    name = serializers.CharField(required=False, help_text="A new place's name.")
    country_code = serializers.CharField(required=False, allow_null=True, help_text="ISO 3166-1 alpha-2.")


class ProposedParticipantSerializer(serializers.Serializer):
    """Who took part, by the draft's actor key or a recorded id."""

    actor = ProposedReferenceSerializer(help_text="{key} or {id}.")
    role = serializers.ChoiceField(choices=ParticipantRole.choices, help_text="Their part.")


class ProposedEventSerializer(serializers.Serializer):
    """A proposed event: what a claim or a report says happened."""

    key = serializers.CharField(help_text="Its key in the draft (`e1`).")
    match = serializers.UUIDField(allow_null=True, help_text="A recorded event it is.")
    title = serializers.CharField(help_text="A short headline, from the claim's words.")
    event_type = serializers.ChoiceField(choices=EventType.choices, help_text="Its type, from its words.")
    start_date = serializers.DateField(help_text="Its first day.")
    date_precision = serializers.ChoiceField(
        choices=DatePrecision.choices, help_text="How exact the date is."
    )
    place = ProposedPlaceSerializer(allow_null=True, help_text="Where.")
    participants = ProposedParticipantSerializer(many=True, help_text="Who took part.")
    accepted = serializers.BooleanField(help_text="Whether commit records it.")


class ProposedActorSerializer(serializers.Serializer):
    """A speaker or participant: a recorded actor (`match`) or one to create."""

    key = serializers.CharField(help_text="Its key in the draft (`a1`).")
    name = serializers.CharField(help_text="Its name as the article gives it.")
    kind = serializers.ChoiceField(choices=ActorKind.choices, help_text="person or organization.")
    aliases = serializers.ListField(child=serializers.CharField(), help_text="Other names the article gives.")
    role = serializers.CharField(help_text="What the article says it is (`spokesperson of the Taliban`).")
    match = serializers.UUIDField(allow_null=True, help_text="The recorded actor it is.")
    candidates = CandidateActorSerializer(many=True, help_text="Recorded actors it may be, best first.")


class ProposedPublisherSerializer(serializers.Serializer):
    """The publisher: a recorded actor or one to create."""

    actor = serializers.UUIDField(required=False, help_text="A recorded actor's id.")
    new_actor = ProposedNewActorSerializer(required=False, help_text="The actor to create.")


class ProposedSourceSerializer(serializers.Serializer):
    """The article as the source its statements appeared in."""

    url = serializers.URLField(help_text="The article's address.")
    kind = serializers.CharField(help_text="`article`.")
    title = serializers.CharField(help_text="Its headline.")
    author = serializers.CharField(help_text="Who wrote it.")
    publisher = ProposedPublisherSerializer(allow_null=True, help_text="Who published it.")
    published_at = serializers.DateTimeField(help_text="When it was published.")
    language = serializers.CharField(help_text="Its language.")


def _as_stored(serializer, help_text: str):
    """A read-only JSON field answered as stored, described by ``serializer`` in the schema."""
    field_class = extend_schema_field(serializer)(type("Stored", (serializers.JSONField,), {}))
    return field_class(read_only=True, help_text=help_text)


class DraftSerializer(serializers.ModelSerializer):
    """An article and what the service proposes to record from it: statements with their
    spans, speakers, dates and stances; events; actors; and warnings of what to check."""

    api_url = serializers.HyperlinkedIdentityField(view_name="draft-detail", help_text=ITEM_URL_HELP_TEXT)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True, help_text="Who made it.")
    source = _as_stored(ProposedSourceSerializer, "The article as a source.")
    statements = _as_stored(
        ProposedStatementSerializer(many=True), "Proposed statements, in the article's order."
    )
    events = _as_stored(
        ProposedEventSerializer(many=True), "Proposed events (claims and reported happenings)."
    )
    actors = _as_stored(ProposedActorSerializer(many=True), "Speakers and participants, matched or new.")
    warnings = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="What to check."
    )
    results = _as_stored(BundleResultSerializer(many=True), "The commit's bundle results, once committed.")

    class Meta:
        model = Draft
        fields = [
            "id",
            "api_url",
            "url",
            "version",
            "status",
            "created_by",
            "created_at",
            "updated_at",
            "committed_at",
            "text",
            "source",
            "statements",
            "events",
            "actors",
            "warnings",
            "results",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "id": {"help_text": "The draft's id."},
            "url": {"help_text": "The article's address."},
            "version": {"help_text": "1 on create, +1 on every change; the ETag."},
            "status": {"help_text": "open, committed or discarded."},
            "created_at": {"help_text": "When it was made."},
            "updated_at": {"help_text": "When it last changed."},
            "committed_at": {"help_text": "When it was committed."},
            "text": {"help_text": "The article's plain text; spans' offsets refer to it."},
        }


# -- corrections (PATCH) ---------------------------------------------------------------------


def _exists(model, value, what: str):
    if value is not None and not model.objects.filter(pk=value).exists():
        raise serializers.ValidationError(f"No {what} has the id {value}.", code="does_not_exist")
    return str(value) if value is not None else None


class NewActorSerializer(serializers.Serializer):
    """An actor to create on commit."""

    name = serializers.CharField(max_length=200, help_text="Its name.")
    kind = serializers.ChoiceField(choices=ActorKind.choices, help_text="person or organization.")
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, default=list, help_text="Other names."
    )


class SpeakerChangeSerializer(serializers.Serializer):
    """Who said it: an existing actor (`actor`), one of the draft's actors (`key`), or a new one."""

    actor = serializers.UUIDField(required=False, allow_null=True, help_text="An existing actor's id.")
    key = serializers.CharField(required=False, allow_null=True, help_text="One of the draft's actors.")
    name = serializers.CharField(required=False, max_length=200, help_text="The name as written.")
    new_actor = NewActorSerializer(required=False, allow_null=True, help_text="An actor to create.")

    def validate_actor(self, value):
        return _exists(Actor, value, "actor")


class EventReferenceSerializer(serializers.Serializer):
    """One of the draft's events (`key`) or an existing one (`id`)."""

    key = serializers.CharField(required=False, help_text="A draft event's key.")
    id = serializers.UUIDField(required=False, help_text="An existing event's id.")

    def validate_id(self, value):
        return _exists(Event, value, "event")

    def validate(self, attrs):
        if ("key" in attrs) == ("id" in attrs):
            raise serializers.ValidationError("Give exactly one of `key` and `id`.", code="invalid")
        return attrs


class StanceChangeSerializer(serializers.Serializer):
    """The statement's stance on one event."""

    event = EventReferenceSerializer(help_text="The event.")
    stance = serializers.ChoiceField(choices=Stance.choices, help_text="supports, refutes or neutral.")
    cue = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="The word it rests on."
    )


class StatementChangeSerializer(serializers.Serializer):
    """A correction to one proposed statement, named by its `key`."""

    key = serializers.CharField(help_text="The statement's key in the draft.")
    accepted = serializers.BooleanField(required=False, help_text="Whether commit records it.")
    text = serializers.CharField(required=False, help_text="The words.")
    is_direct_quote = serializers.BooleanField(required=False, help_text="The speaker's own words?")
    language = serializers.CharField(
        required=False, allow_blank=True, validators=[validate_language_tag], help_text="BCP 47."
    )
    speaker = SpeakerChangeSerializer(required=False, help_text="Who said it.")
    stated_on = serializers.DateField(required=False, allow_null=True, help_text="When it was said.")
    stated_on_precision = serializers.ChoiceField(
        choices=DatePrecision.choices, required=False, help_text="day, week, month, year."
    )
    channel = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="How it was said."
    )
    duplicate_of = serializers.UUIDField(
        required=False, allow_null=True, help_text="The recorded statement it repeats."
    )
    about = StanceChangeSerializer(many=True, required=False, help_text="Replaces the stances.")

    def validate_duplicate_of(self, value):
        return _exists(Statement, value, "statement")


class PlaceChangeSerializer(serializers.Serializer):
    """An existing place (`id`) or one to create (`name`, `country_code`)."""

    id = serializers.UUIDField(required=False, help_text="An existing place's id.")
    name = serializers.CharField(required=False, max_length=200, help_text="A new place's name.")
    country_code = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, max_length=2, help_text="ISO 3166-1 alpha-2."
    )

    def validate_id(self, value):
        return _exists(Place, value, "place")


class ParticipantChangeSerializer(serializers.Serializer):
    """Who took part: one of the draft's actors (`actor.key`) or an existing one (`actor.id`)."""

    actor = EventReferenceSerializer(help_text="{key} or {id}.")
    role = serializers.ChoiceField(choices=ParticipantRole.choices, default="other", help_text="Their part.")

    def validate_actor(self, value):
        if value.get("id"):
            value["id"] = _exists(Actor, value["id"], "actor")
        return value


class EventChangeSerializer(serializers.Serializer):
    """A correction to one proposed event, named by its `key`."""

    key = serializers.CharField(help_text="The event's key in the draft.")
    accepted = serializers.BooleanField(required=False, help_text="Whether commit records it.")
    match = serializers.UUIDField(required=False, allow_null=True, help_text="An existing event it is.")
    title = serializers.CharField(required=False, max_length=300, help_text="A short headline.")
    event_type = serializers.ChoiceField(choices=EventType.choices, required=False, help_text="Its type.")
    start_date = serializers.DateField(required=False, help_text="Its first day.")
    date_precision = serializers.ChoiceField(
        choices=DatePrecision.choices, required=False, help_text="day, week, month, year."
    )
    place = PlaceChangeSerializer(required=False, allow_null=True, help_text="Where.")
    participants = ParticipantChangeSerializer(
        many=True, required=False, help_text="Replaces the participants."
    )

    def validate_match(self, value):
        return _exists(Event, value, "event")


class ActorChangeSerializer(serializers.Serializer):
    """A correction to one proposed actor, named by its `key`."""

    key = serializers.CharField(help_text="The actor's key in the draft.")
    name = serializers.CharField(required=False, max_length=200, help_text="Its name.")
    kind = serializers.ChoiceField(
        choices=ActorKind.choices, required=False, help_text="person or organization."
    )
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, help_text="Other names."
    )
    role = serializers.CharField(required=False, allow_blank=True, max_length=300, help_text="What they are.")
    match = serializers.UUIDField(required=False, allow_null=True, help_text="An existing actor it is.")

    def validate_match(self, value):
        return _exists(Actor, value, "actor")


class SourceChangeSerializer(serializers.Serializer):
    """A correction to the article's source."""

    title = serializers.CharField(required=False, allow_blank=True, max_length=500, help_text="Its headline.")
    author = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Who wrote it."
    )
    published_at = PublishedAtField(required=False, help_text="When it was published.")
    language = serializers.CharField(
        required=False, allow_blank=True, validators=[validate_language_tag], help_text="BCP 47."
    )
    publisher = SpeakerChangeSerializer(required=False, allow_null=True, help_text="{actor} or {new_actor}.")


class DraftUpdateSerializer(serializers.Serializer):
    """Corrections: each item names a proposal by its `key` and gives the fields to change."""

    statements = StatementChangeSerializer(many=True, required=False, help_text="Statement corrections.")
    events = EventChangeSerializer(many=True, required=False, help_text="Event corrections.")
    actors = ActorChangeSerializer(many=True, required=False, help_text="Actor corrections.")
    source = SourceChangeSerializer(required=False, help_text="Source corrections.")

    def validate(self, attrs):
        draft: Draft = self.context["draft"]
        errors = {}
        for section in ("statements", "events", "actors"):
            keys = {item["key"] for item in getattr(draft, section)}
            for index, change in enumerate(attrs.get(section, [])):
                if change["key"] not in keys:
                    errors[f"{section}[{index}].key"] = f"The draft has no {section[:-1]} {change['key']!r}."
        event_keys = {event["key"] for event in draft.events}
        actor_keys = {actor["key"] for actor in draft.actors}
        for index, change in enumerate(attrs.get("statements", [])):
            for k, stance in enumerate(change.get("about", [])):
                key = stance["event"].get("key")
                if key is not None and key not in event_keys:
                    errors[f"statements[{index}].about[{k}].event.key"] = f"The draft has no event {key!r}."
            speaker_key = (change.get("speaker") or {}).get("key")
            if speaker_key and speaker_key not in actor_keys:
                errors[f"statements[{index}].speaker.key"] = f"The draft has no actor {speaker_key!r}."
        for index, change in enumerate(attrs.get("events", [])):
            for k, participant in enumerate(change.get("participants", [])):
                key = participant["actor"].get("key")
                if key is not None and key not in actor_keys:
                    errors[f"events[{index}].participants[{k}].actor.key"] = (
                        f"The draft has no actor {key!r}."
                    )
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def changes(self) -> dict:
        """The validated corrections as the draft stores them (ids and dates as strings)."""
        return _stored(self.validated_data)


def _stored(value):
    if isinstance(value, dict):
        return {name: _stored(item) for name, item in value.items()}
    if isinstance(value, list):
        return [_stored(item) for item in value]
    if isinstance(value, (uuid.UUID, datetime.date)):
        return value.isoformat() if isinstance(value, datetime.date) else str(value)
    return value


class DraftCommitResponseSerializer(serializers.Serializer):
    """The committed draft and its bundle's results."""

    draft = DraftSerializer(help_text="The draft, now committed.")
    results = BundleResultSerializer(many=True, help_text="The bundle's results, one per operation.")
