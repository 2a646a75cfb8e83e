"""Writes every resource shares: tombstoning (with the live-reference check) and restoring.

The API's DELETE, the admin's delete and restore actions call these, so one rule holds in
both: a row that live rows still refer to is not tombstoned.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from eventsapi.models import Resource, describe_referrer

STILL_REFERENCED = "still_referenced"


def resource_referrers(*, resource: Resource) -> list[str]:
    """The live rows that refer to ``resource``, named so a person can find them."""
    return sorted({describe_referrer(row) for row in resource.live_references()})


@transaction.atomic
def resource_tombstone(*, resource: Resource) -> None:
    """Tombstone ``resource``; ``ValidationError`` (code ``still_referenced``) naming the live
    rows that still refer to it, if any."""
    referrers = resource_referrers(resource=resource)
    if referrers:
        raise ValidationError(
            "This %(kind)s is still referred to by: %(names)s. Remove those references first.",
            code=STILL_REFERENCED,
            params={"kind": resource._meta.verbose_name, "names": ", ".join(referrers[:10])},
        )
    resource.tombstone()


@transaction.atomic
def resource_restore(*, resource: Resource) -> bool:
    """Bring a tombstoned ``resource`` back; False when it was not tombstoned."""
    if resource.deleted_at is None:
        return False
    resource.restore()
    return True
