"""The benchmark's floor (bench/baseline_app.py) serves the API's first page byte for byte.

Otherwise the comparison in bench/RESULTS.md would measure different work.
"""

import pytest
from django.core.management import call_command
from django.db import connection

from bench import baseline_app

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the floor is hand-written PostgreSQL SQL"),
]


@pytest.fixture
def floor_on_test_database(monkeypatch):
    """The floor's queries on the test's own connection, so they see its uncommitted rows."""
    connection.ensure_connection()
    monkeypatch.setattr(baseline_app, "_database", lambda: connection.connection)


@pytest.mark.parametrize("events", [30, 150])
def test_the_floor_serves_the_same_first_page_as_the_api(floor_on_test_database, api_client, events):
    call_command("seed_synthetic", events=events, seed=5, verbosity=0)

    api = api_client.get("/api/v1/events/", {"page_size": 100})
    floor = baseline_app.first_page("http://testserver")

    assert api.status_code == 200
    assert floor == api.content
