"""On PostgreSQL, the list queries the API really runs over ``seed_synthetic`` data use indexes.

tests/events/test_query_plans.py checks each filter's own condition on a seed built so each
value is rare. Here the data is the benchmark's (realistic spreads: a country holds an eighth
of the events, most are unverified), the values are drawn from it as bench/run.py draws
them, and the query checked is the one the API sends for a page: captured from a real
request, filters, ordering, keyset and LIMIT included. None may read the whole table.
"""

import datetime
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Source, Statement
from events.models import Actor, Event, Place, PlaceKind

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans are PostgreSQL's"),
]

EVENTS = 20_000
# As many as a million events have per 400 of them: each actor's share is what it is at scale.
ACTORS = 2000


@pytest.fixture(scope="module")
def synthetic(django_db_setup, django_db_blocker):
    """The seeded database, shared by this module's tests and emptied after them."""
    with django_db_blocker.unblock():
        call_command("seed_synthetic", events=EVENTS, actors=ACTORS, seed=7, verbosity=0)
        yield
        call_command("flush", interactive=False, verbosity=0)


def page_queries(client, path: str, params: dict) -> list[str]:
    """The SQL of each query the list request sends to the primary table."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, {"page_size": 100, **params})
    assert response.status_code == 200, response.content[:500]
    assert response.json()["results"], f"{params} selects nothing: not a useful plan to check"
    return [query["sql"] for query in captured.captured_queries]


def scans(sql: str, table: str) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return plan if re.search(rf"Seq Scan on {table}\b", plan) else None


def assert_no_table_scans(client, path: str, table: str, cases: dict[str, dict]) -> None:
    scanned = {}
    for name, params in cases.items():
        for sql in page_queries(client, path, params):
            if f'FROM "{table}"' in sql and (plan := scans(sql, table)):
                scanned[name] = f"{sql}\n{plan}"
    assert not scanned, "\n\n".join(f"{name}:\n{text}" for name, text in scanned.items())


@pytest.mark.usefixtures("synthetic")
def test_event_list_pages_use_indexes_for_every_filter(api_client):
    country = Place.objects.filter(kind=PlaceKind.COUNTRY).order_by("name").first()
    region = Place.objects.filter(kind=PlaceKind.ADMIN1).order_by("name").first()
    locality = Place.objects.filter(kind=PlaceKind.LOCALITY).order_by("name").first()
    district = Place.objects.filter(kind=PlaceKind.ADMIN2).order_by("name").first()
    latest = Event.objects.order_by("-start_date").values_list("start_date", flat=True).first()
    month = latest.replace(day=1) - datetime.timedelta(days=180)
    actor = Actor.objects.filter(participations__isnull=False).order_by("name").first()
    lat, lon = locality.latitude, locality.longitude

    assert_no_table_scans(
        api_client,
        "/api/v1/events/",
        "events_event",
        {
            "none": {},
            "date range": {"date_from": month, "date_to": month + datetime.timedelta(days=30)},
            "updated_since": {"updated_since": f"{latest}T00:00:00Z"},
            "country + verification_status": {
                "country": country.country_code,
                "verification_status": "verified",
            },
            "place (a province, with its districts and localities)": {"place": region.pk},
            "place (a district)": {"place": district.pk},
            "bbox": {"bbox": f"{lon - 0.2},{lat - 0.2},{lon + 0.2},{lat + 0.2}"},
            "near": {"near": f"{lat},{lon}", "radius_km": 25},
            "actor": {"actor": actor.pk},
            "event_type": {"event_type": "riot"},
            "contested": {"contested": "true"},
            "q": {"q": locality.name},
            "all combined": {
                "country": country.country_code,
                "verification_status": "unverified",
                "date_from": month - datetime.timedelta(days=365),
                "event_type": "battle,protest",
                "contested": "false",
            },
            "ordering by title": {"ordering": "title", "event_type": "battle"},
        },
    )


def page_plan(client, path: str, params: dict, table: str) -> str:
    (sql,) = [
        sql for sql in page_queries(client, path, params) if f'FROM "{table}"' in sql and "LIMIT" in sql
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.usefixtures("synthetic")
@pytest.mark.parametrize(
    ("path", "table", "ordering"),
    [
        ("/api/v1/events/", "events_event", "event_type"),
        ("/api/v1/events/", "events_event", "-event_type"),
        ("/api/v1/events/", "events_event", "title"),
        ("/api/v1/sources/", "claims_source", "kind"),
        ("/api/v1/sources/", "claims_source", "-kind"),
        ("/api/v1/sources/", "claims_source", "title"),
    ],
)
def test_orderings_on_few_valued_or_text_fields_read_an_index_in_page_order(
    api_client, path, table, ordering
):
    # A kind shared by a third of the rows, sorted by id after the index gave it: a million
    # events took 0.6 s. An index on (field, id) in the ordering's directions needs no sort.
    plan = page_plan(api_client, path, {"ordering": ordering}, table)

    assert "Sort Key" not in plan, plan


@pytest.mark.usefixtures("synthetic")
def test_date_from_on_an_ascending_walk_is_checked_in_the_index(api_client):
    # The effective dates sit in the start_date index: rows that end before date_from are
    # passed over in the index, not fetched one by one (3.5 s at a million events).
    latest = Event.objects.order_by("-start_date").values_list("start_date", flat=True).first()
    params = {"ordering": "start_date", "date_from": latest - datetime.timedelta(days=60)}

    plan = page_plan(api_client, "/api/v1/events/", params, "events_event")

    assert re.search(r"Index Cond: \(effective_end_date >=", plan), plan


@pytest.mark.usefixtures("synthetic")
def test_an_early_date_to_starts_the_page_walk_at_that_date_not_at_the_newest_event(api_client):
    # date_to bounds start_date as well as the effective start: without it PostgreSQL walked
    # the start_date index from the newest event past most of the table (3 s at 1M events).
    earliest = Event.objects.order_by("start_date").values_list("start_date", flat=True).first()
    params = {"date_to": earliest.replace(month=3, day=1)}

    plan = page_plan(api_client, "/api/v1/events/", params, "events_event")

    assert re.search(r"Index Cond: \(.*start_date <= '\d{4}-12-31'", plan), plan


@pytest.mark.usefixtures("synthetic")
def test_statement_list_pages_use_indexes_for_every_filter(api_client):
    event = Event.objects.filter(statement_links__stance="refutes").order_by("-start_date").first()
    statement = Statement.objects.filter(sources__isnull=False).order_by("-stated_on").first()
    source = Source.objects.filter(statements=statement).first()
    latest = statement.stated_on
    region = Place.objects.filter(kind=PlaceKind.ADMIN1).order_by("name").first()

    assert_no_table_scans(
        api_client,
        "/api/v1/statements/",
        "claims_statement",
        {
            "none": {},
            "event": {"event": event.pk},
            "event + stance": {"event": event.pk, "stance": "refutes"},
            "speaker": {"speaker": statement.speaker_id},
            "source": {"source": source.pk},
            "date range": {"date_from": latest - datetime.timedelta(days=30), "date_to": latest},
            "verification_status": {"verification_status": "false"},
            "place": {"place": region.pk},
            "language": {"language": "ps"},
            "q": {"q": "shelling"},
        },
    )


@pytest.mark.usefixtures("synthetic")
@pytest.mark.parametrize(
    ("path", "table", "params", "index"),
    [
        ("/api/v1/events/", "events_event", {"contested": "true"}, "event_contested_order_idx"),
        ("/api/v1/events/", "events_event", {"verification_status": "false"}, "event_verdict_order_idx"),
        (
            "/api/v1/statements/",
            "claims_statement",
            {"verification_status": "false"},
            "statement_verdict_order_idx",
        ),
    ],
)
def test_summary_and_verdict_filters_read_their_page_from_an_index_in_page_order(
    api_client, path, table, params, index
):
    # The stored claim summary and the verdict sit in indexes in the default order: a page of
    # contested events, or of a rare verdict, is read there, with no per-row subquery or sort.
    plan = page_plan(api_client, path, params, table)

    assert index in plan, plan
    assert "Sort Key" not in plan, plan
    assert "SubPlan" not in plan, plan


@pytest.mark.usefixtures("synthetic")
@pytest.mark.parametrize(
    ("path", "table", "index"),
    [
        ("/api/v1/events/", "events_event", "event_page_order_idx"),
        ("/api/v1/statements/", "claims_statement", "statement_page_order_idx"),
    ],
)
def test_the_first_page_is_read_in_its_order_with_no_sort(api_client, path, table, index):
    # With the date alone in the index, a page sorted every row of its newest day by id: 1,400
    # events a day at five million events, so the first page grew with the data.
    plan = page_plan(api_client, path, {}, table)

    assert index in plan, plan
    assert "Sort Key" not in plan, plan
