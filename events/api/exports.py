"""CSV and GeoJSON columns of the place, actor and event lists (see eventsapi.api.export):
the serializers' fields, and the columns that differ from them."""

from events.api.fast import PARTICIPANTS
from events.api.serializers import ActorSerializer, EventSerializer, PlaceSerializer
from eventsapi.api.export import Export, serializer_columns


def _point(place) -> tuple[float, float] | None:
    if place is None or place.latitude is None or place.longitude is None:
        return None
    return (place.longitude, place.latitude)


def _of_place(attribute: str):
    return lambda event: getattr(event.place, attribute) if event.place else None


class PlaceExport(Export):
    name = "places"
    columns = serializer_columns(PlaceSerializer)
    coordinates = staticmethod(_point)


class ActorExport(Export):
    name = "actors"
    columns = serializer_columns(
        ActorSerializer,
        replace={
            "affiliations": (
                (
                    "affiliations",
                    lambda actor: [
                        f"{affiliation.organization.name} ({affiliation.role or 'member'})"
                        for affiliation in actor.affiliations.all()
                    ],
                ),
            )
        },
    )


class EventExport(Export):
    name = "events"
    columns = serializer_columns(
        EventSerializer,
        # The place's country and coordinates, for spreadsheets and maps.
        extend={
            "place": (
                ("country_code", _of_place("country_code")),
                ("latitude", _of_place("latitude")),
                ("longitude", _of_place("longitude")),
            )
        },
        replace={
            "participants": (
                ("participants", lambda event: [f"{name} ({role})" for name, role in event.participant_rows]),
            )
        },
        omit=("supporting_count", "refuting_count"),
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
        rows = PARTICIPANTS.grouped([event.id for event in events], ("actor__name", "role"))
        for event in events:
            event.participant_rows = rows.get(event.id, ())
