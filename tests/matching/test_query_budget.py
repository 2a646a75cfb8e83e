"""A matching query past EVENTSAPI_MATCH_QUERY_MS is cancelled on PostgreSQL, not waited for."""

import pytest
from django.db import connection
from django.test import override_settings

from events.models import Actor
from matching.selectors import _within_budget

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="statement_timeout is PostgreSQL's"),
]


def _slow():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(0.5)")
    return ["finished"]


@override_settings(EVENTSAPI_MATCH_QUERY_MS=50)
def test_a_slow_query_gives_the_default_and_the_connection_stays_usable():
    assert _within_budget("default", _slow, []) == []
    assert Actor.objects.count() == 0  # the transaction was not left aborted


@override_settings(EVENTSAPI_MATCH_QUERY_MS=5000)
def test_a_query_within_budget_answers():
    assert _within_budget("default", _slow, []) == ["finished"]
