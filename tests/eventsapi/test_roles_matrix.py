"""Who may do what: every endpoint and method of the router, for every role.

The endpoints come from ``eventsapi.api.urls.router``: list GET/POST, detail
GET/PUT/PATCH/DELETE and every extra action (reviews, history, timeline, claimreview,
merge), so a new endpoint joins the matrix by itself and must be given a request body below.
"""

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from claims.services import review_create
from eventsapi.api.urls import router
from tests.api_cases import assert_problem
from tests.factories import (
    ActorFactory,
    EventFactory,
    PlaceFactory,
    SourceFactory,
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


def resource_body(prefix: str) -> dict:
    """A complete, valid body for creating or replacing a row of ``prefix``."""
    if prefix == "places":
        return {"name": "Bazarak", "kind": "locality", "country_code": "AF"}
    if prefix == "actors":
        return {"name": "Fahim Dashty", "kind": "person"}
    if prefix == "events":
        return {"title": "Fall of Panjshir", "event_type": "battle", "start_date": "2021-09-06"}
    if prefix == "sources":
        return {"url": "https://news.example.org/panjshir", "kind": "article"}
    if prefix == "statements":
        return {
            "text": "Panjshir is under our control.",
            "language": "en",
            "speaker": str(ActorFactory().pk),
            "stated_on": "2021-09-06",
        }
    raise AssertionError(f"give the matrix a request body for {prefix}")


PATCHES = {
    "places": {"name": "Panjshir"},
    "actors": {"name": "Ahmad Massoud"},
    "events": {"title": "Killing of Fahim Dashty"},
    "sources": {"title": "NRF denies the fall"},
    "statements": {"text": "Claims of the fall of Panjshir are false."},
}


def action_body(prefix: str, url_path: str) -> dict:
    if url_path == "reviews":
        return {"verdict": "false", "rationale": "Contradicted by the footage.", "evidence": []}
    if url_path == "merge":
        return {"into": str(ActorFactory().pk)}
    raise AssertionError(f"give the matrix a request body for POST {prefix}/{{id}}/{url_path}/")


def endpoints() -> list[tuple[str, str, str]]:
    """(resource prefix, endpoint kind, HTTP method) for every route of the router."""
    found = []
    for prefix, viewset, _basename in router.registry:
        found += [(prefix, "list", "get"), (prefix, "list", "post")]
        found += [(prefix, "detail", method) for method in ("get", "put", "patch", "delete")]
        for extra in viewset.get_extra_actions():
            assert extra.detail, f"{prefix}: list-level action {extra.url_path} needs a row in the matrix"
            found += [(prefix, extra.url_path, method) for method in extra.mapping]
    return found


ENDPOINTS = endpoints()
ROLES = ["anonymous", "anonymous_without_public_read", "reader", "editor", "verifier", "superuser"]
ROLE_CLIENTS = {
    "reader": "reader_client",
    "editor": "editor_client",
    "verifier": "verifier_client",
    "superuser": "superuser_client",
}
WRITERS = {"editor", "superuser"}
REVIEWERS = {"verifier", "superuser"}


def expected_status(role: str, kind: str, method: str) -> int | str:
    """An exact status for refusals, "2xx" for what the role may do."""
    if role == "anonymous_without_public_read":
        return 401
    if method == "get":
        return "2xx"
    if role == "anonymous":
        return 401
    allowed = REVIEWERS if kind == "reviews" else WRITERS
    return "2xx" if role in allowed else 403


def subject_for(prefix: str, kind: str):
    """A fresh row to act on; a statement asked for its ClaimReview gets a final verdict first."""
    row = FACTORIES[prefix]()
    if kind == "claimreview":
        review_create(
            subject=row,
            verdict="false",
            rationale="Contradicted by the footage.",
            evidence=[],
            reviewer=User.objects.create_user("matrix-reviewer"),
        )
    return row


def request_for(prefix: str, kind: str, method: str) -> tuple[str, dict | None]:
    if kind == "list":
        return f"/api/v1/{prefix}/", resource_body(prefix) if method == "post" else None
    row = subject_for(prefix, kind)
    detail = f"/api/v1/{prefix}/{row.pk}/"
    if kind == "detail":
        body = {"put": resource_body(prefix), "patch": PATCHES[prefix]}.get(method)
        return detail, body
    return f"{detail}{kind}/", action_body(prefix, kind) if method == "post" else None


@pytest.fixture
def client_for_role(request, settings):
    def build(role: str) -> APIClient:
        if role == "anonymous_without_public_read":
            settings.EVENTSAPI_PUBLIC_READ = False
            return APIClient()
        if role == "anonymous":
            return APIClient()
        return request.getfixturevalue(ROLE_CLIENTS[role])

    return build


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_matrix_covers_every_extra_action():
    kinds = {kind for _prefix, kind, _method in ENDPOINTS}

    assert kinds == {"list", "detail", "reviews", "history", "timeline", "claimreview", "merge"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("prefix", "kind", "method"), ENDPOINTS, ids="-".join)
def test_each_role_gets_the_expected_status_from_each_endpoint(client_for_role, role, prefix, kind, method):
    client = client_for_role(role)
    path, body = request_for(prefix, kind, method)

    response = getattr(client, method)(path, body)

    expected = expected_status(role, kind, method)
    if expected == "2xx":
        assert 200 <= response.status_code < 300, (response.status_code, response.content)
    else:
        assert_problem(response, expected)
