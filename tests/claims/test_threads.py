"""Threads: a statement answers another through `responds_to`; the answered one lists its replies."""

import uuid

import pytest

from claims.models import Statement
from tests.api_cases import TESTSERVER, assert_validation_error
from tests.factories import StatementFactory

pytestmark = pytest.mark.django_db


def statement_path(statement) -> str:
    return f"/api/v1/statements/{statement.pk}/"


def replies_of(client, statement) -> list:
    return client.get(statement_path(statement)).json()["replies"]


@pytest.fixture
def claim():
    return StatementFactory(text="The Panjshir Valley is under our complete control.")


def test_a_statement_can_be_created_in_response_to_another(editor_client, claim):
    response = editor_client.post(
        "/api/v1/statements/",
        {
            "text": "Taliban's claim of occupying Panjshir is false.",
            "speaker": str(StatementFactory().speaker.pk),
            "stated_on": "2021-09-06",
            "responds_to": str(claim.pk),
        },
    )

    assert response.status_code == 201, response.json()
    assert response.json()["responds_to"] == {
        "id": str(claim.pk),
        "url": TESTSERVER + statement_path(claim),
        "text": claim.text,
    }


def test_a_statements_detail_lists_its_replies_in_brief(api_client, claim):
    denial = StatementFactory(responds_to=claim, text="The claim is false.")

    replies = api_client.get(statement_path(claim)).json()["replies"]

    assert replies == [
        {"id": str(denial.pk), "url": TESTSERVER + statement_path(denial), "text": denial.text}
    ]


def test_every_reply_is_listed(api_client, claim):
    replies = {StatementFactory(responds_to=claim).pk for _ in range(3)}

    listed = api_client.get(statement_path(claim)).json()["replies"]

    assert {uuid.UUID(reply["id"]) for reply in listed} == replies


def test_a_statement_without_answers_has_no_replies(api_client, claim):
    assert api_client.get(statement_path(claim)).json()["replies"] == []


def test_a_reply_to_a_reply_is_listed_only_under_the_statement_it_answers(api_client, claim):
    denial = StatementFactory(responds_to=claim)
    rebuttal = StatementFactory(responds_to=denial)

    claim_replies = api_client.get(statement_path(claim)).json()["replies"]
    denial_body = api_client.get(statement_path(denial)).json()

    assert [reply["id"] for reply in claim_replies] == [str(denial.pk)]
    assert [reply["id"] for reply in denial_body["replies"]] == [str(rebuttal.pk)]
    assert denial_body["responds_to"]["id"] == str(claim.pk)


def test_replies_are_read_only(editor_client, claim):
    other = StatementFactory()

    response = editor_client.patch(statement_path(claim), {"replies": [str(other.pk)]})

    assert response.status_code == 200, response.json()
    assert response.json()["replies"] == []


def test_responds_to_can_be_cleared(editor_client, claim):
    denial = StatementFactory(responds_to=claim)

    response = editor_client.patch(statement_path(denial), {"responds_to": None})

    assert response.status_code == 200, response.json()
    assert response.json()["responds_to"] is None
    assert replies_of(editor_client, claim) == []


def test_a_statement_cannot_respond_to_itself(editor_client, claim):
    response = editor_client.patch(statement_path(claim), {"responds_to": str(claim.pk)})

    assert_validation_error(response, "responds_to")
    claim.refresh_from_db()
    assert claim.responds_to is None


def test_responding_to_an_unknown_statement_is_rejected_naming_responds_to(editor_client, claim):
    response = editor_client.patch(statement_path(claim), {"responds_to": str(uuid.uuid4())})

    assert_validation_error(response, "responds_to")


def test_a_deleted_reply_is_no_longer_listed(editor_client, claim):
    denial = StatementFactory(responds_to=claim)

    editor_client.delete(statement_path(denial))

    assert replies_of(editor_client, claim) == []


def test_the_statements_list_query_count_does_not_grow_with_the_replies(
    api_client, claim, django_assert_num_queries
):
    for size in (3, 13):
        while Statement.objects.count() < size:
            StatementFactory(responds_to=StatementFactory(responds_to=claim))

        with django_assert_num_queries(4):
            response = api_client.get("/api/v1/statements/", {"page_size": 100})

        assert len(response.json()["results"]) == size
