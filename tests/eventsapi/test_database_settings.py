"""How DATABASE_URL becomes Django's DATABASES (eventsapi.settings._database)."""

import pytest
from django.db import connection

from eventsapi import settings as project_settings

POSTGRES = "postgres://eventsapi@db:5432/eventsapi"


def test_postgres_connections_turn_parallel_query_off_by_default(monkeypatch):
    monkeypatch.delenv("PG_MAX_PARALLEL_WORKERS_PER_GATHER", raising=False)

    database = project_settings._database(POSTGRES)

    assert database["OPTIONS"]["options"] == "-c max_parallel_workers_per_gather=0"


def test_the_parallel_setting_keeps_options_given_in_the_url(monkeypatch):
    monkeypatch.setenv("PG_MAX_PARALLEL_WORKERS_PER_GATHER", "2")

    database = project_settings._database(f"{POSTGRES}?options=-c%20statement_timeout%3D5000")

    assert database["OPTIONS"]["options"] == "-c statement_timeout=5000 -c max_parallel_workers_per_gather=2"


def test_an_empty_parallel_setting_leaves_the_servers(monkeypatch):
    monkeypatch.setenv("PG_MAX_PARALLEL_WORKERS_PER_GATHER", "")

    assert "options" not in project_settings._database(POSTGRES).get("OPTIONS", {})


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_the_api_connection_runs_without_parallel_workers():
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"
