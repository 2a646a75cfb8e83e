from events.api.views import ActorViewSet, EventViewSet, PlaceViewSet

routes = [
    ("places", PlaceViewSet, "place"),
    ("actors", ActorViewSet, "actor"),
    ("events", EventViewSet, "event"),
]
