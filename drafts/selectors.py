"""Which drafts a user sees: their own, or every draft for a superuser."""

from django.db.models import QuerySet

from drafts.models import Draft


def drafts_visible_to(user) -> QuerySet[Draft]:
    drafts = Draft.objects.select_related("created_by")
    return drafts if user.is_superuser else drafts.filter(created_by=user)
