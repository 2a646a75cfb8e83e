"""CSV and GeoJSON columns of the place, actor and event lists (see eventsapi.api.export)."""

from events.api.fast import participant_rows
from eventsapi.api.export import RESOURCE_COLUMNS, Export


def _point(place) -> tuple[float, float] | None:
    if place is None or place.latitude is None or place.longitude is None:
        return None
    return (place.longitude, place.latitude)


class PlaceExport(Export):
    name = "places"
    columns = (
        ("id", lambda place: place.pk),
        ("name", lambda place: place.name),
        ("alternate_names", lambda place: place.alternate_names),
        ("kind", lambda place: place.kind),
        ("country_code", lambda place: place.country_code),
        ("parent_id", lambda place: place.parent_id),
        ("parent_name", lambda place: place.parent.name if place.parent else None),
        ("latitude", lambda place: place.latitude),
        ("longitude", lambda place: place.longitude),
        ("external_ids", lambda place: place.external_ids),
        *RESOURCE_COLUMNS,
    )
    coordinates = staticmethod(_point)


class ActorExport(Export):
    name = "actors"
    columns = (
        ("id", lambda actor: actor.pk),
        ("name", lambda actor: actor.name),
        ("kind", lambda actor: actor.kind),
        ("aliases", lambda actor: actor.aliases),
        ("description", lambda actor: actor.description),
        ("country_code", lambda actor: actor.country_code),
        ("external_ids", lambda actor: actor.external_ids),
        (
            "affiliations",
            lambda actor: [
                f"{affiliation.organization.name} ({affiliation.role or 'member'})"
                for affiliation in actor.affiliations.all()
            ],
        ),
        *RESOURCE_COLUMNS,
    )


class EventExport(Export):
    name = "events"
    columns = (
        ("id", lambda event: event.pk),
        ("title", lambda event: event.title),
        ("summary", lambda event: event.summary),
        ("event_type", lambda event: event.event_type),
        ("start_date", lambda event: event.start_date),
        ("end_date", lambda event: event.end_date),
        ("date_precision", lambda event: event.date_precision),
        ("place_id", lambda event: event.place_id),
        ("place_name", lambda event: event.place.name if event.place else None),
        ("country_code", lambda event: event.place.country_code if event.place else None),
        ("latitude", lambda event: event.place.latitude if event.place else None),
        ("longitude", lambda event: event.place.longitude if event.place else None),
        (
            "participants",
            lambda event: [f"{name} ({role})" for _, name, role in event.participant_rows],
        ),
        ("verification_status", lambda event: event.verification_status),
        ("contested", lambda event: getattr(event, "contested", None)),
        ("statement_count", lambda event: getattr(event, "statement_count", None)),
        *RESOURCE_COLUMNS,
    )

    @staticmethod
    def coordinates(event) -> tuple[float, float] | None:
        return _point(event.place)

    # Participants as tuples, one query per chunk: prefetching model instances was half the
    # export's time.
    @classmethod
    def queryset(cls, queryset):
        return queryset.prefetch_related(None)

    @classmethod
    def prepare(cls, events) -> None:
        rows = participant_rows(events)
        for event in events:
            event.participant_rows = rows.get(event.id, ())
