"""Admin for webhooks (secrets hidden) and a read-only view of the feed and delivery log."""

from django.contrib import admin

from changes.models import Change, Webhook, WebhookDelivery
from changes.services import webhook_resume


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Change)
class ChangeAdmin(ReadOnlyAdmin):
    list_display = ["seq", "resource", "object_id", "action", "version", "changed_at"]
    list_filter = ["resource", "action"]
    search_fields = ["object_id"]


@admin.action(description="Resume the selected webhooks")
def resume_selected(modeladmin, request, queryset):
    for webhook in queryset:
        webhook_resume(webhook=webhook)


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = [
        "target_url",
        "owner",
        "active",
        "paused_at",
        "consecutive_failures",
        "last_delivered_seq",
    ]
    list_filter = ["active"]
    actions = [resume_selected]
    exclude = ["secret"]
    readonly_fields = [
        "paused_at",
        "consecutive_failures",
        "last_delivered_seq",
        "next_attempt_at",
        "lease_owner",
        "lease_expires_at",
    ]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["webhook", "seq", "attempt", "succeeded", "status_code", "duration_ms", "attempted_at"]
    list_filter = ["succeeded"]
