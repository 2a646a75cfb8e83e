"""``manage.py seed_synthetic``: reproducible synthetic data the API serves."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from claims.models import Review, Source, Statement, StatementEvent
from events.models import Actor, Event, Participant, Place, PlaceKind
from eventsapi.choices import VerificationStatus
from matching.models import ActorNameWord, StatementKeys

pytestmark = pytest.mark.django_db

EVENTS = 50


def seed(**options) -> None:
    call_command("seed_synthetic", events=EVENTS, verbosity=0, **options)


def fingerprint() -> dict:
    return {
        "places": list(Place.all_objects.order_by("id").values_list("id", "name", "parent_id", "latitude")),
        "actors": list(Actor.all_objects.order_by("id").values_list("id", "name", "aliases")),
        "events": list(
            Event.all_objects.order_by("id").values_list(
                "id", "title", "start_date", "place_id", "created_at"
            )
        ),
        "statements": list(Statement.all_objects.order_by("id").values_list("id", "text", "speaker_id")),
        "stances": sorted(StatementEvent.objects.values_list("statement_id", "event_id", "stance")),
        "reviews": list(Review.objects.order_by("id").values_list("id", "verdict", "rationale")),
    }


def seeded_fingerprint(**options) -> dict:
    """Seed inside a transaction that is rolled back, and describe what was there."""
    with transaction.atomic():
        seed(**options)
        described = fingerprint()
        transaction.set_rollback(True)
    return described


def test_seeding_fills_every_table_at_the_asked_size():
    seed()

    assert Event.objects.count() == EVENTS
    assert Place.objects.filter(kind=PlaceKind.COUNTRY).count() >= 5
    assert Place.objects.filter(kind=PlaceKind.LOCALITY, latitude__isnull=False).exists()
    assert any(aliases for aliases in Actor.objects.values_list("aliases", flat=True))
    assert Participant.objects.count() >= EVENTS
    assert Source.objects.exists()
    assert 2 * EVENTS <= Statement.objects.count() <= 4 * EVENTS
    # Bulk rows bypass the saves that keep the matching index: the seed builds it.
    assert StatementKeys.objects.count() == Statement.all_objects.count()
    assert ActorNameWord.objects.exists()


def test_the_actor_count_scales_with_the_events_unless_given():
    assert len(seeded_fingerprint()["actors"]) == 30
    assert len(seeded_fingerprint(actors=120)["actors"]) == 120


def test_too_few_actors_are_refused():
    with pytest.raises(CommandError, match="--actors"):
        seed(actors=3)


def test_reviews_cover_every_verdict_and_set_the_subjects_status():
    seed()

    assert set(Review.objects.values_list("verdict", flat=True)) == set(VerificationStatus.values)
    assert not Review.objects.exclude(verdict=VerificationStatus.IN_REVIEW).filter(rationale="").exists()
    for review in Review.objects.filter(event__isnull=False).select_related("event"):
        latest = Review.objects.filter(event=review.event).order_by("-created_at").first()
        assert review.event.verification_status == latest.verdict


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    first = seeded_fingerprint(seed=7)
    again = seeded_fingerprint(seed=7)
    other = seeded_fingerprint(seed=8)

    assert first == again
    assert first["events"] != other["events"]


def test_seeding_a_database_that_has_events_is_refused():
    seed()

    with pytest.raises(CommandError, match="already has"):
        seed()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="index rebuilding is the PostgreSQL load path")
def test_the_index_rebuilding_load_gives_the_same_data_and_keeps_every_index():
    def indexes() -> list:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = 'events_event'::regclass "
                "ORDER BY 1"
            )
            return cursor.fetchall()

    before = indexes()

    rebuilt = seeded_fingerprint(seed=7, rebuild_indexes="yes")

    assert rebuilt == seeded_fingerprint(seed=7, rebuild_indexes="no")
    assert indexes() == before


def test_the_api_serves_the_seeded_data(api_client):
    seed()

    events = api_client.get("/api/v1/events/", {"page_size": 100})
    contested = api_client.get("/api/v1/events/", {"contested": "true"})
    statements = api_client.get("/api/v1/statements/", {"page_size": 100})

    assert events.status_code == 200
    assert len(events.json()["results"]) == EVENTS
    assert contested.status_code == 200
    assert contested.json()["results"]
    assert statements.status_code == 200
    assert statements.json()["results"]
