"""Reads of safe requests go to the replicas; writes, and every read of a request that
writes or of a process outside a request, go to the primary.

The replicas here are extra connections to the test database itself (Django's TEST MIRROR),
so each query's connection tells which alias served it.
"""

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.utils import CaptureQueriesContext

from events.models import Place
from eventsapi import settings as project_settings
from eventsapi.db_router import PrimaryReplicaRouter, primary_pinning_scope
from tests.conftest import TEST_REPLICAS

on_the_replicas = pytest.mark.django_db(transaction=True, databases=["default", *TEST_REPLICAS])


@pytest.fixture
def replicas(settings):
    """The router reads from the two replica aliases that mirror the test database."""
    settings.DATABASE_REPLICAS = TEST_REPLICAS
    return TEST_REPLICAS


class QueriesPerAlias:
    """The SQL each alias ran inside the block."""

    def __init__(self, *aliases: str):
        self.captures = {alias: CaptureQueriesContext(connections[alias]) for alias in aliases or connections}

    def __enter__(self):
        for capture in self.captures.values():
            capture.__enter__()
        return self

    def __exit__(self, *exc):
        for capture in self.captures.values():
            capture.__exit__(*exc)

    def count(self, *aliases: str) -> int:
        return sum(len(self.captures[alias]) for alias in aliases)


@on_the_replicas
def test_a_read_outside_any_request_goes_to_the_primary(replicas):
    with QueriesPerAlias() as queries:
        Place.objects.count()

    assert queries.count(DEFAULT_DB_ALIAS) == 1
    assert queries.count(*replicas) == 0


@on_the_replicas
def test_a_read_in_a_safe_request_before_any_write_goes_to_a_replica(replicas):
    with primary_pinning_scope(pinned=False), QueriesPerAlias() as queries:
        Place.objects.count()

    assert queries.count(*replicas) == 1
    assert queries.count(DEFAULT_DB_ALIAS) == 0


@on_the_replicas
def test_reads_are_spread_over_every_replica(replicas):
    with primary_pinning_scope(pinned=False), QueriesPerAlias() as queries:
        for _ in range(40):
            Place.objects.count()

    assert all(queries.count(alias) > 0 for alias in replicas)
    assert queries.count(DEFAULT_DB_ALIAS) == 0


@on_the_replicas
def test_a_get_request_is_served_by_the_replicas(replicas, client):
    with QueriesPerAlias() as queries:
        response = client.get("/api/v1/events/")

    assert response.status_code == 200
    assert queries.count(*replicas) > 0
    assert queries.count(DEFAULT_DB_ALIAS) == 0


@on_the_replicas
def test_an_unsafe_request_reads_and_writes_only_on_the_primary(replicas, editor_client):
    with QueriesPerAlias() as queries:
        response = editor_client.post("/api/v1/places/", {"name": "Kabul", "kind": "locality"})

    assert response.status_code == 201
    assert queries.count(*replicas) == 0
    primary_sql = [query["sql"] for query in queries.captures[DEFAULT_DB_ALIAS]]
    assert any(sql.startswith("SELECT") for sql in primary_sql)
    assert any(sql.startswith("INSERT") for sql in primary_sql)


@on_the_replicas
def test_reads_after_a_write_in_the_same_request_go_to_the_primary(replicas):
    with primary_pinning_scope(pinned=False):
        with QueriesPerAlias() as before_the_write:
            Place.objects.count()
        Place.objects.create(name="Bazarak", kind="locality")
        with QueriesPerAlias() as after_the_write:
            Place.objects.count()

    assert before_the_write.count(*replicas) == 1
    assert after_the_write.count(DEFAULT_DB_ALIAS) == 1
    assert after_the_write.count(*replicas) == 0


@on_the_replicas
def test_the_next_request_reads_from_the_replicas_again(replicas, client):
    with primary_pinning_scope(pinned=False):
        Place.objects.create(name="Bazarak", kind="locality")
    with QueriesPerAlias() as queries:
        client.get("/api/v1/places/")

    assert queries.count(DEFAULT_DB_ALIAS) == 0


@on_the_replicas
def test_a_read_inside_a_transaction_on_the_primary_stays_on_it(replicas):
    with primary_pinning_scope(pinned=False), transaction.atomic(), QueriesPerAlias() as queries:
        Place.objects.count()

    assert queries.count(DEFAULT_DB_ALIAS) == 1


@pytest.mark.django_db
def test_without_replicas_every_read_goes_to_the_primary():
    with primary_pinning_scope(pinned=False), QueriesPerAlias(DEFAULT_DB_ALIAS) as queries:
        Place.objects.count()

    assert queries.count(DEFAULT_DB_ALIAS) == 1


def test_migrations_run_only_on_the_primary():
    router = PrimaryReplicaRouter()

    assert router.allow_migrate(DEFAULT_DB_ALIAS, "events")
    assert not router.allow_migrate("replica_0", "events")


def test_database_replica_urls_become_replica_aliases_mirrored_in_tests(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://app@primary:5432/eventsapi")
    monkeypatch.setenv(
        "DATABASE_REPLICA_URLS", "postgres://app@r1:5432/eventsapi, postgres://app@r2/eventsapi"
    )

    databases = project_settings._databases()

    assert list(databases) == ["default", "replica_0", "replica_1"]
    assert [databases[alias]["HOST"] for alias in databases] == ["primary", "r1", "r2"]
    assert databases["replica_1"]["TEST"] == {"MIRROR": "default"}


def test_a_replica_on_another_engine_is_refused(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://app@primary:5432/eventsapi")
    monkeypatch.setenv("DATABASE_REPLICA_URLS", "sqlite:////tmp/replica.sqlite3")

    with pytest.raises(project_settings.ImproperlyConfigured, match="DATABASE_REPLICA_URLS"):
        project_settings._databases()
