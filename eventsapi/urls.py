from django.contrib import admin
from django.urls import include, path
from django_prometheus.exports import ExportToDjangoView
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from eventsapi.health import healthz, readyz

urlpatterns = [
    path("api/v1/", include("eventsapi.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("api-auth/", include("rest_framework.urls")),
    path("admin/", admin.site.urls),
    path("workbench/", include("workbench.urls")),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", ExportToDjangoView, name="metrics"),
]

handler400 = "eventsapi.api.problems.handler400"
handler403 = "eventsapi.api.problems.handler403"
handler404 = "eventsapi.api.problems.handler404"
handler500 = "eventsapi.api.problems.handler500"
