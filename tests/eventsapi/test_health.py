"""Probes for load balancers: /healthz (process up) and /readyz (database reachable)."""

from unittest import mock

import pytest
from django.db import connections
from django.db.utils import OperationalError

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
