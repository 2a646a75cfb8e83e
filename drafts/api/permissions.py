from rest_framework.permissions import BasePermission

from eventsapi.api.permissions import EDITORS_GROUP, in_group


class EditorsOnly(BasePermission):
    """Drafts are editors' working copies: no public reads."""

    message = "Drafts are for members of the editors group."

    def has_permission(self, request, view) -> bool:
        return in_group(request.user, EDITORS_GROUP)
