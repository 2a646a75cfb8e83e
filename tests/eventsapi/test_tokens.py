"""API tokens: stored hashed, expiring, revocable by their holder or an admin, several per user."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from knox.crypto import hash_token
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.api_cases import assert_problem

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
PASSWORD = "correct horse battery staple"  # tests/conftest.py gives every user this one
PLACE = {"name": "Bazarak", "kind": "locality"}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def issue_token(user) -> str:
    response = APIClient().post(TOKEN_URL, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 200, response.content
    return response.json()["token"]


def client_with(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_the_token_row_holds_a_hash_and_not_the_token(editor):
    token = issue_token(editor)

    row = AuthToken.objects.get(user=editor)
    stored = [str(getattr(row, field.attname)) for field in AuthToken._meta.concrete_fields]
    assert not any(token in value for value in stored)
    assert row.digest == hash_token(token)


def test_an_issued_token_expires_after_the_configured_lifetime(editor):
    response = APIClient().post(TOKEN_URL, {"username": editor.username, "password": PASSWORD})

    expires_at = AuthToken.objects.get(user=editor).expiry
    lifetime = settings.REST_KNOX["TOKEN_TTL"]
    assert timezone.now() + lifetime - timedelta(minutes=1) < expires_at <= timezone.now() + lifetime
    assert response.json()["expires_at"].startswith(expires_at.isoformat()[:19])


def test_a_wrong_password_gets_a_401_problem_and_no_token(editor):
    response = APIClient().post(TOKEN_URL, {"username": editor.username, "password": "wrong"})

    assert_problem(response, 401)
    assert not AuthToken.objects.filter(user=editor).exists()


def test_a_token_authenticates_its_user_for_writes(editor):
    token = issue_token(editor)

    response = client_with(token).post("/api/v1/places/", PLACE)

    assert response.status_code == 201, response.json()


def test_a_bearer_token_is_accepted_too(editor):
    token = issue_token(editor)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    response = client.post("/api/v1/places/", PLACE)

    assert response.status_code == 201, response.json()


def test_an_expired_token_is_rejected_with_401(editor):
    _row, token = AuthToken.objects.create(editor, expiry=timedelta(seconds=-1))

    response = client_with(token).post("/api/v1/places/", PLACE)

    assert_problem(response, 401)


def test_an_unknown_token_is_rejected_with_401(editor):
    response = client_with("0" * 64).get("/api/v1/places/")

    assert_problem(response, 401)


def test_deleting_the_token_logs_it_out(editor):
    token = issue_token(editor)
    client = client_with(token)

    response = client.delete(TOKEN_URL)

    assert response.status_code == 204
    assert not AuthToken.objects.filter(user=editor).exists()
    assert_problem(client.post("/api/v1/places/", PLACE), 401)


def test_deleting_without_a_token_is_a_401_problem(api_client):
    response = api_client.delete(TOKEN_URL)

    assert_problem(response, 401)


def test_a_user_may_hold_several_tokens_that_all_work_at_once(editor):
    phone, laptop = issue_token(editor), issue_token(editor)

    from_phone = client_with(phone).post("/api/v1/places/", PLACE)
    from_laptop = client_with(laptop).post("/api/v1/places/", PLACE)

    assert phone != laptop
    assert AuthToken.objects.filter(user=editor).count() == 2
    assert (from_phone.status_code, from_laptop.status_code) == (201, 201)


def test_logging_out_one_token_keeps_the_users_other_tokens_working(editor):
    phone, laptop = issue_token(editor), issue_token(editor)

    client_with(phone).delete(TOKEN_URL)

    assert_problem(client_with(phone).post("/api/v1/places/", PLACE), 401)
    assert client_with(laptop).post("/api/v1/places/", PLACE).status_code == 201


def test_an_admin_deleting_the_token_row_revokes_it(editor, superuser):
    token = issue_token(editor)
    row = AuthToken.objects.get(user=editor)
    admin = Client()
    admin.force_login(superuser)

    response = admin.post(f"/admin/knox/authtoken/{row.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not AuthToken.objects.filter(pk=row.pk).exists()
    assert_problem(client_with(token).post("/api/v1/places/", PLACE), 401)


def test_the_admin_lists_tokens_without_showing_them(editor, superuser):
    token = issue_token(editor)
    admin = Client()
    admin.force_login(superuser)

    response = admin.get("/admin/knox/authtoken/")

    assert response.status_code == 200
    assert token not in response.content.decode()
    assert AuthToken.objects.get(user=editor).digest in response.content.decode()
