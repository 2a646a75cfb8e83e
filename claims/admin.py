"""Admin for sources and statements."""

from django.contrib import admin

from claims.models import Source, Statement, StatementEvent


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "publisher", "published_at", "verification_status"]
    list_filter = ["kind", "verification_status", "language"]
    search_fields = ["url", "title", "author"]
    autocomplete_fields = ["publisher", "cites"]
    readonly_fields = ["id", "version", "created_at", "updated_at", "verification_status"]


class StanceInline(admin.TabularInline):
    model = StatementEvent
    extra = 0
    autocomplete_fields = ["event"]


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ["__str__", "speaker", "stated_on", "is_direct_quote", "verification_status"]
    list_filter = ["verification_status", "is_direct_quote", "language"]
    search_fields = ["text", "speaker__name"]
    date_hierarchy = "stated_on"
    autocomplete_fields = ["speaker", "sources", "responds_to"]
    inlines = [StanceInline]
    readonly_fields = ["id", "version", "created_at", "updated_at", "verification_status"]
