"""Serializers for places, actors and events."""

import json

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.utils import html

from events.models import Actor, Affiliation, Event, Participant, Place
from eventsapi.api.serializers import (
    ITEM_URL_HELP_TEXT,
    BriefRelatedField,
    ResourceSerializer,
    StrictCharField,
    StrictModelSerializer,
    VerificationStatusField,
    from_html_form,
)

RESOURCE_FIELDS = ["id", "url", "version", "created_at", "updated_at"]


class CountryCodeField(StrictCharField):
    """ISO 3166-1 alpha-2, accepted in either case and stored in capitals."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 2)
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("help_text", "ISO 3166-1 alpha-2 country code, e.g. AF.")
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        return super().to_internal_value(data).upper()


def string_list(help_text: str) -> serializers.ListField:
    return serializers.ListField(child=StrictCharField(max_length=200), required=False, help_text=help_text)


def external_ids_field(help_text: str) -> serializers.DictField:
    return serializers.DictField(child=StrictCharField(max_length=200), required=False, help_text=help_text)


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {
            "type": "object",
            "additionalProperties": {
                "oneOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}],
                "nullable": True,
            },
        },
        "example": {"acled": {"inter1": "1", "source_scale": "National"}},
    }
)
class DatasetAttributesField(serializers.JSONField):
    """``{dataset: {name: scalar}}``; the model's validator checks the shape.

    In the browsable API's HTML form the object is JSON text; an empty box, or "null", sends nothing.
    """

    def get_value(self, dictionary):
        value = super().get_value(dictionary)
        # The form shows an event without attributes as "null" (and a new one so too).
        if html.is_html_input(dictionary) and (value is None or str(value).strip() in ("", "null")):
            return serializers.empty
        return value

    def to_internal_value(self, data):
        if from_html_form(self) and isinstance(data, str):
            try:
                data = json.loads(data)
            except ValueError:
                self.fail("invalid")
        if not isinstance(data, dict):
            self.fail("invalid")
        return super().to_internal_value(data)


class PlaceBriefSerializer(serializers.ModelSerializer):
    """A place in brief, as nested in other items."""

    url = serializers.HyperlinkedIdentityField(view_name="place-detail", help_text=ITEM_URL_HELP_TEXT)

    class Meta:
        model = Place
        fields = ["id", "url", "name"]


class ActorBriefSerializer(serializers.ModelSerializer):
    """An actor in brief, as nested in other items."""

    url = serializers.HyperlinkedIdentityField(view_name="actor-detail", help_text=ITEM_URL_HELP_TEXT)

    class Meta:
        model = Actor
        fields = ["id", "url", "name"]


class EventBriefSerializer(serializers.ModelSerializer):
    """An event in brief, as nested in other items."""

    url = serializers.HyperlinkedIdentityField(view_name="event-detail", help_text=ITEM_URL_HELP_TEXT)

    class Meta:
        model = Event
        fields = ["id", "url", "title"]


class PlaceSerializer(ResourceSerializer):
    """A place: a country, a province, a district, a locality or a feature, where events happen."""

    alternate_names = string_list("Other names and spellings of the place.")
    country_code = CountryCodeField()
    parent = BriefRelatedField(
        PlaceBriefSerializer,
        queryset=Place.objects.all(),
        required=False,
        allow_null=True,
        help_text="The place this one lies within.",
    )
    external_ids = external_ids_field('Ids in other gazetteers, e.g. {"geonames": "1131461"}.')

    class Meta:
        model = Place
        fields = RESOURCE_FIELDS + [
            "name",
            "alternate_names",
            "kind",
            "country_code",
            "parent",
            "latitude",
            "longitude",
            "external_ids",
        ]


class AffiliationSerializer(StrictModelSerializer):
    """An actor's role in an organisation, with dates."""

    organization = BriefRelatedField(ActorBriefSerializer, queryset=Actor.objects.all())

    class Meta:
        model = Affiliation
        fields = ["organization", "role", "start_date", "end_date"]


class ActorSerializer(ResourceSerializer):
    """A person or an organisation that takes part in events or makes statements."""

    aliases = string_list("Other names and spellings, e.g. transliterations.")
    country_code = CountryCodeField()
    external_ids = external_ids_field(
        'Ids elsewhere by scheme, e.g. {"wikidata": "Q123", "twitter": "nrfafg"}.'
    )
    affiliations = AffiliationSerializer(
        many=True, required=False, help_text="Roles in organisations. Sending the list replaces it."
    )

    class Meta:
        model = Actor
        fields = RESOURCE_FIELDS + [
            "name",
            "kind",
            "aliases",
            "description",
            "country_code",
            "external_ids",
            "affiliations",
        ]
        nested_children = {"affiliations": "actor"}


class ParticipantSerializer(StrictModelSerializer):
    """An actor taking part in an event, and in what role."""

    actor = BriefRelatedField(ActorBriefSerializer, queryset=Actor.objects.all())

    class Meta:
        model = Participant
        fields = ["actor", "role"]


class EventSerializer(ResourceSerializer):
    """Something that happened: when, where, who took part, and what reviewers concluded."""

    verification_status = VerificationStatusField()
    place = BriefRelatedField(
        PlaceBriefSerializer, queryset=Place.objects.all(), required=False, allow_null=True
    )
    participants = ParticipantSerializer(
        many=True, required=False, help_text="Actors and their roles. Sending the list replaces it."
    )
    external_ids = external_ids_field('Ids in other datasets by scheme, e.g. {"acled": "AFG12345"}.')
    dataset_attributes = DatasetAttributesField(
        required=False,
        help_text="What an imported dataset row carried beyond the event's fields, by dataset "
        '(e.g. {"acled": {"inter1": "1", ...}}; README, "Bringing data in"). Exports give it back.',
    )

    class Meta:
        model = Event
        fields = RESOURCE_FIELDS + [
            "title",
            "summary",
            "event_type",
            "start_date",
            "end_date",
            "date_precision",
            "place",
            "participants",
            "fatalities",
            "sub_event_type",
            "external_ids",
            "dataset_attributes",
            "verification_status",
            "contested",
            "statement_count",
            "supporting_count",
            "refuting_count",
        ]
        nested_children = {"participants": "event"}


class ActorMergeSerializer(serializers.Serializer):
    """Which actor survives a merge."""

    into = serializers.PrimaryKeyRelatedField(
        queryset=Actor.objects.all(), help_text="Id of the actor that survives the merge."
    )
