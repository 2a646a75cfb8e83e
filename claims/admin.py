"""Admin for sources and statements."""

from django.contrib import admin

from claims.models import Review, Source, Statement, StatementEvent
from eventsapi.admin import ResourceAdmin


@admin.register(Source)
class SourceAdmin(ResourceAdmin):
    list_display = ["__str__", "kind", "publisher", "published_at", "verification_status"]
    list_filter = ["kind", "verification_status", "language"]
    search_fields = ["url", "title", "author"]
    autocomplete_fields = ["publisher", "cites"]
    readonly_fields = ["verification_status"]


class StanceInline(admin.TabularInline):
    model = StatementEvent
    extra = 0
    autocomplete_fields = ["event"]


@admin.register(Statement)
class StatementAdmin(ResourceAdmin):
    list_display = ["__str__", "speaker", "stated_on", "is_direct_quote", "verification_status"]
    list_filter = ["verification_status", "is_direct_quote", "language"]
    search_fields = ["text", "speaker__name"]
    date_hierarchy = "stated_on"
    autocomplete_fields = ["speaker", "sources", "responds_to"]
    inlines = [StanceInline]
    readonly_fields = ["verification_status"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """Reviews are the record of verdicts: listed and searchable, never edited here."""

    list_display = ["__str__", "verdict", "previous_status", "reviewer", "created_at"]
    list_filter = ["verdict"]
    search_fields = ["rationale"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False
