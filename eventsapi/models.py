"""The abstract base every API resource inherits: UUID key, version, timestamps, tombstone."""

import uuid

from django.db import models
from django.db.models.deletion import Collector, ProtectedError
from django.utils import timezone
from simple_history.models import HistoricalRecords


class AliveManager(models.Manager):
    """The default manager: tombstoned rows are invisible to the API and to new references."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


# Versions are read by their item's id (in history_date order): the history tables index that
# and their own history_* columns, not the item's other indexed fields, which every write
# (and every bulk import row) would pay for and no query uses.
HISTORY_UNINDEXED_FIELDS = [
    "country_code",
    "created_at",
    "deleted_at",
    "effective_end_date",
    "effective_start_date",
    "end_date",
    "fatalities",
    "kind",
    "merged_into",
    "name",
    "parent",
    "place",
    "published_at",
    "publisher",
    "responds_to",
    "speaker",
    "stated_on",
    "updated_at",
    "url",
    "verification_status",
]


class Resource(models.Model):
    """A record exposed by the API.

    ``version`` starts at 1 and grows by one on every save of an existing row; it backs
    the ETag of the detail response. Nothing is deleted for good: ``tombstone()`` sets
    ``deleted_at`` (GET then answers 410) and ``restore()`` clears it.
    """

    id = models.UUIDField(
        primary_key=True,
        default=uuid.uuid4,
        editable=False,
        help_text="The item's id (UUID), assigned by the server.",
    )
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="1 on create, +1 on every change. The ETag is this number in quotes.",
    )
    created_at = models.DateTimeField(
        auto_now_add=True, db_index=True, help_text="When the item was created."
    )
    updated_at = models.DateTimeField(auto_now=True, db_index=True, help_text="When the item last changed.")
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)

    all_objects = models.Manager()
    objects = AliveManager()
    # Every save (API, admin, services) is kept as a version, with who made it. Derived
    # columns the database keeps (an event's claim summary) are not part of a version.
    history = HistoricalRecords(
        inherit=True,
        excluded_fields=["statement_count", "supporting_count", "refuting_count", "contested"],
        no_db_index=HISTORY_UNINDEXED_FIELDS,
    )

    class Meta:
        abstract = True
        default_manager_name = "objects"
        base_manager_name = "all_objects"

    # Columns the database keeps itself (an event's claim summary, by triggers): an update
    # never writes them, so a copy read before they changed cannot put the old values back.
    database_kept_fields: tuple[str, ...] = ()

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
            update_fields = kwargs.get("update_fields")
            if update_fields is None and self.database_kept_fields:
                update_fields = [
                    field.name
                    for field in self._meta.concrete_fields
                    if not field.primary_key
                    and not field.generated
                    and field.name not in self.database_kept_fields
                ]
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "version", "updated_at"}
        super().save(*args, **kwargs)

    def live_references(self) -> list[models.Model]:
        """Rows that are not tombstoned and still refer to this one through a protected key."""
        collector = Collector(using=self._state.db or "default")
        try:
            collector.collect([self])
        except ProtectedError as error:
            return [
                obj
                for obj in error.protected_objects
                if getattr(obj, "deleted_at", None) is None and _parent_alive(obj)
            ]
        return []

    def tombstone(self) -> None:
        self.deleted_at = timezone.now()
        self.save(update_fields=["deleted_at"])

    def restore(self) -> None:
        self.deleted_at = None
        self.save(update_fields=["deleted_at"])


def link_owner(obj: models.Model) -> "Resource | None":
    """The resource a link row (a participant, a stance, an affiliation) belongs to."""
    if isinstance(obj, Resource):
        return None
    for field in obj._meta.concrete_fields:
        if (
            field.many_to_one
            and field.remote_field.on_delete is models.CASCADE
            and issubclass(field.related_model, Resource)
        ):
            return getattr(obj, field.name)
    return None


def _parent_alive(obj: models.Model) -> bool:
    """A link row counts as a reference only while its owner is alive."""
    owner = link_owner(obj)
    return owner is None or owner.deleted_at is None


def describe_referrer(obj: models.Model) -> str:
    """Name a referring row so a client can find it: a link row has no address of its own,
    so the resource that owns it is named too."""
    name = f"{obj._meta.verbose_name} {obj.pk}"
    owner = link_owner(obj)
    return name if owner is None else f"{name} of {owner._meta.verbose_name} {owner.pk}"


class IdempotencyKey(models.Model):
    """A POST's ``Idempotency-Key`` and the response it produced, kept for 24 hours.

    Stored in the database so every app process sees the same keys. ``response_status`` is
    null while the first request is still in flight.
    """

    user = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of method, path and body.")
    response_status = models.PositiveSmallIntegerField(null=True)
    response_body = models.BinaryField(default=b"")
    response_headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"
