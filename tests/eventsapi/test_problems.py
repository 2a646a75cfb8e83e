"""Every error is an RFC 9457 problem document served as application/problem+json."""

import uuid

import pytest

from tests.api_cases import assert_problem, assert_validation_error
from tests.factories import ActorFactory, EventFactory, PlaceFactory

pytestmark = pytest.mark.django_db


def test_validation_error_lists_each_field_with_code_and_message(editor_client):
    response = editor_client.post("/api/v1/places/", {"kind": "planet", "latitude": 91, "longitude": 0})

    body = assert_problem(response, 400)
    assert body["type"] == "urn:eventsapi:problem:validation_error"
    assert body["title"] == "Bad Request"
    by_field = {error["field"]: error for error in body["errors"]}
    assert set(by_field) == {"name", "kind", "latitude"}
    assert by_field["name"]["code"] == "required"
    assert by_field["kind"]["code"] == "invalid_choice"
    assert by_field["latitude"]["code"] == "max_value"
    assert all(error["message"] for error in body["errors"])
    assert body["detail"] == "Invalid input for kind, latitude, name."


def test_errors_in_a_nested_row_are_named_by_their_path(editor_client):
    event = {
        "title": "Fall of Panjshir",
        "event_type": "strategic_development",
        "start_date": "2021-09-06",
        "participants": [
            {"actor": str(ActorFactory().pk), "role": "initiator"},
            {"actor": str(uuid.uuid4()), "role": "target"},
        ],
    }

    response = editor_client.post("/api/v1/events/", event)

    assert_validation_error(response, "participants[1].actor")


def test_malformed_json_is_a_400_problem(editor_client):
    response = editor_client.post("/api/v1/places/", "{not json", content_type="application/json")

    assert_problem(response, 400)


def test_anonymous_write_is_a_401_problem_with_a_challenge(api_client):
    response = api_client.post("/api/v1/places/", {"name": "Panjshir", "kind": "admin1"})

    body = assert_problem(response, 401)
    assert body["type"] == "urn:eventsapi:problem:not_authenticated"
    assert response["WWW-Authenticate"].startswith("Token")


def test_write_by_a_non_editor_is_a_403_problem(reader_client):
    response = reader_client.post("/api/v1/places/", {"name": "Panjshir", "kind": "admin1"})

    body = assert_problem(response, 403)
    assert body["type"] == "urn:eventsapi:problem:permission_denied"


def test_unknown_id_is_a_404_problem(api_client):
    response = api_client.get(f"/api/v1/events/{uuid.uuid4()}/")

    assert assert_problem(response, 404)["title"] == "Not Found"


def test_id_that_is_not_a_uuid_is_a_404_problem(api_client):
    response = api_client.get("/api/v1/events/42/")

    assert_problem(response, 404)


def test_unknown_path_is_a_404_problem(api_client):
    response = api_client.get("/api/v1/nothing-here/")

    assert_problem(response, 404)


def test_method_the_endpoint_does_not_have_is_a_405_problem(editor_client):
    response = editor_client.delete("/api/v1/places/")

    body = assert_problem(response, 405)
    assert "DELETE" in body["detail"]
    assert "POST" in response["Allow"]


def test_deleting_a_place_still_referenced_is_a_409_problem_naming_the_referrer(editor_client):
    place = PlaceFactory()
    event = EventFactory(place=place)

    response = editor_client.delete(f"/api/v1/places/{place.pk}/")

    body = assert_problem(response, 409)
    assert body["type"] == "urn:eventsapi:problem:still_referenced"
    assert f"event {event.pk}" in body["detail"]


def test_unsupported_content_type_is_a_415_problem(editor_client):
    response = editor_client.post("/api/v1/places/", "name=Panjshir", content_type="text/plain")

    body = assert_problem(response, 415)
    assert "text/plain" in body["detail"]


def test_successful_responses_are_plain_json(api_client):
    response = api_client.get("/api/v1/places/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_a_protected_error_names_the_resource_that_owns_a_referring_link_row(db):
    from django.db.models import ProtectedError

    from eventsapi.api.problems import problem_exception_handler
    from tests.factories import ParticipantFactory

    participant = ParticipantFactory()

    response = problem_exception_handler(ProtectedError("protected", {participant}), {})

    assert response.status_code == 409
    assert f"participant {participant.pk} of event {participant.event_id}" in response.data["detail"]


def test_a_write_that_times_out_on_sqlites_lock_is_a_503_with_retry_after(db):
    from django.db import OperationalError

    from eventsapi.api.problems import problem_exception_handler

    response = problem_exception_handler(OperationalError("database is locked"), {})

    assert response.status_code == 503
    assert response["Retry-After"] == "1"
    assert response.data["type"] == "urn:eventsapi:problem:database_busy"


def test_other_database_errors_are_left_to_the_500_handler(db):
    from django.db import OperationalError

    from eventsapi.api.problems import problem_exception_handler

    assert problem_exception_handler(OperationalError("disk I/O error"), {}) is None
