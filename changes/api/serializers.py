"""Serializers for the change feed and webhooks."""

from django.conf import settings
from rest_framework import serializers

from changes import transport
from changes.models import Change, ChangeResource, Webhook, WebhookDelivery
from eventsapi.api.serializers import ITEM_URL_HELP_TEXT
from eventsapi.history import ChangeAction


class CommaSeparatedChoiceField(serializers.Field):
    """A query parameter holding one or more values of a vocabulary, comma-separated."""

    default_error_messages = {
        "invalid_choice": "{value!r} is not one of: {choices}.",
        "empty_item": "Remove the empty item between the commas.",
    }

    def __init__(self, choices: type, **kwargs):
        self.vocabulary = choices
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> list[str]:
        if not str(data).strip():
            return []  # an empty parameter, as a form sends it, is no filter
        values = [value.strip() for value in str(data).split(",")]
        if "" in values:
            self.fail("empty_item")
        for value in values:
            if value not in self.vocabulary.values:
                self.fail("invalid_choice", value=value, choices=", ".join(self.vocabulary.values))
        return values


class ChangeFeedQuerySerializer(serializers.Serializer):
    """The feed's query parameters; errors name the parameter."""

    after = serializers.IntegerField(min_value=0, max_value=2**63 - 1, default=0)
    limit = serializers.IntegerField(min_value=1, max_value=settings.EVENTSAPI_MAX_PAGE_SIZE, default=100)
    resource = CommaSeparatedChoiceField(ChangeResource, required=False, default=list)
    action = CommaSeparatedChoiceField(ChangeAction, required=False, default=list)


class ChangeSerializer(serializers.ModelSerializer):
    """One committed change: which item, what action, which version."""

    id = serializers.UUIDField(source="object_id", help_text="The id of the changed item.")
    resource = serializers.ChoiceField(choices=ChangeResource.choices, help_text="Where the item lives.")
    action = serializers.ChoiceField(choices=ChangeAction.choices, help_text="What kind of change it was.")

    class Meta:
        model = Change
        fields = ["seq", "resource", "id", "action", "version", "changed_at"]


class ChangeFeedSerializer(serializers.Serializer):
    """A page of the change feed, in seq order."""

    results = ChangeSerializer(many=True, help_text="Entries after `after`, in seq order.")
    last_seq = serializers.IntegerField(
        help_text="Pass it as `after` on the next poll. With filters it may be past the last result: "
        "the entries in between did not match."
    )
    next = serializers.URLField(
        allow_null=True, help_text="The next page when this one was full; null when there is no more now."
    )


class WebhookSerializer(serializers.ModelSerializer):
    """A subscription: the change feed POSTed to a URL as changes commit."""

    url = serializers.HyperlinkedIdentityField(view_name="webhook-detail", help_text=ITEM_URL_HELP_TEXT)
    owner = serializers.CharField(
        source="owner.username", read_only=True, help_text="The user who created the webhook."
    )
    resources = serializers.ListField(
        child=serializers.ChoiceField(choices=ChangeResource.choices),
        required=False,
        help_text="Deliver changes of these resources only; empty or absent for all.",
    )
    actions = serializers.ListField(
        child=serializers.ChoiceField(choices=ChangeAction.choices),
        required=False,
        help_text="Deliver these actions only; empty or absent for all.",
    )
    secret = serializers.CharField(
        write_only=True,
        required=False,
        min_length=16,
        max_length=200,
        help_text="Key for the HMAC-SHA256 signature. Generated when absent; returned only by the "
        "create response, never again. Send a new one to rotate it.",
    )
    active = serializers.BooleanField(
        required=False,
        help_text="false stops deliveries; true resumes a paused webhook and clears its failures.",
    )

    class Meta:
        model = Webhook
        fields = [
            "id",
            "url",
            "owner",
            "target_url",
            "resources",
            "actions",
            "secret",
            "active",
            "paused_at",
            "consecutive_failures",
            "last_delivered_seq",
            "next_attempt_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "paused_at",
            "consecutive_failures",
            "last_delivered_seq",
            "next_attempt_at",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {
            "target_url": {"help_text": "http(s) URL receiving the JSON POSTs; must reach a public address."}
        }

    def validate_target_url(self, value: str) -> str:
        try:
            transport.resolve_target(value)
        except transport.TargetRefused as error:
            raise serializers.ValidationError(str(error), code="refused") from error
        return value

    def validate_resources(self, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))

    def validate_actions(self, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))


class WebhookCreatedSerializer(WebhookSerializer):
    """The create response: the only one that shows the secret."""

    secret = serializers.CharField(read_only=True, help_text="Keep it: it is never shown again.")


class WebhookDeliverySerializer(serializers.ModelSerializer):
    """One attempt to deliver changes to a webhook."""

    delivery_id = serializers.UUIDField(help_text="The X-Eventsapi-Delivery header of the attempt.")

    class Meta:
        model = WebhookDelivery
        fields = [
            "delivery_id",
            "seq",
            "attempt",
            "succeeded",
            "status_code",
            "error",
            "duration_ms",
            "attempted_at",
        ]
