"""Matching requests and answers."""

from rest_framework import serializers

from claims.api.serializers import StatementBriefSerializer
from events.api.serializers import ActorBriefSerializer
from events.models import ActorKind
from eventsapi.api.serializers import StrictCharField, StrictIntegerField

MAX_TEXT = 1000
MAX_STATEMENT_TEXT = 10000
MAX_LIMIT = 100
DECISIONS = [("same", "Same"), ("similar", "Similar")]


def limit_field(*, json: bool = False) -> serializers.IntegerField:
    """``limit``: a JSON number in a body, text in a query string."""
    field_class = StrictIntegerField if json else serializers.IntegerField
    return field_class(
        required=False,
        default=10,
        min_value=1,
        max_value=MAX_LIMIT,
        help_text=f"How many candidates at most, 1 to {MAX_LIMIT} (default 10).",
    )


class StrictUUIDField(serializers.UUIDField):
    """A UUID as a string (DRF would read the integer 0, and so false, as a UUID)."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid", value=data)
        return super().to_internal_value(data)


class ActorMatchQuerySerializer(serializers.Serializer):
    """The query of an actor match."""

    name = serializers.CharField(
        max_length=MAX_TEXT,
        help_text="A name as written anywhere: any script, spelling, word order, with honorifics "
        "and roles; or a handle (`@nrfafg`) or an external id (`wikidata:Q42834`).",
    )
    kind = serializers.ChoiceField(
        choices=ActorKind.choices, required=False, help_text="Only actors of this kind."
    )
    limit = limit_field()

    def validate_name(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError("Send a name.", code="blank")
        return value


class ScoredSerializer(serializers.Serializer):
    score = serializers.FloatField(help_text="0 to 1: how surely this is the same.")
    decision = serializers.ChoiceField(
        choices=DECISIONS,
        help_text='"same" at or above EVENTSAPI_MATCH_SAME (link it), "similar" from '
        "EVENTSAPI_MATCH_SIMILAR (a person confirms).",
    )


class ActorMatchSerializer(ScoredSerializer):
    """A candidate actor, with what it matched on."""

    actor = ActorBriefSerializer(help_text="The candidate.")
    matched_on = serializers.CharField(help_text='The name, alias or id it matched, e.g. "alias: NRF".')


class ActorMatchesSerializer(serializers.Serializer):
    """Candidates for a name, best first."""

    results = ActorMatchSerializer(many=True, help_text="Best first.")


class StatementMatchQuerySerializer(serializers.Serializer):
    """A text to look for among the statements; speaker, dates and language narrow the search."""

    text = StrictCharField(max_length=MAX_STATEMENT_TEXT, help_text="The quote or claim, as published.")
    speaker = StrictUUIDField(required=False, allow_null=True, help_text="Only statements by this actor.")
    date_from = serializers.DateField(
        required=False, allow_null=True, help_text="Stated on or after this day."
    )
    date_to = serializers.DateField(
        required=False, allow_null=True, help_text="Stated on or before this day."
    )
    language = StrictCharField(required=False, max_length=35, help_text="Only statements in this language.")
    limit = limit_field(json=True)

    def validate_text(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError("Send the text to match.", code="blank")
        return value

    def validate(self, attrs):
        if attrs.get("date_from") and attrs.get("date_to") and attrs["date_from"] > attrs["date_to"]:
            raise serializers.ValidationError({"date_to": "date_to must not be before date_from."})
        return attrs


class SimilarQuerySerializer(serializers.Serializer):
    limit = limit_field()


class StatementMatchSerializer(ScoredSerializer):
    """A statement the text may repeat."""

    statement = StatementBriefSerializer(help_text="The candidate.")


class StatementMatchesSerializer(serializers.Serializer):
    """Statements a text may repeat, best first."""

    results = StatementMatchSerializer(many=True, help_text="Best first.")


class DuplicatePairSerializer(serializers.Serializer):
    """Two actors that may be one: merge them with actors/{id}/merge/."""

    actors = ActorBriefSerializer(many=True, help_text="The two actors.")
    score = serializers.FloatField(help_text="0 to 1: how surely they are one.")
    matched_on = serializers.CharField(help_text="The names that look alike.")


class DuplicatePageSerializer(serializers.Serializer):
    """A page of likely duplicate pairs."""

    next = serializers.URLField(allow_null=True, help_text="Address of the next page; null on the last page.")
    previous = serializers.URLField(allow_null=True, help_text="Always null: walk forward with `next`.")
    results = DuplicatePairSerializer(many=True, help_text="The pairs of this page.")
