"""On PostgreSQL every documented event and statement filter is served by an index.

The tests seed ten thousand events and statements with bulk_create, ANALYZE them, and
read the plan of each filter's query (the filtered queryset, without ordering or paging,
which could let an index on the sort column stand in for the filter's own). A selective
value of each parameter must not need a sequential scan of the filtered table.
"""

import datetime
import random
import re

import pytest
from django.db import connection

from claims.filtersets import StatementFilterSet
from claims.models import Source, Stance, Statement, StatementEvent
from events.filtersets import EventFilterSet
from events.models import Actor, ActorKind, Event, EventType, Participant, Place, PlaceKind

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="query plans and the GIN search indexes are PostgreSQL's; SQLite has neither",
    ),
]

ROWS = 10000
RARE = 10
LONG_AGO = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
RECENTLY = datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)
SEARCH_INDEXES = ("event_search_idx", "statement_search_idx")
TARGET_POINT = (-41.29, 174.78)  # Wellington: nothing else is seeded near it


class Seed:
    """A few thousand events and statements, each filter's selective value on a few of them."""

    def __init__(self) -> None:
        rng = random.Random(20210906)
        self.common_places = Place.objects.bulk_create(
            Place(
                name=f"Locality {n}",
                kind=PlaceKind.LOCALITY,
                country_code=rng.choice(["AF", "IQ", "SY", "UA", "YE"]),
                latitude=rng.uniform(0, 60),
                longitude=rng.uniform(-20, 120),
            )
            for n in range(3000)
        )
        self.country = Place.objects.create(name="New Zealand", kind=PlaceKind.COUNTRY, country_code="NZ")
        self.region = Place.objects.create(
            name="Wellington Region", kind=PlaceKind.ADMIN1, country_code="NZ", parent=self.country
        )
        self.city = Place.objects.create(
            name="Wellington",
            kind=PlaceKind.LOCALITY,
            country_code="NZ",
            parent=self.region,
            latitude=TARGET_POINT[0],
            longitude=TARGET_POINT[1],
        )
        actors = Actor.objects.bulk_create(
            Actor(name=f"Actor {n}", kind=ActorKind.PERSON) for n in range(300)
        )
        self.actor = actors[0]

        start = datetime.date(2010, 1, 1)
        events = [
            Event(
                title=f"Event {n}",
                summary="An event of the seed.",
                event_type=EventType.BATTLE,
                start_date=start + datetime.timedelta(days=rng.randrange(4000)),
                place=rng.choice(self.common_places),
            )
            for n in range(ROWS)
        ]
        for event in events[:RARE]:
            event.title = "Zebrafish sighting"
            event.event_type = EventType.RIOT
            event.verification_status = "verified"
            event.place = self.city
            event.start_date = datetime.date(2025, 6, 15)
        Event.objects.bulk_create(events)
        self.events = events
        Participant.objects.bulk_create(
            Participant(event=event, actor=rng.choice(actors[1:]), role="initiator") for event in events
        )
        Participant.objects.bulk_create(
            Participant(event=event, actor=self.actor, role="target") for event in events[:RARE]
        )

        sources = Source.objects.bulk_create(
            Source(url=f"https://news.example.org/{n}", kind="article", title=f"Story {n}")
            for n in range(300)
        )
        self.source = sources[0]
        statements = [
            Statement(
                text=f"Statement {n}.",
                language="en",
                speaker=rng.choice(actors[1:]),
                stated_on=start + datetime.timedelta(days=rng.randrange(4000)),
            )
            for n in range(ROWS)
        ]
        for statement in statements[:RARE]:
            statement.text = "A zebrafish was seen."
            statement.language = "ps-AF"
            statement.verification_status = "verified"
            statement.speaker = self.actor
            statement.stated_on = datetime.date(2025, 6, 15)
        Statement.objects.bulk_create(statements)
        self.statements = statements
        StatementEvent.objects.bulk_create(
            StatementEvent(
                statement=statement,
                event=events[index] if index < RARE else rng.choice(events[RARE:]),
                stance=Stance.REFUTES if index < RARE else Stance.NEUTRAL,
            )
            for index, statement in enumerate(statements)
        )
        # Two speakers, one supporting and one refuting: the first events are contested.
        StatementEvent.objects.bulk_create(
            StatementEvent(statement=statements[RARE + index], event=event, stance=Stance.SUPPORTS)
            for index, event in enumerate(events[:RARE])
        )
        Through = Statement.sources.through
        Through.objects.bulk_create(
            Through(statement=statement, source=self.source if index < RARE else rng.choice(sources[1:]))
            for index, statement in enumerate(statements)
        )

        for model in (Event, Statement):
            model.objects.update(updated_at=LONG_AGO)
        Event.objects.filter(pk__in=[event.pk for event in events[:RARE]]).update(updated_at=RECENTLY)
        Statement.objects.filter(pk__in=[s.pk for s in statements[:RARE]]).update(updated_at=RECENTLY)

        with connection.cursor() as cursor:
            # What autovacuum does between the bulk load and the queries; VACUUM itself
            # cannot run inside the test's transaction. Merging the GIN pending lists matters:
            # rolled-back rows of earlier tests otherwise pile up there and the planner
            # prices the search indexes out.
            for index in SEARCH_INDEXES:
                cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
            cursor.execute("ANALYZE")


@pytest.fixture
def seed() -> Seed:
    return Seed()


def plan(filterset_class, queryset, params: dict) -> str:
    filterset = filterset_class(data=params, queryset=queryset)
    assert filterset.is_valid(), filterset.errors
    return filterset.qs.order_by().explain()


def sequential_scans(text: str, table: str) -> bool:
    return re.search(rf"Seq Scan on {table}\b", text) is not None


def assert_served_by_indexes(filterset_class, queryset, filters: dict[str, dict], table: str) -> None:
    # Each value must be selective in the seed, or a sequential scan would be right.
    counts = {
        name: filterset_class(data=params, queryset=queryset).qs.count() for name, params in filters.items()
    }
    assert all(0 < count <= 3 * RARE for count in counts.values()), counts
    plans = {name: plan(filterset_class, queryset, params) for name, params in filters.items()}
    scanned = {name: text for name, text in plans.items() if sequential_scans(text, table)}
    assert not scanned, "\n\n".join(f"{name}:\n{text}" for name, text in scanned.items())


def test_every_event_filter_is_served_by_an_index(seed):
    filters = {
        "date_from and date_to": {"date_from": "2025-06-01", "date_to": "2025-06-30"},
        "date_from": {"date_from": "2025-01-01"},
        "date_to": {"date_to": "2010-01-05"},
        "updated_since": {"updated_since": "2029-01-01T00:00:00Z"},
        "verification_status": {"verification_status": "verified,false"},
        "place": {"place": str(seed.country.pk)},
        "country": {"country": "NZ"},
        "bbox": {"bbox": "174,-42,175,-41"},
        "near": {"near": "%s,%s" % TARGET_POINT, "radius_km": "25"},
        "actor": {"actor": str(seed.actor.pk)},
        "event_type": {"event_type": "riot"},
        "contested": {"contested": "true"},
        "q": {"q": "zebrafish"},
    }

    assert_served_by_indexes(EventFilterSet, Event.objects.all(), filters, "events_event")
    assert "event_search_idx" in plan(EventFilterSet, Event.objects.all(), filters["q"])


def test_every_statement_filter_is_served_by_an_index(seed):
    filters = {
        "date_from and date_to": {"date_from": "2025-06-01", "date_to": "2025-06-30"},
        "updated_since": {"updated_since": "2029-01-01T00:00:00Z"},
        "verification_status": {"verification_status": "verified"},
        "place": {"place": str(seed.region.pk)},
        "country": {"country": "NZ"},
        "speaker": {"speaker": str(seed.actor.pk)},
        "event": {"event": str(seed.events[0].pk)},
        "event and stance": {"event": str(seed.events[0].pk), "stance": "refutes"},
        "source": {"source": str(seed.source.pk)},
        "language": {"language": "ps"},
        "q": {"q": "zebrafish"},
    }

    assert_served_by_indexes(StatementFilterSet, Statement.objects.all(), filters, "claims_statement")
    assert "statement_search_idx" in plan(StatementFilterSet, Statement.objects.all(), filters["q"])
    assert "statement_language_idx" in plan(StatementFilterSet, Statement.objects.all(), filters["language"])
