"""Admin for places, actors and events, so editors can work without the API."""

from django.contrib import admin

from events.models import Actor, Affiliation, Event, Participant, Place
from eventsapi.admin import ResourceAdmin


@admin.register(Place)
class PlaceAdmin(ResourceAdmin):
    list_display = ["name", "kind", "country_code", "parent", "latitude", "longitude"]
    list_filter = ["kind", "country_code"]
    search_fields = ["name", "alternate_names"]
    autocomplete_fields = ["parent"]


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    fk_name = "actor"
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(Actor)
class ActorAdmin(ResourceAdmin):
    list_display = ["name", "kind", "country_code", "updated_at"]
    list_filter = ["kind", "country_code"]
    search_fields = ["name", "aliases", "description"]
    inlines = [AffiliationInline]


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    autocomplete_fields = ["actor"]


@admin.register(Event)
class EventAdmin(ResourceAdmin):
    list_display = ["title", "event_type", "start_date", "end_date", "place", "verification_status"]
    list_filter = ["event_type", "verification_status", "date_precision"]
    search_fields = ["title", "summary"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["place"]
    inlines = [ParticipantInline]
    readonly_fields = ["verification_status"]
