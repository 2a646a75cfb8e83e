"""Nothing vanishes: DELETE leaves a tombstone (410), history stays, an admin can restore."""

import pytest
from django.test import Client

from events.models import Actor, Event, Place
from tests.api_cases import assert_problem
from tests.factories import (
    ActorFactory,
    AffiliationFactory,
    EventFactory,
    ParticipantFactory,
    PlaceFactory,
    SourceFactory,
    StanceFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db

FACTORIES = {
    "places": PlaceFactory,
    "actors": ActorFactory,
    "events": EventFactory,
    "sources": SourceFactory,
    "statements": StatementFactory,
}
ADMIN_CHANGELISTS = {
    "places": "/admin/events/place/",
    "actors": "/admin/events/actor/",
    "events": "/admin/events/event/",
    "sources": "/admin/claims/source/",
    "statements": "/admin/claims/statement/",
}


def listed_ids(client, prefix: str) -> set[str]:
    return {item["id"] for item in client.get(f"/api/v1/{prefix}/", {"page_size": 500}).json()["results"]}


def restore_in_admin(superuser, prefix: str, pk):
    admin = Client()
    admin.force_login(superuser)
    return admin.post(
        ADMIN_CHANGELISTS[prefix] + "?deleted=yes",
        {"action": "restore_selected", "_selected_action": [str(pk)]},
    )


@pytest.mark.parametrize("prefix", FACTORIES)
def test_a_deleted_item_disappears_from_the_list(editor_client, prefix):
    row, kept = FACTORIES[prefix](), FACTORIES[prefix]()

    editor_client.delete(f"/api/v1/{prefix}/{row.pk}/")

    listed = listed_ids(editor_client, prefix)
    assert str(row.pk) not in listed
    assert str(kept.pk) in listed


@pytest.mark.parametrize("prefix", FACTORIES)
def test_a_deleted_item_answers_410_gone_with_a_problem_document(editor_client, prefix):
    row = FACTORIES[prefix]()

    editor_client.delete(f"/api/v1/{prefix}/{row.pk}/")

    body = assert_problem(editor_client.get(f"/api/v1/{prefix}/{row.pk}/"), 410)
    assert body["type"] == "urn:eventsapi:problem:gone"


def test_a_deleted_item_keeps_its_row_as_a_tombstone(editor_client):
    place = PlaceFactory(name="Bazarak")

    editor_client.delete(f"/api/v1/places/{place.pk}/")

    tombstone = Place.all_objects.get(pk=place.pk)
    assert tombstone.deleted_at is not None
    assert tombstone.name == "Bazarak"


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_writing_to_a_deleted_item_is_a_410_problem(editor_client, method):
    place = PlaceFactory()
    editor_client.delete(f"/api/v1/places/{place.pk}/")

    response = getattr(editor_client, method)(f"/api/v1/places/{place.pk}/", {"name": "Bazarak"})

    assert_problem(response, 410)


def test_the_history_of_a_deleted_item_stays(editor_client):
    place = PlaceFactory()

    editor_client.delete(f"/api/v1/places/{place.pk}/")

    response = editor_client.get(f"/api/v1/places/{place.pk}/history/")
    assert response.status_code == 200
    assert [entry["action"] for entry in response.json()["results"]] == ["deleted", "created"]


@pytest.mark.parametrize("prefix", FACTORIES)
def test_an_admin_can_restore_a_deleted_item(editor_client, superuser, prefix):
    row = FACTORIES[prefix]()
    editor_client.delete(f"/api/v1/{prefix}/{row.pk}/")

    response = restore_in_admin(superuser, prefix, row.pk)

    assert response.status_code == 302
    assert editor_client.get(f"/api/v1/{prefix}/{row.pk}/").status_code == 200
    assert str(row.pk) in listed_ids(editor_client, prefix)


def test_a_restore_is_recorded_in_history_by_the_admin(editor_client, superuser):
    place = PlaceFactory()
    editor_client.delete(f"/api/v1/places/{place.pk}/")

    restore_in_admin(superuser, "places", place.pk)

    latest = editor_client.get(f"/api/v1/places/{place.pk}/history/").json()["results"][0]
    assert (latest["action"], latest["changed_by"]) == ("restored", "admin")


def test_the_admin_lists_tombstones_under_the_deleted_filter(editor_client, superuser):
    place = PlaceFactory(name="Tombstoned place")
    editor_client.delete(f"/api/v1/places/{place.pk}/")
    admin = Client()
    admin.force_login(superuser)

    response = admin.get("/admin/events/place/?deleted=yes")

    assert "Tombstoned place" in response.content.decode()


def test_deleting_in_the_admin_leaves_a_tombstone(superuser, api_client):
    place = PlaceFactory()
    admin = Client()
    admin.force_login(superuser)

    admin.post(f"/admin/events/place/{place.pk}/delete/", {"post": "yes"})

    assert_problem(api_client.get(f"/api/v1/places/{place.pk}/"), 410)
    assert Place.all_objects.filter(pk=place.pk).exists()


def test_the_admin_refuses_to_delete_a_place_an_event_refers_to_naming_the_event(superuser):
    event = EventFactory()
    admin = Client()
    admin.force_login(superuser)

    confirmation = admin.get(f"/admin/events/place/{event.place.pk}/delete/")
    admin.post(f"/admin/events/place/{event.place.pk}/delete/", {"post": "yes"})

    assert str(event.pk) in confirmation.content.decode()
    assert Place.objects.filter(pk=event.place.pk).exists()


def test_the_admin_deletes_a_place_referred_to_only_by_deleted_events(editor_client, superuser):
    event = EventFactory()
    editor_client.delete(f"/api/v1/events/{event.pk}/")
    admin = Client()
    admin.force_login(superuser)

    admin.post(f"/admin/events/place/{event.place.pk}/delete/", {"post": "yes"})

    assert not Place.objects.filter(pk=event.place.pk).exists()
    assert Place.all_objects.filter(pk=event.place.pk).exists()


def test_the_tombstone_service_refuses_a_referred_row_with_a_validation_error():
    from django.core.exceptions import ValidationError

    from eventsapi.services import resource_tombstone

    event = EventFactory()

    with pytest.raises(ValidationError, match=str(event.pk)):
        resource_tombstone(resource=event.place)


def test_deleting_an_actor_that_an_event_refers_to_is_a_409_naming_the_event(editor_client):
    participant = ParticipantFactory()

    response = editor_client.delete(f"/api/v1/actors/{participant.actor.pk}/")

    body = assert_problem(response, 409)
    assert str(participant.event.pk) in body["detail"]
    assert Actor.objects.filter(pk=participant.actor.pk).exists()


def test_deleting_an_actor_that_a_statement_refers_to_is_a_409_naming_the_statement(editor_client):
    statement = StatementFactory()

    response = editor_client.delete(f"/api/v1/actors/{statement.speaker.pk}/")

    body = assert_problem(response, 409)
    assert str(statement.pk) in body["detail"]


def test_deleting_an_organisation_that_an_actor_is_affiliated_with_is_a_409_naming_the_actor(editor_client):
    affiliation = AffiliationFactory()

    response = editor_client.delete(f"/api/v1/actors/{affiliation.organization.pk}/")

    body = assert_problem(response, 409)
    assert str(affiliation.actor.pk) in body["detail"]


def test_deleting_an_event_that_a_statement_refers_to_is_a_409_naming_the_statement(editor_client):
    stance = StanceFactory()

    response = editor_client.delete(f"/api/v1/events/{stance.event.pk}/")

    body = assert_problem(response, 409)
    assert str(stance.statement.pk) in body["detail"]
    assert Event.objects.filter(pk=stance.event.pk).exists()


def test_deleting_a_place_that_an_event_refers_to_is_a_409_naming_the_event(editor_client):
    event = EventFactory()

    response = editor_client.delete(f"/api/v1/places/{event.place.pk}/")

    body = assert_problem(response, 409)
    assert str(event.pk) in body["detail"]


def test_an_actor_referred_to_only_by_deleted_events_can_be_deleted(editor_client):
    participant = ParticipantFactory()
    editor_client.delete(f"/api/v1/events/{participant.event.pk}/")

    response = editor_client.delete(f"/api/v1/actors/{participant.actor.pk}/")

    assert response.status_code == 204


def test_an_actor_referred_to_only_by_deleted_statements_can_be_deleted(editor_client):
    statement = StatementFactory()
    editor_client.delete(f"/api/v1/statements/{statement.pk}/")

    response = editor_client.delete(f"/api/v1/actors/{statement.speaker.pk}/")

    assert response.status_code == 204
