"""History: every change to every resource is kept as a version, newest first, with a diff."""

import pytest
from django.test import Client

from claims.services import review_create
from events.models import Actor, Place
from events.services import actor_merge
from tests.api_cases import assert_problem
from tests.factories import ActorFactory, EventFactory, PlaceFactory, SourceFactory, StatementFactory

pytestmark = pytest.mark.django_db

RESOURCES = {
    "places": ({"name": "Bazarak", "kind": "locality"}, {"name": "Panjshir"}),
    "actors": ({"name": "Fahim Dashty", "kind": "person"}, {"name": "Ahmad Massoud"}),
    "events": (
        {"title": "Fall of Panjshir", "event_type": "battle", "start_date": "2021-09-06"},
        {"title": "Battle of Panjshir"},
    ),
    "sources": ({"url": "https://news.example.org/panjshir", "kind": "article"}, {"title": "NRF denies"}),
}


def history(client, path: str) -> list[dict]:
    response = client.get(f"{path}history/")
    assert response.status_code == 200, response.content
    return response.json()["results"]


def changes_of(entry: dict) -> dict:
    return {change["field"]: (change["before"], change["after"]) for change in entry["changes"]}


@pytest.mark.parametrize("prefix", RESOURCES)
def test_creating_any_resource_records_a_created_version_by_its_author(editor_client, prefix):
    created = editor_client.post(f"/api/v1/{prefix}/", RESOURCES[prefix][0])

    [entry] = history(editor_client, f"/api/v1/{prefix}/{created.json()['id']}/")
    assert entry["action"] == "created"
    assert entry["version"] == 1
    assert entry["changed_by"] == "editor"
    assert entry["changed_at"]


@pytest.mark.parametrize("prefix", RESOURCES)
def test_updating_any_resource_records_the_changed_field_before_and_after(editor_client, prefix):
    created = editor_client.post(f"/api/v1/{prefix}/", RESOURCES[prefix][0]).json()
    path = f"/api/v1/{prefix}/{created['id']}/"
    field, value = next(iter(RESOURCES[prefix][1].items()))

    editor_client.patch(path, {field: value})

    latest = history(editor_client, path)[0]
    assert latest["action"] == "updated"
    assert latest["version"] == 2
    assert latest["changed_by"] == "editor"
    assert changes_of(latest) == {field: (created[field], value)}


def test_a_statement_update_is_recorded_too(editor_client):
    statement = StatementFactory(text="We are ready to negotiate.")
    path = f"/api/v1/statements/{statement.pk}/"

    editor_client.patch(path, {"text": "We will never surrender."})

    assert changes_of(history(editor_client, path)[0]) == {
        "text": ("We are ready to negotiate.", "We will never surrender.")
    }


def test_history_lists_the_versions_newest_first(editor_client):
    place = PlaceFactory(name="One")
    path = f"/api/v1/places/{place.pk}/"
    editor_client.patch(path, {"name": "Two"})
    editor_client.patch(path, {"name": "Three"})

    entries = history(editor_client, path)

    assert [entry["version"] for entry in entries] == [3, 2, 1]
    assert [entry["action"] for entry in entries] == ["updated", "updated", "created"]
    assert entries[0]["changed_at"] >= entries[1]["changed_at"] >= entries[2]["changed_at"]


def test_a_delete_is_recorded_as_deleted_by_whoever_deleted(editor_client):
    place = PlaceFactory()
    path = f"/api/v1/places/{place.pk}/"

    editor_client.delete(path)

    latest = history(editor_client, path)[0]
    assert latest["action"] == "deleted"
    assert latest["changed_by"] == "editor"
    assert changes_of(latest)["deleted_at"][0] is None


def test_a_restore_is_recorded_as_restored(editor_client):
    place = PlaceFactory()
    place.tombstone()

    Place.all_objects.get(pk=place.pk).restore()

    assert [entry["action"] for entry in history(editor_client, f"/api/v1/places/{place.pk}/")] == [
        "restored",
        "deleted",
        "created",
    ]


def test_a_merge_is_recorded_as_merged_on_the_merged_actor(editor_client):
    duplicate, survivor = ActorFactory(name="Z. Mujahid"), ActorFactory(name="Zabihullah Mujahid")

    editor_client.post(f"/api/v1/actors/{duplicate.pk}/merge/", {"into": str(survivor.pk)})

    latest = history(editor_client, f"/api/v1/actors/{duplicate.pk}/")[0]
    assert latest["action"] == "merged"
    assert latest["changed_by"] == "editor"
    assert changes_of(latest)["merged_into"] == (None, str(survivor.pk))


def test_a_merge_records_the_new_alias_on_the_surviving_actor(editor_client):
    duplicate, survivor = ActorFactory(name="Z. Mujahid"), ActorFactory(name="Zabihullah Mujahid")

    actor_merge(merged=duplicate, into=survivor)

    latest = history(editor_client, f"/api/v1/actors/{survivor.pk}/")[0]
    assert changes_of(latest)["aliases"] == ([], ["Z. Mujahid"])


def test_a_merge_records_the_moved_reference_on_the_statements_of_the_merged_actor(editor_client):
    duplicate, survivor = ActorFactory(), ActorFactory()
    statement = StatementFactory(speaker=duplicate)

    actor_merge(merged=duplicate, into=Actor.objects.get(pk=survivor.pk))

    latest = history(editor_client, f"/api/v1/statements/{statement.pk}/")[0]
    assert changes_of(latest)["speaker"] == (str(duplicate.pk), str(survivor.pk))


@pytest.mark.parametrize("factory", [EventFactory, StatementFactory, SourceFactory])
def test_a_review_is_recorded_as_reviewed_on_its_subject(verifier_client, factory):
    subject = factory()
    prefix = {EventFactory: "events", StatementFactory: "statements", SourceFactory: "sources"}[factory]
    path = f"/api/v1/{prefix}/{subject.pk}/"

    verifier_client.post(
        f"{path}reviews/", {"verdict": "false", "rationale": "Contradicted.", "evidence": []}
    )

    latest = history(verifier_client, path)[0]
    assert latest["action"] == "reviewed"
    assert latest["changed_by"] == "verifier"
    assert changes_of(latest) == {"verification_status": ("unverified", "false")}


def test_a_change_by_a_service_without_a_request_has_no_author(verifier, api_client):
    event = EventFactory()

    review_create(subject=event, verdict="verified", rationale="Confirmed.", evidence=[], reviewer=verifier)

    assert history(api_client, f"/api/v1/events/{event.pk}/")[0]["changed_by"] is None


def test_a_change_made_in_the_admin_is_recorded_with_the_admin_as_author(superuser, api_client):
    place = PlaceFactory(name="Bazarak", country_code="AF", latitude=35.3, longitude=69.8)
    admin = Client()
    admin.force_login(superuser)
    form = {
        "name": "Bazarak (district centre)",
        "alternate_names": "[]",
        "kind": "locality",
        "country_code": "AF",
        "parent": "",
        "latitude": "35.3",
        "longitude": "69.8",
        "external_ids": "{}",
        "_save": "Save",
    }

    response = admin.post(f"/admin/events/place/{place.pk}/change/", form)

    assert response.status_code == 302, response.content.decode()[:2000]
    latest = history(api_client, f"/api/v1/places/{place.pk}/")[0]
    assert latest["action"] == "updated"
    assert latest["changed_by"] == "admin"
    assert changes_of(latest) == {"name": ("Bazarak", "Bazarak (district centre)")}


def test_the_history_of_a_deleted_item_stays_readable_while_the_item_answers_410(editor_client):
    place = PlaceFactory()
    path = f"/api/v1/places/{place.pk}/"
    editor_client.delete(path)

    assert_problem(editor_client.get(path), 410)
    assert [entry["action"] for entry in history(editor_client, path)] == ["deleted", "created"]


def test_the_history_of_a_merged_actor_stays_readable_while_the_actor_redirects(editor_client):
    duplicate, survivor = ActorFactory(), ActorFactory()
    actor_merge(merged=duplicate, into=survivor)
    path = f"/api/v1/actors/{duplicate.pk}/"

    assert editor_client.get(path).status_code == 308
    assert history(editor_client, path)[0]["action"] == "merged"


def test_the_history_of_an_unknown_id_is_a_404_problem(api_client):
    response = api_client.get("/api/v1/places/00000000-0000-0000-0000-000000000000/history/")

    assert_problem(response, 404)


def test_history_is_not_public_when_public_read_is_off(api_client, settings):
    settings.EVENTSAPI_PUBLIC_READ = False
    place = PlaceFactory()

    response = api_client.get(f"/api/v1/places/{place.pk}/history/")

    assert_problem(response, 401)


def test_history_managers_are_made_once_per_model_and_still_read_each_instances_versions():
    first, second = ActorFactory(name="First"), ActorFactory(name="Second")
    assert type(first.history) is type(second.history) is type(Actor.history)
    assert [record.name for record in first.history.all()] == ["First"]
    assert Actor.history.count() >= 2
