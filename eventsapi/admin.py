"""Admin machinery shared by every resource: history, tombstones and restoring them."""

from django.contrib import admin, messages
from simple_history.admin import SimpleHistoryAdmin

from eventsapi.services import resource_referrers, resource_restore, resource_tombstone


class DeletedListFilter(admin.SimpleListFilter):
    title = "deleted"
    parameter_name = "deleted"

    def lookups(self, request, model_admin):
        return [("no", "Live"), ("yes", "Deleted (tombstones)")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(deleted_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(deleted_at__isnull=True)
        return queryset


@admin.action(description="Restore the selected deleted items")
def restore_selected(modeladmin, request, queryset):
    restored = sum(resource_restore(resource=item) for item in queryset)
    modeladmin.message_user(request, f"Restored {restored} item(s).", messages.SUCCESS)


class ResourceAdmin(SimpleHistoryAdmin):
    """Shows tombstones too (filter "deleted"), restores them, and keeps every change in history."""

    actions = [restore_selected]
    resource_readonly_fields = ["id", "version", "created_at", "updated_at", "deleted_at"]

    def get_queryset(self, request):
        return self.model.all_objects.get_queryset()

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), DeletedListFilter]

    def get_readonly_fields(self, request, obj=None):
        return [*self.resource_readonly_fields, *super().get_readonly_fields(request, obj)]

    def get_deleted_objects(self, objs, request):
        # A tombstone deletes nothing, so what is "protected" is what the API's 409 names: the
        # live rows still referring to an item. The admin then refuses, as the API does.
        deleted, model_count, perms_needed, _protected = super().get_deleted_objects(objs, request)
        referrers = [name for obj in objs for name in resource_referrers(resource=obj)]
        return deleted, model_count, perms_needed, referrers

    def delete_model(self, request, obj):
        resource_tombstone(resource=obj)

    def delete_queryset(self, request, queryset):
        for item in queryset:
            resource_tombstone(resource=item)
