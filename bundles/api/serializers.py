"""The bundle's request and response, as typed schema components for generated clients.

The request is read by ``bundles.api.operations`` (which names each failure by its place in
the bundle); these serializers describe it: one component per op, told apart by ``op``.
"""

from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers

from bundles.api.resources import RESOURCES
from changes.models import ChangeResource
from eventsapi.choices import VerificationStatus

# The resources by their paths, as the change feed names them (ChangeResourceEnum).
RESOURCE_CHOICES = [(name, label) for name, label in ChangeResource.choices if name in RESOURCES]
REVIEWABLE_CHOICES = [(name, label) for name, label in RESOURCE_CHOICES if RESOURCES[name].reviewable]
RESULT_STATUSES = ["created", "updated", "matched", "deleted", "reviewed"]

DATA_HELP = (
    "Exactly what the resource's own endpoint accepts (a POST for create and upsert, a PATCH for "
    'update), except that any reference to another record may be {"lid": "..."}: a record '
    "created or matched by an earlier operation of this bundle."
)
MATCH_HELP = (
    "The natural key that finds an existing record: "
    '{"url"} for sources (compared normalised); {"external_id": "scheme:value"} for actors, '
    'places and events; {"name", "kind"} for actors; {"name", "kind", "parent"?} for places; '
    '{"speaker", "text", "stated_on"} for statements (text compared with whitespace normalised). '
    'References in it may be {"lid": "..."}.'
)
LID_HELP = "A local id for the record, for later operations of this bundle to refer to it."
IF_MATCH_HELP = "The version you read (or its ETag): the bundle fails with 412 if the record changed."


class ReferenceSerializer(serializers.Serializer):
    """A record named by its id, or by the lid an earlier operation of the bundle gave it."""

    id = serializers.UUIDField(required=False, help_text="The record's id.")
    lid = serializers.CharField(required=False, max_length=200, help_text="A lid defined earlier.")


def _op(name: str) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=[name], help_text=f"`{name}`.")


def _resource(choices=RESOURCE_CHOICES) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=choices, help_text="The resource, as in its path.")


def _if_match() -> serializers.IntegerField:
    return serializers.IntegerField(required=False, min_value=1, help_text=IF_MATCH_HELP)


class TargetedOperationSerializer(serializers.Serializer):
    """The target of an update, delete or review: one of `id`, `lid` or `ref`."""

    id = serializers.UUIDField(required=False, help_text="The target record's id.")
    lid = serializers.CharField(required=False, max_length=200, help_text="A lid defined earlier.")
    ref = ReferenceSerializer(required=False, help_text="The target, by id or lid.")


class CreateOperationSerializer(serializers.Serializer):
    """Create a record (with `match`: unless one with that key exists, which is then used)."""

    op = _op("create")
    resource = _resource()
    lid = serializers.CharField(required=False, max_length=200, help_text=LID_HELP)
    match = serializers.DictField(required=False, help_text=MATCH_HELP)
    data = serializers.DictField(help_text=DATA_HELP)


class UpsertOperationSerializer(serializers.Serializer):
    """Update the record `match` finds (with `data`, as a PATCH), or create it."""

    op = _op("upsert")
    resource = _resource()
    lid = serializers.CharField(required=False, max_length=200, help_text=LID_HELP)
    match = serializers.DictField(help_text=MATCH_HELP)
    data = serializers.DictField(required=False, help_text=DATA_HELP)
    if_match = _if_match()


class UpdateOperationSerializer(TargetedOperationSerializer):
    """Change the fields `data` sends, as a PATCH does."""

    op = _op("update")
    resource = _resource()
    if_match = _if_match()
    data = serializers.DictField(help_text=DATA_HELP)


class DeleteOperationSerializer(TargetedOperationSerializer):
    """Tombstone a record, as DELETE does (409 while live records refer to it)."""

    op = _op("delete")
    resource = _resource()
    if_match = _if_match()


class ReviewDataSerializer(serializers.Serializer):
    """A verdict, as the reviews endpoint takes it; `evidence` items may be lid references."""

    verdict = serializers.ChoiceField(choices=VerificationStatus.choices, help_text="The verdict.")
    rationale = serializers.CharField(
        required=False, allow_blank=True, help_text="Why; required for every verdict but in_review."
    )
    evidence = serializers.ListField(
        child=serializers.JSONField(),
        required=False,
        help_text='Sources the verdict rests on: ids, or {"lid": "..."} of sources in the bundle.',
    )


class ReviewOperationSerializer(TargetedOperationSerializer):
    """Post a verdict on an event, statement or source (verifiers only)."""

    op = _op("review")
    resource = _resource(REVIEWABLE_CHOICES)
    data = ReviewDataSerializer(help_text="The verdict, as the reviews endpoint takes it.")


OPERATION_SERIALIZERS = {
    "create": CreateOperationSerializer,
    "update": UpdateOperationSerializer,
    "upsert": UpsertOperationSerializer,
    "delete": DeleteOperationSerializer,
    "review": ReviewOperationSerializer,
}


class BundleSerializer(serializers.Serializer):
    """Operations that run in order, all or nothing."""

    operations = serializers.ListField(
        child=PolymorphicProxySerializer(
            component_name="BundleOperation",
            serializers=OPERATION_SERIALIZERS,
            resource_type_field_name="op",
        ),
        help_text="The operations, run in order; at most EVENTSAPI_BUNDLE_MAX_OPERATIONS (1000).",
    )
    dry_run = serializers.BooleanField(
        required=False, default=False, help_text="Validate and resolve everything, and write nothing."
    )


class BundleResultSerializer(serializers.Serializer):
    """What one operation did."""

    index = serializers.IntegerField(help_text="The operation's position in the bundle, from 0.")
    op = serializers.ChoiceField(choices=list(OPERATION_SERIALIZERS), help_text="The operation's `op`.")
    resource = _resource()
    lid = serializers.CharField(allow_null=True, help_text="The operation's lid, if it has one.")
    id = serializers.UUIDField(help_text="The record's id.")
    url = serializers.URLField(help_text="The record's address in the API.")
    status = serializers.ChoiceField(
        choices=RESULT_STATUSES,
        help_text="created, updated, matched (found by its key, or a review repeated: nothing "
        "written), deleted or reviewed.",
    )
    version = serializers.IntegerField(help_text="The record's version after the operation.")


class BundleResponseSerializer(serializers.Serializer):
    """The result of every operation, in operation order."""

    results = BundleResultSerializer(many=True, help_text="One result per operation, in their order.")
    dry_run = serializers.BooleanField(help_text="True when nothing was written.")
