"""Probes for load balancers: /healthz (process up), /readyz (database and Redis), /metrics."""

from unittest import mock

import pytest
from django.db import connections
from django.db.utils import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError

from tests.api_cases import assert_problem


def test_healthz_answers_200_without_the_database(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_answers_200_when_the_database_is_reachable(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_readyz_answers_503_problem_when_the_database_is_unreachable(client):
    with mock.patch.object(
        connections["default"], "cursor", side_effect=OperationalError("connection refused")
    ):
        response = client.get("/readyz")

    body = assert_problem(response, 503)
    assert "database" in body["detail"]


@pytest.mark.django_db
def test_readyz_checks_redis_when_it_is_configured(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:6379/15"

    with mock.patch("eventsapi.health.cache.get", return_value=None) as probe:
        response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok"}
    probe.assert_called_once()


@pytest.mark.django_db
def test_readyz_answers_503_problem_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:6379/15"

    with mock.patch("eventsapi.health.cache.get", side_effect=RedisConnectionError("refused")):
        response = client.get("/readyz")

    body = assert_problem(response, 503)
    assert body["detail"] == "Not reachable: redis."
    assert body["redis"] == "unreachable"


@pytest.mark.django_db
def test_readyz_does_not_mention_redis_without_it(client, settings):
    settings.REDIS_URL = ""

    assert "redis" not in client.get("/readyz").json()


@pytest.mark.django_db
def test_metrics_are_served_in_the_prometheus_text_format(client):
    client.get("/api/v1/events/")

    response = client.get("/metrics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert b'django_http_requests_total_by_method_total{method="GET"}' in response.content
