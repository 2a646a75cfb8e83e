"""``{id}/history/``: every version of a resource, who made it, when, and what changed."""

from django.db.models import GeneratedField
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

from eventsapi.api.pagination import HistoryPagination

# Bookkeeping columns that change with every version; the diff leaves them out.
UNDIFFED_FIELDS = ["version", "updated_at", "created_at"]


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)


class HistoryEntrySerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="The version this change produced.")
    action = serializers.ChoiceField(
        choices=["created", "updated", "deleted", "restored", "merged", "reviewed"],
        help_text="What kind of change it was.",
    )
    changed_at = serializers.DateTimeField(source="history_date")
    changed_by = serializers.CharField(
        source="history_user.username", allow_null=True, default=None, help_text="null for system changes."
    )
    changes = FieldChangeSerializer(many=True, help_text="Each changed field, before and after.")


def _action(record, changes: list[dict]) -> str:
    if record.history_type == "+":
        return "created"
    changed = {change["field"]: change for change in changes}
    if "deleted_at" in changed:
        return "restored" if changed["deleted_at"]["after"] is None else "deleted"
    if "merged_into" in changed:
        return "merged"
    if "verification_status" in changed and len(changed) == 1:
        return "reviewed"
    return "updated"


def _field_changes(newer, older) -> list[dict]:
    # simple-history's diff_against skips non-editable fields (deleted_at, merged_into,
    # verification_status in the admin), which are exactly the ones a reader needs.
    return [
        {"field": field.name, "before": getattr(older, field.attname), "after": getattr(newer, field.attname)}
        for field in newer.tracked_fields
        if field.name not in UNDIFFED_FIELDS
        and not isinstance(field, GeneratedField)
        and getattr(older, field.attname) != getattr(newer, field.attname)
    ]


def describe_records(records: list, older_neighbour) -> list:
    """Attach ``changes`` and ``action`` to records ordered newest first."""
    for newer, older in zip(records, [*records[1:], older_neighbour], strict=True):
        newer.changes = [] if older is None else _field_changes(newer, older)
        newer.action = _action(newer, newer.changes)
    return records


class HistoryMixin:
    @extend_schema(
        summary="Version history",
        description="Every version of this item, newest first: who changed it, when, and what.",
        responses=HistoryEntrySerializer(many=True),
    )
    @action(
        detail=True,
        methods=["get"],
        serializer_class=HistoryEntrySerializer,
        pagination_class=HistoryPagination,
        filter_backends=[],
    )
    def history(self, request, pk=None):
        model = self.get_queryset().model
        instance = model.all_objects.filter(pk=pk).first()
        if instance is None:
            self.get_object()  # raises the usual 404
        self.check_object_permissions(request, instance)
        history = instance.history.select_related("history_user")
        records = list(self.paginate_queryset(history))
        older = records[-1].prev_record if records else None
        return self.get_paginated_response(
            self.get_serializer(describe_records(records, older), many=True).data
        )
