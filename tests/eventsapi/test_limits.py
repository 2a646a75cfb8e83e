"""Limits: throttling (429), page size (capped at 500), body size (413), content type (415).

Every refusal is a problem document. DRF's throttle classes read their rates once, at import,
so the tests patch ``SimpleRateThrottle.THROTTLE_RATES`` rather than the settings.
"""

import subprocess
import sys

import pytest
from django.conf import settings
from knox.models import AuthToken
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from events.models import Place
from tests.api_cases import assert_problem
from tests.live_server import PROJECT_DIR, server_environment

pytestmark = pytest.mark.django_db

PLACES = "/api/v1/places/"
PLACE = {"name": "Bazarak", "kind": "locality"}
ONE_MIB = 1024 * 1024


@pytest.fixture
def three_requests_a_minute(monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "3/minute"})


def anonymous_from(address: str) -> APIClient:
    return APIClient(REMOTE_ADDR=address)


# Throttling


@pytest.mark.usefixtures("three_requests_a_minute")
def test_an_anonymous_client_over_its_rate_gets_a_429_problem_with_retry_after():
    client = anonymous_from("203.0.113.7")
    for _ in range(3):
        assert client.get(PLACES).status_code == 200

    response = client.get(PLACES)

    body = assert_problem(response, 429)
    assert body["type"] == "urn:eventsapi:problem:throttled"
    assert 0 < int(response["Retry-After"]) <= 60


@pytest.mark.usefixtures("three_requests_a_minute")
def test_anonymous_clients_are_throttled_each_by_its_own_address():
    for _ in range(4):
        anonymous_from("203.0.113.7").get(PLACES)

    response = anonymous_from("203.0.113.8").get(PLACES)

    assert response.status_code == 200


@pytest.mark.usefixtures("three_requests_a_minute")
def test_a_user_over_its_rate_gets_a_429_problem_with_retry_after(editor_client):
    for _ in range(3):
        assert editor_client.get(PLACES).status_code == 200

    response = editor_client.get(PLACES)

    assert_problem(response, 429)
    assert int(response["Retry-After"]) > 0


@pytest.mark.usefixtures("three_requests_a_minute")
def test_a_throttled_write_writes_nothing(editor_client):
    for _ in range(3):
        editor_client.get(PLACES)

    response = editor_client.post(PLACES, PLACE)

    assert_problem(response, 429)
    assert not Place.objects.exists()


@pytest.mark.usefixtures("three_requests_a_minute")
def test_users_are_throttled_each_on_their_own_count(editor_client, reader_client):
    for _ in range(4):
        editor_client.get(PLACES)

    response = reader_client.get(PLACES)

    assert response.status_code == 200


@pytest.mark.usefixtures("three_requests_a_minute")
def test_a_user_behind_a_throttled_address_is_counted_as_a_user(editor):
    for _ in range(4):
        anonymous_from("203.0.113.7").get(PLACES)
    client = APIClient(REMOTE_ADDR="203.0.113.7")
    client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(editor)[1]}")

    response = client.get(PLACES)

    assert response.status_code == 200


# Page size


def test_page_size_above_500_is_capped_at_500(api_client):
    Place.objects.bulk_create(Place(name=f"Place {n:03}", kind="locality") for n in range(501))

    response = api_client.get(PLACES, {"page_size": 1000})

    assert response.status_code == 200
    assert len(response.json()["results"]) == 500
    assert response.json()["next"]


def test_a_page_size_that_is_not_a_number_is_a_400_problem(api_client):
    response = api_client.get(PLACES, {"page_size": "all"})

    assert_problem(response, 400)


# Body size


def test_the_documented_default_body_limit_is_one_mib():
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == ONE_MIB


def test_a_body_over_one_mib_is_a_413_problem(editor_client):
    huge = {"name": "Bazarak", "kind": "locality", "description": "x" * ONE_MIB}

    response = editor_client.post(PLACES, huge, format="json")

    assert_problem(response, 413)
    assert not Place.objects.exists()


def test_a_body_over_the_configured_limit_is_a_413_problem(editor_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = editor_client.post(PLACES, PLACE | {"alternate_names": ["x" * 1000]}, format="json")

    assert_problem(response, 413)


def test_a_body_under_the_configured_limit_is_accepted(editor_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = editor_client.post(PLACES, PLACE, format="json")

    assert response.status_code == 201


def test_a_body_over_the_limit_with_an_idempotency_key_is_a_413_problem(editor, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(editor)[1]}")

    response = client.post(
        PLACES, PLACE | {"alternate_names": ["x" * 1000]}, format="json", HTTP_IDEMPOTENCY_KEY="big"
    )

    assert_problem(response, 413)


def test_a_body_over_the_limit_on_put_is_a_413_problem(editor_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    place = Place.objects.create(name="Bazarak", kind="locality")

    response = editor_client.put(
        f"{PLACES}{place.pk}/", PLACE | {"alternate_names": ["x" * 1000]}, format="json"
    )

    assert_problem(response, 413)
    place.refresh_from_db()
    assert place.version == 1


def test_the_body_limit_is_read_from_eventsapi_max_body_bytes(tmp_path):
    env = server_environment(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path) | {
        "EVENTSAPI_MAX_BODY_BYTES": "2048",
        "DJANGO_SETTINGS_MODULE": "eventsapi.settings",
    }
    code = "from django.conf import settings; print(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)"

    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=False
    )

    assert result.stdout.strip() == "2048", result.stderr


# Content type


def test_an_unsupported_content_type_is_a_415_problem(editor_client):
    response = editor_client.post(PLACES, "name: Bazarak", content_type="text/yaml")

    body = assert_problem(response, 415)
    assert body["type"] == "urn:eventsapi:problem:unsupported_media_type"
    assert not Place.objects.exists()


def test_an_unsupported_content_type_on_patch_is_a_415_problem(editor_client):
    place = Place.objects.create(name="Bazarak", kind="locality")

    response = editor_client.patch(f"{PLACES}{place.pk}/", "<name/>", content_type="application/xml")

    assert_problem(response, 415)
