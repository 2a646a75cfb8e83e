"""Everything under /api/v1/: one router, so the API root lists every resource."""

from django.urls import path
from rest_framework.routers import APIRootView, DefaultRouter, SimpleRouter

from bundles.api.urls import routes as bundles_routes
from changes.api.urls import routes as changes_routes
from claims.api.urls import routes as claims_routes
from drafts.api.urls import routes as drafts_routes
from events.api.urls import routes as events_routes
from eventsapi.api.auth_views import TokenView
from matching.api.urls import urlpatterns as matching_urls


class EventsApiRootView(APIRootView):
    """Structured, verifiable news events. Follow a link below to browse a resource.

    - places: where events happen, from countries down to villages and valleys.
    - actors: people and organisations, with their spelling variants and affiliations.
    - events: what happened, when, where, who took part, and whether it is contested.
    - sources: articles, posts and clips that statements appeared in.
    - statements: who said what, and which events each one supports or refutes.
    - changes: every committed change, in order, for clients that keep a copy in step.
    - webhooks: subscriptions that receive the changes as they happen (editors).
    - bundles: POST many writes at once (a whole story), all or nothing, with local ids.
    - drafts: POST an article's text; get its proposed statements, speakers and events to
      correct and commit as one bundle (editors).

    Every item links to the items it refers to (its `url`), and to its `reviews/` and
    `history/`. Log in (top right) to write; the OpenAPI schema is at /api/schema/, with
    Swagger UI at /api/docs/ and Redoc at /api/redoc/.
    """

    name = "eventsapi"


class EventsApiRouter(DefaultRouter):
    """The resources' router; its API root also lists the routes of ``other_routers``."""

    include_format_suffixes = False
    APIRootView = EventsApiRootView

    def __init__(self, *args, other_routers: tuple[SimpleRouter, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.other_routers = other_routers

    def get_api_root_view(self, api_urls=None):
        list_name = self.routes[0].name
        registry = [entry for router in (self, *self.other_routers) for entry in router.registry]
        return self.APIRootView.as_view(
            api_root_dict={prefix: list_name.format(basename=basename) for prefix, _, basename in registry}
        )


# The change feed, webhooks, bundles and drafts have a router of their own: they are not resources (no
# history, ETags or tombstones), and tests/eventsapi/test_roles_matrix.py walks `router`.
changes_router = SimpleRouter(use_regex_path=False)
for prefix, viewset, basename in changes_routes + bundles_routes + drafts_routes:
    changes_router.register(prefix, viewset, basename=basename)

router = EventsApiRouter(use_regex_path=False, other_routers=(changes_router,))
for prefix, viewset, basename in events_routes + claims_routes:
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    *matching_urls,
    *router.urls,
    *changes_router.urls,
]
