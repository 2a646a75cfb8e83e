"""The change feed: every committed version of every resource, once, in seq order."""

import pytest
from django.contrib.auth.models import User
from django.db import transaction

from changes.models import Change
from claims.services import review_create
from events.services import actor_merge
from tests.api_cases import assert_problem, assert_validation_error
from tests.changes.processes import FeedReader, environment, finish, start_script, suite_database_url
from tests.factories import ActorFactory, EventFactory, PlaceFactory, SourceFactory, StatementFactory

FEED = "/api/v1/changes/"


def feed(client, **params) -> dict:
    response = client.get(FEED, params)
    assert response.status_code == 200, response.content
    return response.json()


def entries(client, **params) -> list[tuple]:
    return [
        (entry["resource"], entry["id"], entry["action"], entry["version"])
        for entry in feed(client, **params)["results"]
    ]


@pytest.mark.django_db
def test_every_kind_of_change_is_listed_once_in_seq_order_with_its_action(api_client):
    place = PlaceFactory()
    place.name = "Bazarak"
    place.save()
    place.tombstone()
    place.restore()
    event = EventFactory(place=place)
    review_create(
        subject=event,
        verdict="false",
        rationale="No such battle.",
        evidence=[],
        reviewer=User.objects.create(),
    )
    merged, into = ActorFactory(), ActorFactory()
    actor_merge(merged=merged, into=into)

    body = feed(api_client)

    seqs = [entry["seq"] for entry in body["results"]]
    assert seqs == sorted(seqs)
    assert len(set(seqs)) == len(seqs)
    listed = [(e["resource"], e["id"], e["action"], e["version"]) for e in body["results"]]
    assert listed == [
        ("places", str(place.pk), "created", 1),
        ("places", str(place.pk), "updated", 2),
        ("places", str(place.pk), "deleted", 3),
        ("places", str(place.pk), "restored", 4),
        ("events", str(event.pk), "created", 1),
        ("events", str(event.pk), "reviewed", 2),
        ("actors", str(merged.pk), "created", 1),
        ("actors", str(into.pk), "created", 1),
        ("actors", str(into.pk), "updated", 2),
        ("actors", str(merged.pk), "merged", 2),
    ]
    assert body["last_seq"] == seqs[-1]
    assert body["next"] is None
    assert set(body["results"][0]) == {"seq", "resource", "id", "action", "version", "changed_at"}


@pytest.mark.django_db
def test_writes_through_the_api_enter_the_feed_with_their_resource_name(editor_client, api_client):
    created = {
        "places": editor_client.post("/api/v1/places/", {"name": "Kabul", "kind": "locality"}),
        "actors": editor_client.post("/api/v1/actors/", {"name": "NRF", "kind": "organization"}),
        "sources": editor_client.post(
            "/api/v1/sources/", {"url": "https://news.example.org/a", "kind": "article"}
        ),
    }
    statement = StatementFactory()
    editor_client.delete(f"/api/v1/places/{created['places'].json()['id']}/")

    assert entries(api_client, resource="places,actors,sources") == [
        ("places", created["places"].json()["id"], "created", 1),
        ("actors", created["actors"].json()["id"], "created", 1),
        ("sources", created["sources"].json()["id"], "created", 1),
        ("actors", str(statement.speaker_id), "created", 1),
        ("places", created["places"].json()["id"], "deleted", 2),
    ]
    assert ("statements", str(statement.pk), "created", 1) in entries(api_client, resource="statements")


@pytest.mark.django_db
def test_polling_with_after_and_limit_pages_through_the_feed_without_gaps(api_client):
    places = PlaceFactory.create_batch(5)

    first = feed(api_client, limit=2)
    second = api_client.get(first["next"]).json()
    rest = feed(api_client, after=second["last_seq"], limit=2)
    last = feed(api_client, after=rest["last_seq"], limit=2)

    ids = [entry["id"] for page in (first, second, rest, last) for entry in page["results"]]
    assert ids == [str(place.pk) for place in places]
    assert first["next"].endswith(f"after={first['last_seq']}&limit=2") or "after=" in first["next"]
    assert last["next"] is None
    assert feed(api_client, after=last["last_seq"]) == {
        "results": [],
        "last_seq": last["last_seq"],
        "next": None,
    }


@pytest.mark.django_db
def test_filters_take_comma_separated_resources_and_actions(api_client):
    place = PlaceFactory()
    place.tombstone()
    source = SourceFactory()
    source.tombstone()
    EventFactory(place=PlaceFactory())

    assert entries(api_client, resource="places,sources", action="deleted") == [
        ("places", str(place.pk), "deleted", 2),
        ("sources", str(source.pk), "deleted", 2),
    ]


@pytest.mark.django_db
def test_a_filtered_poll_resumes_after_entries_it_filtered_out(api_client):
    PlaceFactory.create_batch(3)

    body = feed(api_client, resource="events")

    assert body["results"] == []
    assert body["last_seq"] == Change.objects.order_by("seq").last().seq
    event = EventFactory(place=None)
    assert entries(api_client, resource="events", after=body["last_seq"]) == [
        ("events", str(event.pk), "created", 1)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("after", "-1"),
        ("after", "seven"),
        ("limit", "0"),
        ("limit", "501"),
        ("limit", "many"),
        ("after", str(2**63)),
        ("resource", "places,people"),
        ("resource", "places,"),
        ("action", ","),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(api_client, param, value):
    response = api_client.get(FEED, {param: value})

    assert_validation_error(response, param)


@pytest.mark.django_db
@pytest.mark.parametrize("param", ["after", "limit", "resource", "action"])
def test_an_empty_parameter_is_taken_as_absent(api_client, param):
    response = api_client.get(FEED, {param: ""})

    assert response.status_code == 200


@pytest.mark.django_db
def test_the_feed_is_public_unless_public_read_is_off(api_client, settings):
    assert api_client.get(FEED).status_code == 200
    settings.EVENTSAPI_PUBLIC_READ = False

    assert_problem(api_client.get(FEED), 401)


@pytest.mark.django_db
def test_the_feed_cannot_be_written(editor_client):
    assert_problem(editor_client.post(FEED, {}), 405)


@pytest.mark.django_db
def test_a_feed_page_costs_two_queries_however_many_entries_it_holds(api_client, django_assert_num_queries):
    PlaceFactory.create_batch(2)
    with django_assert_num_queries(2):
        assert len(feed(api_client)["results"]) == 2

    PlaceFactory.create_batch(40)
    with django_assert_num_queries(2):
        assert len(feed(api_client)["results"]) == 42


@pytest.mark.django_db
def test_a_rolled_back_write_leaves_no_entry_and_no_gap(api_client):
    PlaceFactory()
    with transaction.atomic():
        savepoint = transaction.savepoint()
        PlaceFactory()
        transaction.savepoint_rollback(savepoint)
    PlaceFactory()

    assert [entry["seq"] for entry in feed(api_client)["results"]] == [1, 2]


HOLD_A_TRANSACTION_OPEN = """
import sys
from django.db import transaction
from events.models import Place
with transaction.atomic():
    place = Place.objects.create(name="Bazarak", kind="locality")
    print(place.pk, flush=True)
    sys.stdin.readline()
"""


@pytest.mark.django_db(transaction=True)
def test_an_entry_appears_only_once_its_transaction_has_committed(tmp_path):
    """A writer process holds its transaction open while a reader process reads the feed."""
    env = environment(suite_database_url(tmp_path), tmp_path)
    reader = FeedReader(env)
    writer = start_script(HOLD_A_TRANSACTION_OPEN, env)
    try:
        place_id = writer.stdout.readline().strip()
        during = reader.read()
    finally:
        writer.stdin.write("commit\n")
        writer.stdin.flush()
        finish(writer)
    after = reader.read()
    reader.close()

    assert place_id
    assert during["results"] == []
    assert [(entry["id"], entry["action"]) for entry in after["results"]] == [(place_id, "created")]


@pytest.mark.django_db
def test_batched_writes_enter_the_feed_together_when_the_block_ends():
    from changes.services import changes_batched

    with transaction.atomic(), changes_batched() as batch:
        first = ActorFactory()
        assert not Change.objects.filter(object_id=first.pk).exists()
        mark = batch.mark()
        dropped = ActorFactory()
        batch.rollback_to(mark)  # as after a savepoint rolled back
        second = ActorFactory()
    written = list(Change.objects.order_by("seq").values_list("object_id", "action"))
    assert written[-2:] == [(first.pk, "created"), (second.pk, "created")]
    assert not Change.objects.filter(object_id=dropped.pk).exists()


@pytest.mark.django_db
def test_a_batch_that_fails_writes_no_entries():
    from changes.services import changes_batched

    def failing_bundle():
        with changes_batched():
            ActorFactory()
            raise RuntimeError("the bundle failed")

    before = Change.objects.count()
    with pytest.raises(RuntimeError):
        failing_bundle()
    assert Change.objects.count() == before
