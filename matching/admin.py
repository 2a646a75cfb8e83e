"""The duplicate report in the admin: likely duplicate actors in pairs, each with merge buttons.

The same pairs as ``GET /api/v1/actors/duplicates/`` (matching.selectors.actor_duplicates);
merging runs ``events.services.actor_merge``, as the API's merge endpoint does.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse

from events.models import Actor
from events.services import actor_merge
from matching.models import ActorDuplicate
from matching.selectors import actor_duplicates

PAGE = 100


@admin.register(ActorDuplicate)
class ActorDuplicateAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("events.change_actor")

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_change_permission(request, obj)

    def changelist_view(self, request, extra_context=None):
        if not self.has_change_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            return self._merge(request)
        after = request.GET.get("after") or None
        pairs, last = actor_duplicates(after=after, count=PAGE)
        context = {
            **self.admin_site.each_context(request),
            "title": "Likely duplicate actors",
            "opts": self.model._meta,
            "pairs": pairs,
            "next_after": last,
        }
        return TemplateResponse(request, "admin/matching/duplicates.html", context)

    def _merge(self, request):
        try:
            merged = Actor.objects.get(pk=request.POST["merged"])
            into = Actor.objects.get(pk=request.POST["into"])
            actor_merge(merged=merged, into=into)
        except (KeyError, ValueError, ValidationError, Actor.DoesNotExist) as error:
            self.message_user(request, f"Not merged: {error}", messages.ERROR)
        else:
            self.message_user(request, f"{merged.name} was merged into {into.name}.", messages.SUCCESS)
        return HttpResponseRedirect(request.get_full_path())
