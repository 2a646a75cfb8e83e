import pytest
from claims.filtersets import StatementFilterSet
from claims.models import Statement
from events.models import Event
from events.filtersets import EventFilterSet
from tests.events.test_query_plans import Seed, plan, event_filters, statement_filters

pytestmark = pytest.mark.django_db

def test_dbg():
    seed = Seed()
    for name, params in event_filters(seed).items():
        print("=== event", name); print(plan(EventFilterSet, Event.objects.all(), params))
    for name, params in statement_filters(seed).items():
        print("=== statement", name); print(plan(StatementFilterSet, Statement.objects.all(), params))
