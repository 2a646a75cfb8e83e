"""Reviews: the verdict history of events, statements and sources, and posting a verdict."""

import uuid
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.utils import timezone

from claims.models import Review, Statement
from claims.services import review_create
from tests.api_cases import assert_problem, assert_validation_error
from tests.factories import EventFactory, SourceFactory, StatementFactory

pytestmark = pytest.mark.django_db

SUBJECTS = {
    "events": EventFactory,
    "statements": StatementFactory,
    "sources": SourceFactory,
}
FINAL_VERDICTS = ["verified", "false", "misleading", "unverifiable"]


@pytest.fixture(params=list(SUBJECTS))
def subject(request):
    """One reviewable item of each kind, with its reviews/ path."""
    item = SUBJECTS[request.param]()
    item.reviews_path = f"/api/v1/{request.param}/{item.pk}/reviews/"
    return item


def verdict(**fields) -> dict:
    return {"verdict": "false", "rationale": "Contradicted by the footage.", "evidence": []} | fields


def test_posting_a_verdict_returns_201_with_the_review(verifier_client, subject):
    evidence = SourceFactory()

    response = verifier_client.post(subject.reviews_path, verdict(evidence=[str(evidence.pk)]))

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["verdict"] == "false"
    assert body["previous_status"] == "unverified"
    assert body["rationale"] == "Contradicted by the footage."
    assert [source["id"] for source in body["evidence"]] == [str(evidence.pk)]
    assert body["reviewer"] == "verifier"


def test_posting_a_verdict_sets_the_verification_status(verifier_client, subject):
    verifier_client.post(subject.reviews_path, verdict(verdict="misleading"))

    subject.refresh_from_db()
    assert subject.verification_status == "misleading"


def test_the_item_reads_back_with_the_new_status(verifier_client, subject):
    verifier_client.post(subject.reviews_path, verdict(verdict="verified"))

    detail = verifier_client.get(subject.reviews_path.removesuffix("reviews/"))

    assert detail.json()["verification_status"] == "verified"


def test_previous_status_is_the_status_the_verdict_replaced(verifier_client, subject):
    verifier_client.post(subject.reviews_path, verdict(verdict="in_review", rationale=""))

    response = verifier_client.post(subject.reviews_path, verdict(verdict="verified"))

    assert response.json()["previous_status"] == "in_review"


def test_history_lists_every_review_newest_first_in_a_cursor_page(api_client, verifier, subject):
    now = timezone.now()
    for age_in_days, given in [(3, "in_review"), (1, "false"), (2, "misleading")]:
        review = review_create(
            subject=subject, verdict=given, rationale="Because.", evidence=[], reviewer=verifier
        )
        Review.objects.filter(pk=review.pk).update(created_at=now - timedelta(days=age_in_days))

    response = api_client.get(subject.reviews_path)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"next", "previous", "results"}
    assert [review["verdict"] for review in body["results"]] == ["false", "misleading", "in_review"]


def test_history_lists_only_this_items_reviews(api_client, verifier, subject):
    other = StatementFactory()
    review_create(subject=other, verdict="false", rationale="Because.", evidence=[], reviewer=verifier)

    response = api_client.get(subject.reviews_path)

    assert response.json()["results"] == []


def test_history_pages_follow_the_cursor(api_client, verifier, subject):
    for given in ["in_review", "false", "verified"]:
        review_create(subject=subject, verdict=given, rationale="Because.", evidence=[], reviewer=verifier)

    first = api_client.get(subject.reviews_path, {"page_size": 2}).json()
    second = api_client.get(first["next"]).json()

    assert len(first["results"]) == 2
    assert len(second["results"]) == 1
    assert second["next"] is None


@pytest.mark.parametrize("final_verdict", FINAL_VERDICTS)
def test_a_verdict_without_a_rationale_is_rejected_naming_rationale(verifier_client, subject, final_verdict):
    response = verifier_client.post(subject.reviews_path, verdict(verdict=final_verdict, rationale=""))

    assert_validation_error(response, "rationale")
    subject.refresh_from_db()
    assert subject.verification_status == "unverified"


def test_a_rationale_of_only_spaces_is_rejected_naming_rationale(verifier_client, subject):
    response = verifier_client.post(subject.reviews_path, verdict(rationale="   "))

    assert_validation_error(response, "rationale")


def test_a_verdict_with_no_rationale_field_is_rejected_naming_rationale(verifier_client, subject):
    response = verifier_client.post(subject.reviews_path, {"verdict": "verified"})

    assert_validation_error(response, "rationale")


def test_in_review_needs_no_rationale(verifier_client, subject):
    response = verifier_client.post(subject.reviews_path, {"verdict": "in_review"})

    assert response.status_code == 201, response.json()
    subject.refresh_from_db()
    assert subject.verification_status == "in_review"


def test_unknown_verdict_is_rejected_naming_verdict(verifier_client, subject):
    response = verifier_client.post(subject.reviews_path, verdict(verdict="probably"))

    assert_validation_error(response, "verdict")
    assert not Review.objects.exists()


def test_missing_verdict_is_rejected_naming_verdict(verifier_client, subject):
    response = verifier_client.post(subject.reviews_path, {"rationale": "Because."})

    assert_validation_error(response, "verdict")


def test_unknown_evidence_id_is_rejected_naming_evidence(verifier_client, subject):
    response = verifier_client.post(subject.reviews_path, verdict(evidence=[str(uuid.uuid4())]))

    assert_validation_error(response, "evidence")
    assert not Review.objects.exists()
    subject.refresh_from_db()
    assert subject.verification_status == "unverified"


def test_evidence_that_is_not_a_list_of_ids_is_rejected_naming_evidence(verifier_client, subject):
    response = verifier_client.post(subject.reviews_path, verdict(evidence=["not-a-uuid"]))

    assert_validation_error(response, "evidence")


def test_reviewer_and_time_sent_by_the_client_are_ignored(verifier_client, subject, superuser):
    before = timezone.now()

    response = verifier_client.post(
        subject.reviews_path,
        verdict(reviewer=superuser.username, created_at="2001-01-01T00:00:00Z", previous_status="verified"),
    )

    assert response.status_code == 201, response.json()
    review = Review.objects.get()
    assert review.reviewer.username == "verifier"
    assert review.created_at >= before
    assert review.previous_status == "unverified"
    assert datetime.fromisoformat(response.json()["created_at"]).astimezone(UTC) >= before


def test_reviewing_an_unknown_item_is_a_404_problem(verifier_client):
    response = verifier_client.post(f"/api/v1/statements/{uuid.uuid4()}/reviews/", verdict())

    assert_problem(response, 404)


@pytest.mark.parametrize(
    ("client_fixture", "expected_status"),
    [
        ("api_client", 401),
        ("reader_client", 403),
        ("editor_client", 403),
        ("verifier_client", 201),
        ("superuser_client", 201),
    ],
)
def test_only_verifiers_and_superusers_may_post_a_verdict(request, subject, client_fixture, expected_status):
    client = request.getfixturevalue(client_fixture)

    response = client.post(subject.reviews_path, verdict(verdict="verified"))

    subject.refresh_from_db()
    if expected_status == 201:
        assert response.status_code == 201, response.json()
        assert subject.verification_status == "verified"
    else:
        assert_problem(response, expected_status)
        assert subject.verification_status == "unverified"
        assert not Review.objects.exists()


@pytest.mark.parametrize(
    "client_fixture", ["api_client", "reader_client", "editor_client", "verifier_client", "superuser_client"]
)
def test_everyone_may_read_the_verdict_history(request, subject, client_fixture):
    client = request.getfixturevalue(client_fixture)

    response = client.get(subject.reviews_path)

    assert response.status_code == 200


def test_a_failure_after_the_review_is_saved_leaves_neither_review_nor_status(verifier):
    statement = StatementFactory()

    with (
        mock.patch.object(Statement, "save", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        review_create(
            subject=statement, verdict="false", rationale="Because.", evidence=[], reviewer=verifier
        )

    statement.refresh_from_db()
    assert statement.verification_status == "unverified"
    assert not Review.objects.exists()


def test_review_create_checks_the_review_without_reading_its_subject_again(verifier):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    statement, evidence = StatementFactory(), SourceFactory()
    with CaptureQueriesContext(connection) as queries:
        review = review_create(
            subject=statement, verdict="false", rationale="Footage.", evidence=[evidence], reviewer=verifier
        )
    sql = [query["sql"] for query in queries]
    # One read of the subject (locked), none to check it exists, the id or the constraints,
    # and the evidence added without reading the none a new review has.
    assert sum('FROM "claims_statement"' in text for text in sql) == 1
    assert not [text for text in sql if '"_check"' in text or text.startswith('SELECT 1 AS "a"')]
    assert not [text for text in sql if text.startswith("SELECT") and "claims_review_evidence" in text]
    assert list(review.evidence.all()) == [evidence]


def test_review_create_still_refuses_what_the_constraints_refuse(verifier):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="rationale"):
        review_create(
            subject=StatementFactory(), verdict="false", rationale="  ", evidence=[], reviewer=verifier
        )
