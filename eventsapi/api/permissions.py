"""Who may do what: public (or authenticated) reads, writes for the editors group."""

from django.conf import settings
from rest_framework.permissions import SAFE_METHODS, BasePermission

EDITORS_GROUP = "editors"
VERIFIERS_GROUP = "verifiers"


def in_group(user, group_name: str) -> bool:
    if not (user and user.is_authenticated):
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name=group_name).exists()


def can_read(request) -> bool:
    return settings.EVENTSAPI_PUBLIC_READ or bool(request.user and request.user.is_authenticated)


class EditorWriteOrPublicRead(BasePermission):
    """Reads as ``EVENTSAPI_PUBLIC_READ`` allows; writes by editors and superusers."""

    message = "Writing requires membership of the editors group."

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return can_read(request)
        return in_group(request.user, EDITORS_GROUP)


class VerifierWriteOrPublicRead(BasePermission):
    """Reads as ``EVENTSAPI_PUBLIC_READ`` allows; posting reviews by verifiers and superusers."""

    message = "Posting a review requires membership of the verifiers group."

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return can_read(request)
        return in_group(request.user, VERIFIERS_GROUP)
