"""What a version of a resource changed, and what kind of change it was.

django-simple-history keeps every version; ``{id}/history/`` (eventsapi.api.history) and the
change feed (changes) describe a version the same way, with these: the fields it changed
and an action derived from them.
"""

from django.db import models
from django.db.models import GeneratedField
from simple_history.manager import HistoryDescriptor

# Bookkeeping columns that change with every version; the diff leaves them out.
UNDIFFED_FIELDS = ["version", "updated_at", "created_at"]


class ChangeAction(models.TextChoices):
    """What kind of change a version was."""

    CREATED = "created", "Created"
    UPDATED = "updated", "Updated"
    DELETED = "deleted", "Deleted (tombstoned)"
    RESTORED = "restored", "Restored from a tombstone"
    MERGED = "merged", "Merged into another actor"
    REVIEWED = "reviewed", "Verification status changed by a review"


def field_changes(newer, older) -> list[dict]:
    """``[{field, before, after}]`` for every tracked field that differs between two records."""
    # simple-history's diff_against skips non-editable fields (deleted_at, merged_into,
    # verification_status in the admin), which are exactly the ones a reader needs.
    return [
        {"field": field.name, "before": getattr(older, field.attname), "after": getattr(newer, field.attname)}
        for field in newer.tracked_fields
        if field.name not in UNDIFFED_FIELDS
        and not isinstance(field, GeneratedField)
        and getattr(older, field.attname) != getattr(newer, field.attname)
    ]


def record_action(record, changes: list[dict]) -> str:
    """The ``ChangeAction`` of a history record, given its ``field_changes`` from the one before."""
    if record.history_type == "+":
        return ChangeAction.CREATED
    if record.history_type == "-":
        return ChangeAction.DELETED
    changed = {change["field"]: change for change in changes}
    if "deleted_at" in changed:
        return ChangeAction.RESTORED if changed["deleted_at"]["after"] is None else ChangeAction.DELETED
    if "merged_into" in changed:
        return ChangeAction.MERGED
    if "verification_status" in changed and len(changed) == 1:
        return ChangeAction.REVIEWED
    return ChangeAction.UPDATED


class _CachedHistoryDescriptor(HistoryDescriptor):
    """simple-history's ``Model.history`` descriptor, with its manager class made once.

    simple-history (3.13) builds a new manager class (``from_queryset``, a walk of the
    queryset's methods) on every access, and every save reaches it: a tenth of a bundle's
    time went there."""

    def __get__(self, instance, owner):
        manager_class = self.__dict__.get("built_manager_class")
        if manager_class is None:
            manager_class = self.built_manager_class = self.manager_class.from_queryset(self.queryset_class)
        return manager_class(self.model, instance)


def cache_history_managers(models_with_history) -> None:
    """Give each model's history descriptor its cached form (``EventsapiConfig.ready``)."""
    for model in models_with_history:
        name = getattr(model._meta, "simple_history_manager_attribute", None)
        descriptor = model.__dict__.get(name) if name else None
        if type(descriptor) is HistoryDescriptor:
            descriptor.__class__ = _CachedHistoryDescriptor
