"""Everything under /api/v1/: one router, so the API root lists every resource."""

from django.urls import path
from rest_framework.routers import APIRootView, DefaultRouter

from claims.api.urls import routes as claims_routes
from events.api.urls import routes as events_routes
from eventsapi.api.auth_views import TokenView


class EventsApiRootView(APIRootView):
    """Structured, verifiable news events. Follow a link below to browse a resource.

    - places: where events happen, from countries down to villages and valleys.
    - actors: people and organisations, with their spelling variants and affiliations.
    - events: what happened, when, where, who took part, and whether it is contested.
    - sources: articles, posts and clips that statements appeared in.
    - statements: who said what, and which events each one supports or refutes.

    Every item links to the items it refers to (its `url`), and to its `reviews/` and
    `history/`. Log in (top right) to write; the OpenAPI schema is at /api/schema/, with
    Swagger UI at /api/docs/ and Redoc at /api/redoc/.
    """


class EventsApiRouter(DefaultRouter):
    include_format_suffixes = False
    APIRootView = EventsApiRootView


router = EventsApiRouter(use_regex_path=False)
for prefix, viewset, basename in events_routes + claims_routes:
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    *router.urls,
]
