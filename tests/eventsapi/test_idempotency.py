"""Safe retries: POST with Idempotency-Key replays the first response and writes once.

The middleware identifies the user before DRF does, so these tests authenticate with a real
token (``force_authenticate`` acts inside DRF only).
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from events.api.views import PlaceViewSet
from events.models import Place
from eventsapi.models import IdempotencyKey
from tests.api_cases import assert_problem
from tests.live_server import live_api_on_suite_database

pytestmark = pytest.mark.django_db

PLACES = "/api/v1/places/"
PLACE = {"name": "Bazarak", "kind": "locality"}
KEY = "0b6f0d8c-retry-me"
CONCURRENT_RETRIES = 10


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user)[1]}")
    return client


@pytest.fixture
def client(editor) -> APIClient:
    return token_client(editor)


def post(client, body=PLACE, key=KEY):
    return client.post(PLACES, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_a_retry_with_the_same_key_and_body_replays_the_first_status_and_body(client):
    first = post(client)

    retry = post(client)

    assert first.status_code == 201, first.json()
    assert retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert retry["Location"] == first["Location"]
    assert retry["ETag"] == first["ETag"]
    assert retry["Content-Type"] == first["Content-Type"]


def test_a_retry_with_the_same_key_and_body_writes_nothing_a_second_time(client):
    post(client)

    post(client)

    assert Place.objects.filter(name="Bazarak").count() == 1


def test_the_first_response_is_not_marked_as_replayed(client):
    response = post(client)

    assert "Idempotent-Replayed" not in response


def test_a_failed_validation_is_replayed_as_well(client):
    first = post(client, body={"kind": "planet"})

    retry = post(client, body={"kind": "planet"})

    assert_problem(first, 400)
    assert (retry.status_code, retry.json()) == (400, first.json())
    assert retry["Idempotent-Replayed"] == "true"


def test_the_same_key_with_another_body_is_a_422_problem_and_writes_nothing(client):
    post(client)

    response = post(client, body={"name": "Anabah", "kind": "locality"})

    assert_problem(response, 422)
    assert not Place.objects.filter(name="Anabah").exists()


def test_the_same_key_on_another_path_is_a_422_problem(client):
    post(client)

    response = client.post("/api/v1/actors/", PLACE, format="json", HTTP_IDEMPOTENCY_KEY=KEY)

    assert_problem(response, 422)


def test_a_duplicate_while_the_first_is_still_in_flight_is_a_409_problem_and_writes_nothing(client, editor):
    in_flight = post(client, key="other")  # learn the fingerprint of this request
    fingerprint = IdempotencyKey.objects.get(user=editor, key="other").fingerprint
    IdempotencyKey.objects.create(user=editor, key=KEY, fingerprint=fingerprint, response_status=None)

    response = post(client)

    assert in_flight.status_code == 201
    assert_problem(response, 409)
    assert Place.objects.filter(name="Bazarak").count() == 1


def test_a_key_older_than_24_hours_is_replaced_and_the_request_runs_again(client, editor):
    post(client)
    IdempotencyKey.objects.filter(user=editor, key=KEY).update(
        created_at=timezone.now() - timedelta(hours=24, minutes=1)
    )

    response = post(client)

    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert Place.objects.filter(name="Bazarak").count() == 2
    assert IdempotencyKey.objects.filter(user=editor, key=KEY).count() == 1


def test_a_key_younger_than_24_hours_is_still_replayed(client, editor):
    post(client)
    IdempotencyKey.objects.filter(user=editor, key=KEY).update(
        created_at=timezone.now() - timedelta(hours=23, minutes=59)
    )

    response = post(client)

    assert response["Idempotent-Replayed"] == "true"
    assert Place.objects.filter(name="Bazarak").count() == 1


def test_keys_are_per_user_so_another_user_may_use_the_same_key(client, superuser):
    post(client)

    response = post(token_client(superuser))

    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert Place.objects.filter(name="Bazarak").count() == 2


def test_another_users_key_with_another_body_is_not_a_conflict(client, superuser):
    post(client)

    response = post(token_client(superuser), body={"name": "Anabah", "kind": "locality"})

    assert response.status_code == 201


def test_a_key_longer_than_255_characters_is_a_400_problem(client):
    response = post(client, key="k" * 256)

    assert_problem(response, 400)
    assert not Place.objects.exists()


def test_a_request_that_ends_in_a_server_error_releases_its_key(editor, monkeypatch):
    client = token_client(editor)
    client.raise_request_exception = False

    def crash(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(PlaceViewSet, "create", crash)
    failed = post(client)
    monkeypatch.undo()

    retry = post(client)

    assert failed.status_code == 500
    assert retry.status_code == 201
    assert "Idempotent-Replayed" not in retry


def test_a_post_without_a_key_is_not_recorded(client):
    client.post(PLACES, PLACE, format="json")

    assert not IdempotencyKey.objects.exists()


def test_an_anonymous_post_with_a_key_is_a_401_problem_and_records_nothing(api_client):
    response = api_client.post(PLACES, PLACE, format="json", HTTP_IDEMPOTENCY_KEY=KEY)

    assert_problem(response, 401)
    assert not IdempotencyKey.objects.exists()


def test_a_session_user_gets_replays_too(editor):
    client = APIClient()
    client.force_login(editor)
    post(client)

    retry = post(client)

    assert retry["Idempotent-Replayed"] == "true"


@pytest.fixture
def live(transactional_db, tmp_path):
    with live_api_on_suite_database(tmp_path) as (server, token):
        yield server, token


def test_many_concurrent_retries_create_exactly_one_record(live):
    server, token = live
    start = threading.Barrier(CONCURRENT_RETRIES)

    def retry(_attempt: int):
        start.wait()
        return server.request("POST", PLACES, PLACE, token=token, headers={"Idempotency-Key": KEY})

    with ThreadPoolExecutor(max_workers=CONCURRENT_RETRIES) as pool:
        responses = list(pool.map(retry, range(CONCURRENT_RETRIES)))

    listed = server.request("GET", PLACES).json()["results"]
    assert len(listed) == 1
    created = [r for r in responses if r.status == 201 and "Idempotent-Replayed" not in r.headers]
    replayed = [r for r in responses if r.status == 201 and r.headers.get("Idempotent-Replayed") == "true"]
    in_flight = [r for r in responses if r.status == 409]
    assert len(created) == 1
    assert len(created) + len(replayed) + len(in_flight) == CONCURRENT_RETRIES
    assert all(r.json() == created[0].json() for r in replayed)
    assert all(r.json()["type"] == "urn:eventsapi:problem:request_in_flight" for r in in_flight)
    assert listed[0]["id"] == created[0].json()["id"]


def test_a_key_left_in_flight_by_a_dead_request_is_released_after_two_minutes(db):
    from datetime import timedelta

    from django.contrib.auth.models import User
    from django.utils import timezone

    from eventsapi.idempotency import IdempotencyMiddleware
    from eventsapi.models import IdempotencyKey

    user = User.objects.create_user("crashed")
    IdempotencyKey.objects.create(
        user=user, key="k", fingerprint="f", created_at=timezone.now() - timedelta(minutes=3)
    )

    record, created = IdempotencyMiddleware._claim(user, "k", "f")

    assert created is True
    assert record.response_status is None
