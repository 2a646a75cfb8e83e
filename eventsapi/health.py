"""Probes for load balancers: /healthz (process up) and /readyz (it can serve requests).

``/readyz`` checks the primary database and, when ``REDIS_URL`` is set, Redis (the cache
and throttling every process shares); either one down is a 503 problem document naming it.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import DatabaseError
from django.http import JsonResponse
from redis.exceptions import RedisError


def healthz(request):
    return JsonResponse({"status": "ok"})


def _database_ready() -> bool:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def _redis_ready() -> bool:
    try:
        cache.get("eventsapi:readyz")
    except RedisError:
        return False
    return True


def readyz(request):
    checks = {"database": "ok" if _database_ready() else "unreachable"}
    if settings.REDIS_URL:
        checks["redis"] = "ok" if _redis_ready() else "unreachable"
    down = [name for name, state in checks.items() if state != "ok"]
    if down:
        return JsonResponse(
            {
                "type": "urn:eventsapi:problem:not_ready",
                "title": "Service Unavailable",
                "status": 503,
                "detail": "Not reachable: " + ", ".join(down) + ".",
                **checks,
            },
            status=503,
            content_type="application/problem+json",
        )
    return JsonResponse({"status": "ok", **checks})
