"""Probes for load balancers: /healthz (process up) and /readyz (database reachable)."""

from django.db import connections
from django.db.utils import DatabaseError
from django.http import JsonResponse


def healthz(request):
    return JsonResponse({"status": "ok"})


def readyz(request):
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return JsonResponse(
            {
                "type": "urn:eventsapi:problem:not_ready",
                "title": "Service Unavailable",
                "status": 503,
                "detail": f"The database is not reachable: {error.__class__.__name__}.",
            },
            status=503,
            content_type="application/problem+json",
        )
    return JsonResponse({"status": "ok", "database": "ok"})
