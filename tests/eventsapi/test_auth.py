"""Token auth, the editors group and EVENTSAPI_PUBLIC_READ."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.api_cases import assert_problem, assert_validation_error
from tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
TOKEN_URL = "/api/v1/auth/token/"
PLACE = {"name": "Panjshir", "kind": "admin1"}


def _token_for(username: str) -> str:
    response = APIClient().post(TOKEN_URL, {"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.json()
    return response.json()["token"]


def _client_with(token: str, prefix: str = "Token") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{prefix} {token}")
    return client


def test_right_password_gets_a_token_and_its_expiry(api_client, editor, settings):
    response = api_client.post(TOKEN_URL, {"username": "editor", "password": PASSWORD})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "expires_at"}
    assert body["token"]
    expires_at = datetime.datetime.fromisoformat(body["expires_at"])
    ttl = settings.REST_KNOX["TOKEN_TTL"]
    assert timezone.now() + ttl - datetime.timedelta(minutes=1) < expires_at <= timezone.now() + ttl


def test_an_editors_token_authenticates_writes(editor):
    client = _client_with(_token_for("editor"))

    response = client.post("/api/v1/places/", PLACE)

    assert response.status_code == 201, response.json()


def test_a_bearer_prefix_is_accepted_too(editor):
    client = _client_with(_token_for("editor"), prefix="Bearer")

    response = client.post("/api/v1/places/", PLACE)

    assert response.status_code == 201, response.json()


def test_a_non_editors_token_authenticates_but_cannot_write(reader):
    client = _client_with(_token_for("reader"))

    response = client.post("/api/v1/places/", PLACE)

    assert_problem(response, 403)


def test_wrong_password_is_a_401_problem(api_client, editor):
    response = api_client.post(TOKEN_URL, {"username": "editor", "password": "wrong"})

    body = assert_problem(response, 401)
    assert "token" not in body


def test_unknown_user_is_a_401_problem(api_client, db):
    response = api_client.post(TOKEN_URL, {"username": "nobody", "password": PASSWORD})

    assert_problem(response, 401)


def test_missing_password_is_a_400_naming_password(api_client, editor):
    response = api_client.post(TOKEN_URL, {"username": "editor"})

    assert assert_validation_error(response, "password")["code"] == "required"


def test_inactive_user_gets_no_token(api_client, editor):
    editor.is_active = False
    editor.save()

    response = api_client.post(TOKEN_URL, {"username": "editor", "password": PASSWORD})

    assert_problem(response, 401)


def test_deleting_the_token_revokes_it(editor):
    client = _client_with(_token_for("editor"))

    revoked = client.delete(TOKEN_URL)

    assert revoked.status_code == 204
    assert_problem(client.post("/api/v1/places/", PLACE), 401)


def test_revoking_one_token_keeps_the_users_other_tokens(editor):
    kept = _client_with(_token_for("editor"))
    _client_with(_token_for("editor")).delete(TOKEN_URL)

    response = kept.post("/api/v1/places/", PLACE)

    assert response.status_code == 201, response.json()


def test_deleting_without_a_token_is_a_401_problem(api_client):
    response = api_client.delete(TOKEN_URL)

    assert_problem(response, 401)


def test_an_invalid_token_is_a_401_problem(db):
    response = _client_with("not-a-real-token").post("/api/v1/places/", PLACE)

    assert_problem(response, 401)


def test_an_expired_token_is_a_401_problem(editor, settings):
    client = _client_with(_token_for("editor"))
    later = timezone.now() + settings.REST_KNOX["TOKEN_TTL"] + datetime.timedelta(minutes=1)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: later)
        response = client.post("/api/v1/places/", PLACE)

    assert_problem(response, 401)


def test_anonymous_reads_are_allowed_by_default(api_client):
    place = PlaceFactory()

    assert api_client.get("/api/v1/places/").status_code == 200
    assert api_client.get(f"/api/v1/places/{place.pk}/").status_code == 200


@pytest.mark.parametrize("resource", ["places", "actors", "events", "sources", "statements"])
def test_anonymous_reads_are_a_401_when_public_read_is_off(api_client, settings, resource):
    settings.EVENTSAPI_PUBLIC_READ = False

    response = api_client.get(f"/api/v1/{resource}/")

    assert_problem(response, 401)


def test_authenticated_reads_work_when_public_read_is_off(reader_client, settings):
    settings.EVENTSAPI_PUBLIC_READ = False
    place = PlaceFactory()

    response = reader_client.get(f"/api/v1/places/{place.pk}/")

    assert response.status_code == 200


def test_a_token_authenticates_reads_when_public_read_is_off(reader, settings):
    settings.EVENTSAPI_PUBLIC_READ = False
    client = _client_with(_token_for("reader"))

    response = client.get("/api/v1/places/")

    assert response.status_code == 200


@pytest.mark.parametrize("client_fixture", ["editor_client", "superuser_client"])
def test_editors_and_superusers_can_write(request, client_fixture):
    client = request.getfixturevalue(client_fixture)

    response = client.post("/api/v1/places/", PLACE)

    assert response.status_code == 201, response.json()
