"""No back door: only a review changes verification_status, never a plain write or the admin."""

import pytest
from django.contrib import admin

from claims.models import Source, Statement
from claims.services import review_create
from events.models import Event
from tests.api_cases import TESTSERVER, as_written, assert_validation_error
from tests.factories import ActorFactory, EventFactory, PlaceFactory, SourceFactory, StanceFactory

pytestmark = pytest.mark.django_db

READ_ONLY_FIELDS = {"id", "api_url", "version", "created_at", "updated_at", "replies"}
READ_ONLY_FIELDS |= {"contested", "statement_count", "supporting_count", "refuting_count"}


def _statement():
    return StanceFactory().statement


SUBJECTS = {
    "events": EventFactory,
    "statements": _statement,
    "sources": SourceFactory,
}


@pytest.fixture(params=list(SUBJECTS))
def resource(request) -> str:
    return request.param


@pytest.fixture
def subject(resource):
    return SUBJECTS[resource]()


def detail_path(resource: str, subject) -> str:
    return f"/api/v1/{resource}/{subject.pk}/"


def writable_body(client, resource: str, subject) -> dict:
    """What a client read, in the form it writes back."""
    body = client.get(detail_path(resource, subject)).json()
    # On sources `url` is the source's own address, a writable field; elsewhere it is the API link.
    read_only = READ_ONLY_FIELDS if resource == "sources" else READ_ONLY_FIELDS | {"url"}
    return {name: as_written(value) for name, value in body.items() if name not in read_only}


def create_body(resource: str) -> dict:
    if resource == "events":
        return {"title": "Fall of the valley", "event_type": "battle", "start_date": "2021-09-06"}
    if resource == "statements":
        speaker = ActorFactory()
        return {"text": "We hold the valley.", "speaker": str(speaker.pk), "stated_on": "2021-09-06"}
    return {"url": "https://news.example.org/valley", "kind": "article"}


def test_put_that_changes_the_status_is_rejected_pointing_to_reviews(editor_client, resource, subject):
    body = writable_body(editor_client, resource, subject) | {"verification_status": "verified"}

    response = editor_client.put(detail_path(resource, subject), body)

    error = assert_validation_error(response, "verification_status")
    assert response.json()["errors"][0]["field"] == "verification_status"
    assert f"{TESTSERVER}{detail_path(resource, subject)}reviews/" in error["message"]
    subject.refresh_from_db()
    assert subject.verification_status == "unverified"
    assert subject.version == 1


def test_patch_that_changes_the_status_is_rejected_pointing_to_reviews(editor_client, resource, subject):
    response = editor_client.patch(detail_path(resource, subject), {"verification_status": "false"})

    error = assert_validation_error(response, "verification_status")
    assert response.json()["errors"][0]["field"] == "verification_status"
    assert f"{TESTSERVER}{detail_path(resource, subject)}reviews/" in error["message"]
    subject.refresh_from_db()
    assert subject.verification_status == "unverified"


def test_put_that_sends_the_unchanged_status_back_is_accepted(editor_client, resource, subject):
    body = writable_body(editor_client, resource, subject)
    assert body["verification_status"] == "unverified"

    response = editor_client.put(detail_path(resource, subject), body)

    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 2


def test_patch_that_sends_back_a_status_set_by_review_is_accepted(editor_client, verifier, resource, subject):
    review_create(subject=subject, verdict="misleading", rationale="Cropped.", evidence=[], reviewer=verifier)

    response = editor_client.patch(detail_path(resource, subject), {"verification_status": "misleading"})

    assert response.status_code == 200, response.json()
    assert response.json()["verification_status"] == "misleading"


def test_patch_that_resets_a_reviewed_status_to_unverified_is_rejected(
    editor_client, verifier, resource, subject
):
    review_create(subject=subject, verdict="false", rationale="Staged.", evidence=[], reviewer=verifier)

    response = editor_client.patch(detail_path(resource, subject), {"verification_status": "unverified"})

    assert_validation_error(response, "verification_status")
    subject.refresh_from_db()
    assert subject.verification_status == "false"


def test_create_with_a_non_default_status_is_rejected_pointing_to_reviews(editor_client, resource):
    model = {"events": Event, "statements": Statement, "sources": Source}[resource]
    rows_before = model.objects.count()

    response = editor_client.post(
        f"/api/v1/{resource}/", create_body(resource) | {"verification_status": "verified"}
    )

    error = assert_validation_error(response, "verification_status")
    assert "reviews/" in error["message"]
    assert model.objects.count() == rows_before


def test_create_that_sends_the_default_status_is_accepted(editor_client, resource):
    response = editor_client.post(
        f"/api/v1/{resource}/", create_body(resource) | {"verification_status": "unverified"}
    )

    assert response.status_code == 201, response.json()
    assert response.json()["verification_status"] == "unverified"


@pytest.mark.parametrize("model", [Event, Statement, Source])
def test_the_admin_shows_the_status_read_only(rf, superuser, model):
    request = rf.get("/admin/")
    request.user = superuser

    readonly = admin.site._registry[model].get_readonly_fields(request, model())

    assert "verification_status" in readonly


def test_posting_the_admin_change_form_does_not_change_the_status(client, superuser):
    event = EventFactory(place=PlaceFactory())
    client.force_login(superuser)
    form = {
        "title": "Changed in the admin",
        "summary": "",
        "event_type": event.event_type,
        "start_date": event.start_date.isoformat(),
        "end_date": "",
        "date_precision": event.date_precision,
        "place": str(event.place.pk),
        "verification_status": "verified",
        "participants-TOTAL_FORMS": "0",
        "participants-INITIAL_FORMS": "0",
        "participants-MIN_NUM_FORMS": "0",
        "participants-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }

    response = client.post(f"/admin/events/event/{event.pk}/change/", form)

    assert response.status_code == 302, response.content.decode()[:2000]
    event.refresh_from_db()
    assert event.title == "Changed in the admin"
    assert event.verification_status == "unverified"
