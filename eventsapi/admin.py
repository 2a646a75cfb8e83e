"""Admin machinery shared by every resource: history, tombstones and restoring them."""

from django.contrib import admin, messages
from simple_history.admin import SimpleHistoryAdmin


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
    restored = 0
    for item in queryset.filter(deleted_at__isnull=False):
        item.restore()
        restored += 1
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

    def delete_model(self, request, obj):
        obj.tombstone()

    def delete_queryset(self, request, queryset):
        for item in queryset:
            item.tombstone()
