"""POST /api/v1/bundles/: ordered operations, all or nothing, local ids and natural keys."""

import uuid

import pytest
from django.contrib.auth.models import Group
from django.test import override_settings
from knox.models import AuthToken
from rest_framework.test import APIClient

from changes.models import Change
from claims.models import Review, Source, Statement
from events.models import Actor, Event, Place
from eventsapi.api.permissions import VERIFIERS_GROUP
from tests.api_cases import assert_problem
from tests.factories import (
    ActorFactory,
    EventFactory,
    OrganizationFactory,
    PlaceFactory,
    SourceFactory,
    StanceFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db

BUNDLES = "/api/v1/bundles/"


@pytest.fixture
def desk(editor) -> APIClient:
    """An editor who is also a verifier: writes and reviews in one bundle."""
    editor.groups.add(Group.objects.get_or_create(name=VERIFIERS_GROUP)[0])
    client = APIClient()
    client.force_authenticate(editor)
    return client


def post(client, *operations, **extra):
    return client.post(BUNDLES, {"operations": list(operations), **extra}, format="json")


def story() -> list[dict]:
    """A small story: a group, its spokesman, an article, a clash and his claim about it."""
    return [
        {
            "op": "upsert",
            "resource": "actors",
            "lid": "front",
            "match": {"external_id": "wikidata:Q900001"},
            "data": {"name": "Ridge Front", "kind": "organization"},
        },
        {
            "op": "upsert",
            "resource": "actors",
            "lid": "spokesman",
            "match": {"name": "Omar Haidari", "kind": "person"},
            "data": {"affiliations": [{"organization": {"lid": "front"}, "role": "spokesperson"}]},
        },
        {
            "op": "upsert",
            "resource": "places",
            "lid": "valley",
            "match": {"name": "Stone Valley", "kind": "feature"},
            "data": {"country_code": "AF"},
        },
        {
            "op": "upsert",
            "resource": "sources",
            "lid": "article",
            "match": {"url": "https://news.example.org/ridge?utm_source=feed"},
            "data": {"kind": "article", "title": "Clashes on the ridge", "language": "en"},
        },
        {
            "op": "upsert",
            "resource": "events",
            "lid": "clash",
            "match": {"external_id": "desk:ridge-clash"},
            "data": {
                "title": "Clash on the ridge",
                "event_type": "battle",
                "start_date": "2021-09-05",
                "place": {"lid": "valley"},
                "participants": [{"actor": {"lid": "front"}, "role": "initiator"}],
            },
        },
        {
            "op": "upsert",
            "resource": "statements",
            "lid": "claim",
            "match": {
                "speaker": {"lid": "spokesman"},
                "text": "We hold the ridge.",
                "stated_on": "2021-09-05",
            },
            "data": {
                "language": "en",
                "is_direct_quote": True,
                "sources": [{"lid": "article"}],
                "about": [{"event": {"lid": "clash"}, "stance": "supports"}],
            },
        },
        {
            "op": "review",
            "resource": "statements",
            "ref": {"lid": "claim"},
            "data": {
                "verdict": "unverifiable",
                "rationale": "No independent footage.",
                "evidence": [{"lid": "article"}],
            },
        },
    ]


def counts() -> dict:
    models = (Place, Actor, Event, Source, Statement, Review)
    return {
        **{model.__name__: model.all_objects.count() for model in models if hasattr(model, "all_objects")},
        "Review": Review.objects.count(),
        "history": sum(model.history.count() for model in models if hasattr(model, "history")),
        "changes": Change.objects.count(),
    }


# -- a whole story ------------------------------------------------------------------------------


def test_a_story_is_written_in_one_request_with_local_references(desk):
    response = post(desk, *story())

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["dry_run"] is False
    results = body["results"]
    assert [result["index"] for result in results] == list(range(7))
    assert [result["status"] for result in results] == ["created"] * 6 + ["reviewed"]
    assert set(results[0]) == {"index", "op", "resource", "lid", "id", "url", "status", "version"}
    by_lid = {result["lid"]: result for result in results if result["op"] != "review"}
    statement = Statement.objects.get(pk=by_lid["claim"]["id"])
    assert statement.speaker_id == uuid.UUID(by_lid["spokesman"]["id"])
    assert [source.url for source in statement.sources.all()] == ["https://news.example.org/ridge"]
    assert statement.verification_status == "unverifiable"
    assert results[6]["version"] == 2
    assert results[6]["id"] == by_lid["claim"]["id"]
    spokesman = Actor.objects.get(pk=by_lid["spokesman"]["id"])
    assert spokesman.affiliations.get().organization_id == uuid.UUID(by_lid["front"]["id"])
    clash = Event.objects.get(pk=by_lid["clash"]["id"])
    assert clash.external_ids == {"desk": "ridge-clash"}
    assert (clash.statement_count, clash.supporting_count) == (1, 1)
    # Each result's url is the record's address in the API.
    assert desk.get(by_lid["article"]["url"]).json()["url"] == "https://news.example.org/ridge"


def test_every_operation_leaves_history_and_a_change_feed_entry(desk):
    before = Change.objects.count()
    results = post(desk, *story()).json()["results"]

    created = [result for result in results if result["status"] == "created"]
    # Six creates, then the review's new version of the statement.
    assert Change.objects.count() - before == len(created) + 1
    statement = Statement.objects.get(pk=results[5]["id"])
    assert [record.version for record in statement.history.order_by("history_date")] == [1, 2]
    assert statement.history.latest("history_date").history_user.username == "editor"


def test_the_feed_entries_are_numbered_in_operation_order_by_one_counter_update(desk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    post(desk, *story())  # the counter row exists from here on
    source = SourceFactory(url="https://news.example.org/same", title="Same")
    before = Change.objects.order_by("-seq").values_list("seq", flat=True).first()
    operations = [
        {"op": "create", "resource": "actors", "lid": "a", "data": {"name": "First", "kind": "person"}},
        # A matched upsert between two writes: its rolled-back save leaves no entry, no gap.
        {"op": "upsert", "resource": "sources", "match": {"url": source.url}, "data": {"title": "Same"}},
        {"op": "create", "resource": "actors", "lid": "b", "data": {"name": "Third", "kind": "person"}},
        {"op": "create", "resource": "places", "lid": "p", "data": {"name": "Ridge", "kind": "locality"}},
    ]
    with CaptureQueriesContext(connection) as queries:
        results = post(desk, *operations).json()["results"]
    counter_updates = [q for q in queries if q["sql"].startswith('UPDATE "changes_feedcounter"')]
    assert len(counter_updates) <= 2  # the first number, then the rest of the range

    entries = list(Change.objects.filter(seq__gt=before).order_by("seq").values_list("seq", "object_id"))
    written = [uuid.UUID(result["id"]) for result in results if result["status"] != "matched"]
    assert [object_id for _, object_id in entries] == written
    assert [seq for seq, _ in entries] == list(range(before + 1, before + 1 + len(written)))


def test_each_result_gives_the_version_its_operation_left(desk):
    models = {"actors": Actor, "places": Place, "sources": Source, "events": Event, "statements": Statement}
    first = post(desk, *story()).json()["results"]
    edits = [
        {"op": "update", "resource": "events", "id": first[4]["id"], "data": {"summary": "Heavy fighting."}},
        {
            "op": "upsert",
            "resource": "places",
            "match": {"name": "Stone Valley", "kind": "feature"},
            "data": {"country_code": "PK"},
        },
        {
            "op": "review",
            "resource": "statements",
            "ref": {"id": first[5]["id"]},
            "data": {"verdict": "false", "rationale": "Footage shows the ridge lost."},
        },
        {"op": "delete", "resource": "places", "id": str(PlaceFactory().pk)},
    ]
    results = post(desk, *edits).json()["results"]
    assert [result["status"] for result in results] == ["updated", "updated", "reviewed", "deleted"]
    for result in results:
        stored = models[result["resource"]].all_objects.get(pk=result["id"])
        assert result["version"] == stored.version, result


def test_posting_the_story_again_matches_everything_and_writes_nothing(desk):
    first = post(desk, *story()).json()["results"]
    before = counts()

    again = post(desk, *story())

    assert again.status_code == 200, again.content
    results = again.json()["results"]
    assert [result["status"] for result in results] == ["matched"] * 7
    latest = {result["id"]: result["version"] for result in first}  # the review made version 2
    assert [(r["id"], r["version"]) for r in results] == [(r["id"], latest[r["id"]]) for r in first]
    assert counts() == before


def test_a_failure_rolls_back_every_earlier_operation(desk):
    operations = story()
    operations[5]["data"]["about"][0]["event"] = str(uuid.uuid4())
    before = counts()

    response = post(desk, *operations)

    body = assert_problem(response, 400)
    assert body["errors"][0]["field"] == "operations[5].data.about[0].event"
    assert body["operation"] == {"index": 5, "op": "upsert", "resource": "statements", "lid": "claim"}
    assert "Operation 5" in body["detail"]
    assert '"claim"' in body["detail"]
    assert counts() == before


def test_validation_errors_point_into_the_operations_data(desk):
    response = post(
        desk,
        {"op": "create", "resource": "actors", "lid": "a", "data": {"name": "Someone", "kind": "person"}},
        {
            "op": "create",
            "resource": "statements",
            "data": {"speaker": {"lid": "a"}, "stated_on": "2021-09-05"},
        },
    )
    body = assert_problem(response, 400)
    assert {"field": "operations[1].data.text", "code": "required"}.items() <= body["errors"][0].items()
    assert body["operation"]["index"] == 1
    assert not Actor.objects.filter(name="Someone").exists()


def test_verification_status_changes_only_through_a_review(desk):
    response = post(
        desk,
        {
            "op": "create",
            "resource": "sources",
            "data": {"url": "https://x.example/1", "kind": "video", "verification_status": "verified"},
        },
    )
    body = assert_problem(response, 400)
    assert body["errors"][0]["field"] == "operations[0].data.verification_status"
    assert not Source.objects.exists()


# -- permissions --------------------------------------------------------------------------------


def test_anonymous_clients_get_401(api_client):
    assert_problem(post(api_client, *story()), 401)


def test_an_editor_cannot_review_and_a_verifier_cannot_write(editor_client, verifier_client):
    body = assert_problem(post(editor_client, *story()), 403)
    assert body["errors"][0]["field"] == "operations[6]"
    assert not Actor.objects.exists()

    source = SourceFactory()
    body = assert_problem(
        post(
            verifier_client,
            {"op": "review", "resource": "sources", "id": str(source.pk), "data": {"verdict": "in_review"}},
            {"op": "update", "resource": "sources", "id": str(source.pk), "data": {"title": "New"}},
        ),
        403,
    )
    assert body["errors"][0]["field"] == "operations[1]"
    assert Source.objects.get().verification_status == "unverified"


# -- update, delete, preconditions --------------------------------------------------------------


def test_update_is_a_patch_with_if_match(desk):
    event = EventFactory(title="Old title")
    stale = post(
        desk,
        {"op": "update", "resource": "events", "id": str(event.pk), "if_match": 2, "data": {"title": "New"}},
    )
    body = assert_problem(stale, 412)
    assert body["errors"][0]["field"] == "operations[0].if_match"

    fresh = post(
        desk,
        {
            "op": "update",
            "resource": "events",
            "id": str(event.pk),
            "if_match": '"1"',
            "data": {"title": "New"},
        },
    )
    assert fresh.status_code == 200, fresh.content
    assert fresh.json()["results"][0] | {"url": None} == {
        "index": 0,
        "op": "update",
        "resource": "events",
        "lid": None,
        "id": str(event.pk),
        "url": None,
        "status": "updated",
        "version": 2,
    }
    event.refresh_from_db()
    assert (event.title, event.event_type) == ("New", "battle")


def test_targets_that_do_not_exist_or_were_deleted(desk):
    missing = post(
        desk, {"op": "update", "resource": "places", "id": str(uuid.uuid4()), "data": {"name": "X"}}
    )
    assert assert_problem(missing, 404)["errors"][0]["field"] == "operations[0].id"

    place = PlaceFactory()
    deleted = post(
        desk,
        {"op": "delete", "resource": "places", "id": str(place.pk)},
        {"op": "update", "resource": "places", "id": str(place.pk), "data": {"name": "X"}},
    )
    assert assert_problem(deleted, 410)["errors"][0]["field"] == "operations[1].id"
    assert Place.objects.filter(pk=place.pk).exists()  # rolled back with the rest


def test_delete_leaves_a_tombstone_and_refuses_a_referenced_record(desk):
    actor = ActorFactory()
    statement = StatementFactory(speaker=actor)
    refused = post(desk, {"op": "delete", "resource": "actors", "id": str(actor.pk)})
    body = assert_problem(refused, 409)
    assert body["errors"][0]["field"] == "operations[0]"
    assert str(statement.pk) in body["detail"]

    response = post(
        desk,
        {"op": "delete", "resource": "statements", "id": str(statement.pk)},
        {"op": "delete", "resource": "actors", "ref": {"id": str(actor.pk)}},
    )
    assert response.status_code == 200, response.content
    assert [result["status"] for result in response.json()["results"]] == ["deleted", "deleted"]
    assert desk.get(f"/api/v1/actors/{actor.pk}/").status_code == 410


def test_merged_actors_are_not_targets_and_never_match(desk):
    survivor = ActorFactory(name="Omar Haidari")
    merged = ActorFactory(name="Omar Haidari", merged_into=survivor)
    body = assert_problem(
        post(desk, {"op": "update", "resource": "actors", "id": str(merged.pk), "data": {}}), 409
    )
    assert str(survivor.pk) in body["detail"]

    matched = post(
        desk, {"op": "upsert", "resource": "actors", "match": {"name": "omar haidari", "kind": "person"}}
    )
    assert matched.json()["results"][0]["id"] == str(survivor.pk)


# -- natural keys -------------------------------------------------------------------------------


def test_an_upsert_that_changes_something_is_updated_with_a_new_version(desk):
    source = SourceFactory(url="https://news.example.org/a", title="First title")
    response = post(
        desk,
        {
            "op": "upsert",
            "resource": "sources",
            "match": {"url": "HTTPS://NEWS.example.org/a#top"},
            "data": {"title": "Second title"},
        },
    )
    assert response.status_code == 200
    result = response.json()["results"][0]
    assert (result["status"], result["id"], result["version"]) == ("updated", str(source.pk), 2)


def test_a_matched_upsert_keeps_its_version_history_and_feed(desk):
    source = SourceFactory(url="https://news.example.org/a", title="Same")
    before = counts()
    response = post(
        desk,
        {
            "op": "upsert",
            "resource": "sources",
            "match": {"url": "https://news.example.org/a"},
            "data": {"title": "Same"},
        },
    )
    assert response.json()["results"][0]["status"] == "matched"
    source.refresh_from_db()
    assert source.version == 1
    assert counts() == before


def test_create_with_match_uses_the_existing_record_unchanged(desk):
    event = EventFactory(title="Known", external_ids={"acled": "AFG1"})
    response = post(
        desk,
        {
            "op": "create",
            "resource": "events",
            "lid": "e",
            "match": {"external_id": "acled:AFG1"},
            "data": {"title": "Other", "event_type": "riot", "start_date": "2021-01-01"},
        },
        {
            "op": "create",
            "resource": "events",
            "match": {"external_id": "acled:AFG2"},
            "data": {"title": "New", "event_type": "riot", "start_date": "2021-01-01"},
        },
    )
    assert response.status_code == 201
    first, second = response.json()["results"]
    assert (first["status"], first["id"]) == ("matched", str(event.pk))
    assert Event.objects.get(pk=event.pk).title == "Known"
    assert second["status"] == "created"
    assert Event.objects.get(pk=second["id"]).external_ids == {"acled": "AFG2"}


def test_statements_match_on_speaker_day_and_text_with_whitespace_normalised(desk):
    speaker = ActorFactory()
    statement = StatementFactory(speaker=speaker, text="We  hold\nthe ridge.", stated_on="2021-09-05")
    StatementFactory(speaker=speaker, text="We hold the ridge.", stated_on="2021-09-06")
    response = post(
        desk,
        {
            "op": "upsert",
            "resource": "statements",
            "match": {"speaker": str(speaker.pk), "text": " We hold the ridge. ", "stated_on": "2021-09-05"},
        },
    )
    assert response.json()["results"][0] | {"url": None, "index": None} == {
        "index": None,
        "op": "upsert",
        "resource": "statements",
        "lid": None,
        "id": str(statement.pk),
        "url": None,
        "status": "matched",
        "version": 1,
    }


def test_places_match_within_their_parent(desk):
    north, south = PlaceFactory(name="North", kind="admin1"), PlaceFactory(name="South", kind="admin1")
    village = PlaceFactory(name="Dara", kind="locality", parent=south)
    PlaceFactory(name="Dara", kind="locality", parent=north)
    response = post(
        desk,
        {
            "op": "upsert",
            "resource": "places",
            "lid": "south",
            "match": {"external_id": "x:1"},
            "data": {"name": "S", "kind": "admin1"},
        },
        {
            "op": "upsert",
            "resource": "places",
            "match": {"name": "Dara", "kind": "locality", "parent": str(south.pk)},
        },
        {
            "op": "upsert",
            "resource": "places",
            "match": {"name": "Dara", "kind": "locality", "parent": {"lid": "south"}},
        },
    )
    assert response.status_code == 201, response.content
    results = response.json()["results"]
    assert results[1]["id"] == str(village.pk)
    assert results[2]["status"] == "created"
    assert Place.objects.get(pk=results[2]["id"]).parent_id == uuid.UUID(results[0]["id"])


def test_an_ambiguous_match_is_a_409_naming_both_candidates(desk):
    first = OrganizationFactory(external_ids={"wikidata": "Q1"})
    second = OrganizationFactory(external_ids={"wikidata": "Q1"})
    body = assert_problem(
        post(
            desk, {"op": "upsert", "resource": "actors", "match": {"external_id": "wikidata:Q1"}, "data": {}}
        ),
        409,
    )
    assert body["errors"][0]["field"] == "operations[0].match"
    assert str(first.pk) in body["detail"]
    assert str(second.pk) in body["detail"]


# -- dry runs, status codes, retries and limits -------------------------------------------------


def test_a_dry_run_resolves_everything_and_writes_nothing(desk):
    before = counts()
    response = post(desk, *story(), dry_run=True)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["dry_run"] is True
    assert [result["status"] for result in body["results"]] == ["created"] * 6 + ["reviewed"]
    assert counts() == before
    assert not Actor.all_objects.filter(pk=body["results"][0]["id"]).exists()


def test_a_dry_run_still_fails_like_the_real_one(desk):
    operations = story()
    operations[4]["data"]["start_date"] = "not a date"
    body = assert_problem(post(desk, *operations, dry_run=True), 400)
    assert body["errors"][0]["field"] == "operations[4].data.start_date"


def test_200_when_nothing_was_created(desk):
    place = PlaceFactory()
    response = post(
        desk, {"op": "update", "resource": "places", "id": str(place.pk), "data": {"name": "Renamed"}}
    )
    assert response.status_code == 200


def test_idempotency_key_replays_a_bundle(desk, editor):
    operations = story()
    # The middleware identifies the user before DRF does: a real token, not force_authenticate.
    desk = APIClient()
    desk.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(editor)[1]}")
    first = desk.post(BUNDLES, {"operations": operations}, format="json", HTTP_IDEMPOTENCY_KEY="story-1")
    replay = desk.post(BUNDLES, {"operations": operations}, format="json", HTTP_IDEMPOTENCY_KEY="story-1")
    assert first.status_code == replay.status_code == 201
    assert replay["Idempotent-Replayed"] == "true"
    assert replay.content == first.content
    assert Actor.objects.count() == 2
    other = desk.post(BUNDLES, {"operations": operations[:1]}, format="json", HTTP_IDEMPOTENCY_KEY="story-1")
    assert_problem(other, 422)


@override_settings(EVENTSAPI_BUNDLE_MAX_OPERATIONS=3)
def test_more_operations_than_allowed_is_a_413(desk):
    body = assert_problem(post(desk, *story()), 413)
    assert body["errors"][0]["field"] == "operations[3]"
    assert not Actor.objects.exists()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=2000)
def test_a_body_over_the_limit_is_a_413(desk):
    operations = story() * 3
    body = assert_problem(post(desk, *operations), 413)
    assert body["errors"][0]["field"].startswith("operations")


# -- shapes -------------------------------------------------------------------------------------

ACTOR = {"op": "create", "resource": "actors", "lid": "a", "data": {"name": "A", "kind": "organization"}}
SOURCE = {
    "op": "create",
    "resource": "sources",
    "lid": "s",
    "data": {"url": "https://x.example/s", "kind": "article"},
}


@pytest.mark.parametrize(
    ("operations", "field", "code"),
    [
        ([], "operations", "empty"),
        ([{"op": "replace", "resource": "actors", "data": {}}], "operations[0].op", "invalid_choice"),
        ([{"op": "create", "resource": "people", "data": {}}], "operations[0].resource", "invalid_choice"),
        (
            [{"op": "review", "resource": "actors", "id": str(uuid.UUID(int=1)), "data": {}}],
            "operations[0].resource",
            "invalid_choice",
        ),
        ([ACTOR, {**ACTOR}], "operations[1].lid", "duplicate_lid"),
        (
            [
                {
                    "op": "create",
                    "resource": "sources",
                    "data": {"url": "https://x.example/1", "kind": "article", "publisher": {"lid": "a"}},
                },
                ACTOR,
            ],
            "operations[0].data.publisher",
            "lid_used_before_definition",
        ),
        ([{"op": "delete", "resource": "actors", "lid": "nobody"}], "operations[0].lid", "unknown_lid"),
        (
            [
                SOURCE,
                {
                    "op": "create",
                    "resource": "sources",
                    "data": {"url": "https://x.example/2", "kind": "article", "publisher": {"lid": "s"}},
                },
            ],
            "operations[1].data.publisher",
            "lid_wrong_resource",
        ),
        (
            [ACTOR, {"op": "delete", "resource": "sources", "lid": "a"}],
            "operations[1].lid",
            "lid_wrong_resource",
        ),
        (
            [ACTOR, {"op": "delete", "resource": "actors", "lid": "a", "id": str(uuid.UUID(int=1))}],
            "operations[1].lid",
            "id_and_lid",
        ),
        (
            [ACTOR, {"op": "delete", "resource": "actors", "ref": {"lid": "a", "id": str(uuid.UUID(int=1))}}],
            "operations[1].ref",
            "id_and_lid",
        ),
        (
            [
                ACTOR,
                {
                    "op": "create",
                    "resource": "sources",
                    "data": {
                        "url": "https://x.example/3",
                        "kind": "article",
                        "publisher": {"lid": "a", "id": str(uuid.UUID(int=1))},
                    },
                },
            ],
            "operations[1].data.publisher",
            "id_and_lid",
        ),
        (
            [
                {
                    "op": "create",
                    "resource": "sources",
                    "lid": "s",
                    "data": {"url": "https://x.example/4", "kind": "article", "cites": [{"lid": "s"}]},
                }
            ],
            "operations[0].data.cites[0]",
            "cycle",
        ),
        (
            [{"op": "create", "resource": "actors", "id": str(uuid.UUID(int=1)), "data": {}}],
            "operations[0].id",
            "not_allowed",
        ),
        ([{"op": "upsert", "resource": "actors", "data": {}}], "operations[0].match", "required"),
        (
            [{"op": "upsert", "resource": "actors", "match": {"url": "https://x.example"}}],
            "operations[0].match",
            "invalid_match",
        ),
        (
            [{"op": "upsert", "resource": "actors", "match": {"external_id": "no-scheme"}}],
            "operations[0].match.external_id",
            "invalid",
        ),
        (
            [{"op": "upsert", "resource": "actors", "match": {"name": "A", "kind": "robot"}}],
            "operations[0].match.kind",
            "invalid_choice",
        ),
        ([{"op": "update", "resource": "actors", "data": {}}], "operations[0]", "required"),
        (
            [{"op": "update", "resource": "actors", "id": "not-a-uuid", "data": {}}],
            "operations[0].id",
            "invalid",
        ),
        (
            [{"op": "update", "resource": "actors", "id": str(uuid.UUID(int=1)), "data": [], "if_match": 1}],
            "operations[0].data",
            "invalid",
        ),
        (
            [{"op": "delete", "resource": "actors", "id": str(uuid.UUID(int=1)), "if_match": True}],
            "operations[0].if_match",
            "invalid",
        ),
        (
            [{"op": "delete", "resource": "actors", "id": str(uuid.UUID(int=1)), "force": True}],
            "operations[0].force",
            "unknown_field",
        ),
        (["create"], "operations[0]", "invalid"),
    ],
)
def test_malformed_bundles_are_400s_pointing_at_the_operation(desk, operations, field, code):
    before = counts()
    body = assert_problem(post(desk, *operations), 400)
    assert (body["errors"][0]["field"], body["errors"][0]["code"]) == (field, code)
    assert counts() == before


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"operations": "all"},
        {"operations": [ACTOR], "dry_run": "yes"},
        {"operations": [ACTOR], "extra": 1},
    ],
)
def test_malformed_bodies_are_400s(desk, body):
    assert_problem(desk.post(BUNDLES, body, format="json"), 400)


def test_reviews_by_lid_on_a_new_event_and_a_repeated_review_adds_nothing(desk):
    operations = [
        {
            "op": "create",
            "resource": "events",
            "lid": "e",
            "data": {"title": "T", "event_type": "riot", "start_date": "2021-01-01"},
        },
        {
            "op": "review",
            "resource": "events",
            "lid": "e",
            "data": {"verdict": "false", "rationale": "Staged."},
        },
        {
            "op": "review",
            "resource": "events",
            "ref": {"lid": "e"},
            "data": {"verdict": "false", "rationale": "Staged."},
        },
    ]
    results = post(desk, *operations).json()["results"]
    assert [result["status"] for result in results] == ["created", "reviewed", "matched"]
    assert Review.objects.count() == 1


def test_a_stance_change_keeps_the_claim_summary(desk):
    statement = StanceFactory(stance="supports").statement
    event = statement.about.get().event
    response = post(
        desk,
        {
            "op": "update",
            "resource": "statements",
            "id": str(statement.pk),
            "data": {"about": [{"event": str(event.pk), "stance": "refutes"}]},
        },
    )
    assert response.status_code == 200, response.content
    event.refresh_from_db()
    assert (event.statement_count, event.supporting_count, event.refuting_count) == (1, 0, 1)


def test_a_place_matched_by_name_and_kind_lies_where_its_data_puts_it(desk):
    operations = [
        {
            "op": "upsert",
            "resource": "places",
            "lid": "af",
            "match": {"external_id": "geo:af"},
            "data": {"name": "Af", "kind": "country"},
        },
        {
            "op": "upsert",
            "resource": "places",
            "match": {"name": "Bazarak", "kind": "locality"},
            "data": {"parent": {"lid": "af"}},
        },
    ]
    assert [r["status"] for r in post(desk, *operations).json()["results"]] == ["created", "created"]
    again = post(desk, *operations)
    assert [r["status"] for r in again.json()["results"]] == ["matched", "matched"]
    assert Place.objects.filter(name="Bazarak").count() == 1
    bad_parent = [
        {
            "op": "upsert",
            "resource": "places",
            "match": {"name": "X", "kind": "locality"},
            "data": {"parent": 5},
        }
    ]
    assert assert_problem(post(desk, *bad_parent), 400)["errors"][0]["field"] == "operations[0].data.parent"


def test_the_matching_index_is_written_once_for_the_whole_bundle(desk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from matching.models import ActorName, StatementKeys
    from matching.selectors import actor_matches

    operations = [
        {
            "op": "create",
            "resource": "actors",
            "lid": "a",
            "data": {"name": "Omar Haidari", "kind": "person"},
        },
        {"op": "create", "resource": "actors", "lid": "b", "data": {"name": "Laila Noori", "kind": "person"}},
        {
            "op": "upsert",
            "resource": "actors",
            "match": {"name": "Omar Haidari", "kind": "person"},
            "data": {"name": "Omar Haidary"},
        },
        {
            "op": "create",
            "resource": "statements",
            "data": {"text": "We hold the ridge.", "speaker": {"lid": "a"}, "stated_on": "2021-09-05"},
        },
    ]
    with CaptureQueriesContext(connection) as queries:
        results = post(desk, *operations).json()["results"]
    index_writes = [q for q in queries if q["sql"].startswith('INSERT INTO "matching_actorname"')]
    assert len(index_writes) == 1  # both actors, as they stand at the end

    omar = results[0]["id"]
    assert list(ActorName.objects.filter(actor_id=omar).values_list("text", flat=True)) == ["Omar Haidary"]
    assert [str(match.actor.pk) for match in actor_matches(name="Omar Haidary")][:1] == [omar]
    assert StatementKeys.objects.filter(statement_id=results[3]["id"]).exists()


def test_records_the_bundle_wrote_are_not_read_again_to_be_referred_to(desk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    said = [
        {
            "op": "create",
            "resource": "statements",
            "data": {
                "text": f"Claim {number}.",
                "speaker": {"lid": "speaker"},
                "sources": [{"lid": "article"}],
                "about": [{"event": {"lid": "clash"}, "stance": "supports"}],
                "stated_on": "2021-09-05",
            },
        }
        for number in range(3)
    ]
    operations = [
        {
            "op": "create",
            "resource": "actors",
            "lid": "speaker",
            "data": {"name": "Omar Haidari", "kind": "person"},
        },
        {
            "op": "create",
            "resource": "sources",
            "lid": "article",
            "data": {"url": "https://news.example.org/c", "kind": "article", "title": "C"},
        },
        {
            "op": "create",
            "resource": "events",
            "lid": "clash",
            "data": {"title": "Clash", "event_type": "battle", "start_date": "2021-09-05"},
        },
        *said,
    ]
    with CaptureQueriesContext(connection) as queries:
        response = post(desk, *operations)
    assert response.status_code == 201, response.content
    # Neither the related fields nor the model's validation read the speaker or the source by id.
    reads = [
        q["sql"]
        for q in queries
        if q["sql"].startswith("SELECT")
        and ('"events_actor"."id" =' in q["sql"] or '"claims_source"."id" =' in q["sql"])
    ]
    assert reads == []
    # New statements have no links or stances to read or replace: they are only added.
    assert not [q for q in queries if q["sql"].startswith('DELETE FROM "claims_')]
    assert not [
        q for q in queries if q["sql"].startswith("SELECT") and "claims_statement_sources" in q["sql"]
    ]
    speaker = response.json()["results"][0]["id"]
    assert Statement.objects.filter(speaker_id=speaker).count() == 3


def test_a_record_deleted_earlier_in_the_bundle_is_no_reference(desk):
    response = post(
        desk,
        {"op": "create", "resource": "places", "lid": "p", "data": {"name": "Gone", "kind": "locality"}},
        {"op": "delete", "resource": "places", "lid": "p"},
        {
            "op": "create",
            "resource": "places",
            "data": {"name": "Child", "kind": "locality", "parent": {"lid": "p"}},
        },
    )
    problem = assert_problem(response, 400)
    assert problem["errors"][0]["field"] == "operations[2].data.parent"
    assert not Place.all_objects.filter(name__in=["Gone", "Child"]).exists()
