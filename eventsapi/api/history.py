"""``{id}/history/``: every version of a resource, who made it, when, and what changed."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

from eventsapi.api.pagination import HistoryPagination
from eventsapi.history import ChangeAction
from eventsapi.history import field_changes as _field_changes
from eventsapi.history import record_action as _action


class FieldChangeSerializer(serializers.Serializer):
    """One field's value before and after a change."""

    field = serializers.CharField(help_text="The field that changed.")
    before = serializers.JSONField(
        allow_null=True, help_text="Its value before the change (null when it was absent)."
    )
    after = serializers.JSONField(
        allow_null=True, help_text="Its value after the change (null when it was removed)."
    )


class HistoryEntrySerializer(serializers.Serializer):
    """One version of an item: who made it, when, and what changed."""

    version = serializers.IntegerField(help_text="The version this change produced.")
    action = serializers.ChoiceField(
        choices=ChangeAction.choices,
        help_text="What kind of change it was.",
    )
    changed_at = serializers.DateTimeField(source="history_date", help_text="When the change was committed.")
    changed_by = serializers.CharField(
        source="history_user.username", allow_null=True, default=None, help_text="null for system changes."
    )
    changes = FieldChangeSerializer(many=True, help_text="Each changed field, before and after.")


def describe_records(records: list, older_neighbour) -> list:
    """Attach ``changes`` and ``action`` to records ordered newest first."""
    if not records:
        return records  # rows loaded without history (fixtures) have none
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
