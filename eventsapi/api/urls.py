"""Everything under /api/v1/: one router, so the API root lists every resource."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from claims.api.urls import routes as claims_routes
from events.api.urls import routes as events_routes
from eventsapi.api.auth_views import TokenView


class EventsApiRouter(DefaultRouter):
    include_format_suffixes = False


router = EventsApiRouter(use_regex_path=False)
for prefix, viewset, basename in events_routes + claims_routes:
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    *router.urls,
]
