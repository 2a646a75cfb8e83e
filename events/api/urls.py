from events.api.views import ActorViewSet, PlaceViewSet

routes = [
    ("places", PlaceViewSet, "place"),
    ("actors", ActorViewSet, "actor"),
]
# events are routed by claims (claims/api/urls.py), which completes their viewset.
