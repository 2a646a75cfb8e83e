"""schema.org ClaimReview JSON-LD for statements with a final verdict."""

import datetime
import json
import uuid

import pytest

from claims.models import Review
from claims.services import review_create
from tests.api_cases import TESTSERVER, assert_problem
from tests.factories import ActorFactory, OrganizationFactory, SourceFactory, StatementFactory
from tests.schemaorg_vocabulary import vocabulary_errors

pytestmark = pytest.mark.django_db

JSON_LD = "application/ld+json"


def at(day: int, hour: int) -> datetime.datetime:
    return datetime.datetime(2021, 9, day, hour, tzinfo=datetime.UTC)


def claimreview_path(statement) -> str:
    return f"/api/v1/statements/{statement.pk}/claimreview/"


def give_verdict(statement, verdict: str, reviewer, when: datetime.datetime | None = None) -> Review:
    review = review_create(
        subject=statement,
        verdict=verdict,
        rationale=f"Judged {verdict} against the footage.",
        evidence=[],
        reviewer=reviewer,
    )
    if when is not None:
        Review.objects.filter(pk=review.pk).update(created_at=when)
        review.refresh_from_db()
    return review


@pytest.fixture
def statement():
    """The victory claim, carried by an article and, earlier, by a tweet."""
    kurdistan24 = OrganizationFactory(name="Kurdistan 24")
    claim = StatementFactory(
        text="The Panjshir Valley is under our complete control.",
        speaker=ActorFactory(name="Zabihullah Mujahid", aliases=["Zabihullah Mojaheed"]),
        stated_on=datetime.date(2021, 9, 6),
    )
    claim.sources.set(
        [
            SourceFactory(
                url="https://www.kurdistan24.net/en/story/25297",
                title="Conflicting claims on the fall of Panjshir Valley arise again",
                publisher=kurdistan24,
                published_at=at(6, 12),
            ),
            SourceFactory(url="https://twitter.com/example/status/1", title="", published_at=at(6, 6)),
        ]
    )
    return claim


@pytest.fixture
def document(api_client, statement, verifier) -> dict:
    give_verdict(statement, "false", verifier, when=at(7, 10))
    return api_client.get(claimreview_path(statement)).json()


def test_a_statement_with_a_final_verdict_is_served_as_json_ld(api_client, statement, verifier):
    give_verdict(statement, "false", verifier)

    response = api_client.get(claimreview_path(statement))

    assert response.status_code == 200
    assert response["Content-Type"].startswith(JSON_LD)
    assert json.loads(response.content)["@type"] == "ClaimReview"


@pytest.mark.parametrize("final_verdict", ["verified", "false", "misleading", "unverifiable"])
def test_every_final_verdict_has_a_claimreview(api_client, statement, verifier, final_verdict):
    give_verdict(statement, final_verdict, verifier)

    response = api_client.get(claimreview_path(statement))

    assert response.status_code == 200


def test_the_document_names_the_schema_org_context_and_its_own_url(document, statement):
    assert document["@context"] == "https://schema.org"
    assert document["url"] == TESTSERVER + claimreview_path(statement)


def test_claim_reviewed_is_the_statement_text(document, statement):
    assert document["claimReviewed"] == statement.text


def test_the_item_reviewed_is_a_claim_by_the_speaker(document):
    claim = document["itemReviewed"]

    assert claim["@type"] == "Claim"
    assert claim["author"] == {
        "@type": "Person",
        "name": "Zabihullah Mujahid",
        "alternateName": ["Zabihullah Mojaheed"],
    }
    assert claim["datePublished"] == "2021-09-06"


def test_an_organisation_speaker_is_an_organization_author(api_client, verifier):
    statement = StatementFactory(speaker=OrganizationFactory(name="National Resistance Front"))
    give_verdict(statement, "false", verifier)

    author = api_client.get(claimreview_path(statement)).json()["itemReviewed"]["author"]

    assert author["@type"] == "Organization"
    assert author["name"] == "National Resistance Front"


def test_the_claims_appearances_are_its_sources_earliest_first(document):
    claim = document["itemReviewed"]

    assert [work["url"] for work in claim["appearance"]] == [
        "https://twitter.com/example/status/1",
        "https://www.kurdistan24.net/en/story/25297",
    ]
    assert claim["appearance"][1]["publisher"] == {"@type": "Organization", "name": "Kurdistan 24"}
    assert (
        claim["appearance"][1]["headline"] == "Conflicting claims on the fall of Panjshir Valley arise again"
    )


def test_the_first_appearance_is_the_earliest_source(document):
    first = document["itemReviewed"]["firstAppearance"]

    assert first["url"] == "https://twitter.com/example/status/1"
    assert first["datePublished"] == "2021-09-06T06:00:00+00:00"


def test_a_claim_without_sources_has_no_appearance(api_client, verifier):
    statement = StatementFactory()
    give_verdict(statement, "misleading", verifier)

    claim = api_client.get(claimreview_path(statement)).json()["itemReviewed"]

    assert "appearance" not in claim
    assert "firstAppearance" not in claim


def test_the_author_is_the_publishing_organisation_from_settings(api_client, statement, verifier, settings):
    settings.EVENTSAPI_PUBLISHER_NAME = "Newsroom Verification Desk"
    settings.EVENTSAPI_PUBLISHER_URL = "https://verify.example.org/"
    give_verdict(statement, "false", verifier)

    author = api_client.get(claimreview_path(statement)).json()["author"]

    assert author == {
        "@type": "Organization",
        "name": "Newsroom Verification Desk",
        "url": "https://verify.example.org/",
    }


def test_date_published_is_the_day_of_the_verdict(document):
    assert document["datePublished"] == "2021-09-07"


def test_the_review_body_is_the_rationale(document):
    assert document["reviewBody"] == "Judged false against the footage."


@pytest.mark.parametrize(
    ("final_verdict", "rating", "label"),
    [
        ("false", 1, "False"),
        ("misleading", 2, "Misleading"),
        ("unverifiable", 3, "Unverifiable"),
        ("verified", 5, "Verified"),
    ],
)
def test_the_rating_names_the_verdict(api_client, statement, verifier, final_verdict, rating, label):
    give_verdict(statement, final_verdict, verifier)

    rating_node = api_client.get(claimreview_path(statement)).json()["reviewRating"]

    assert rating_node == {
        "@type": "Rating",
        "ratingValue": rating,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": label,
    }


def test_the_latest_final_verdict_is_the_one_reviewed(api_client, statement, verifier):
    give_verdict(statement, "false", verifier, when=at(7, 10))
    give_verdict(statement, "verified", verifier, when=at(8, 10))

    document = api_client.get(claimreview_path(statement)).json()

    assert document["reviewRating"]["alternateName"] == "Verified"
    assert document["datePublished"] == "2021-09-08"


def test_an_unreviewed_statement_is_a_404_problem_saying_why(api_client, statement):
    response = api_client.get(claimreview_path(statement))

    body = assert_problem(response, 404)
    assert "'unverified', not a final verdict" in body["detail"]


def test_a_statement_in_review_is_a_404_problem_saying_why(api_client, statement, verifier):
    give_verdict(statement, "in_review", verifier)

    response = api_client.get(claimreview_path(statement))

    body = assert_problem(response, 404)
    assert "'in_review', not a final verdict" in body["detail"]


def test_a_verdict_reopened_for_review_withdraws_the_claimreview(api_client, statement, verifier):
    give_verdict(statement, "false", verifier)
    give_verdict(statement, "in_review", verifier)

    response = api_client.get(claimreview_path(statement))

    assert_problem(response, 404)


def test_an_unknown_statement_is_a_404_problem(api_client):
    assert_problem(api_client.get(f"/api/v1/statements/{uuid.uuid4()}/claimreview/"), 404)


def test_the_document_fits_the_schema_org_vocabulary(document):
    assert vocabulary_errors(document) == []


def test_the_vocabulary_check_rejects_a_made_up_property(document):
    document["itemReviewed"]["truthiness"] = "high"

    assert vocabulary_errors(document) == ["$.itemReviewed.truthiness: unknown property"]


def test_the_vocabulary_check_rejects_an_unknown_type(document):
    document["reviewRating"]["@type"] = "Verdict"

    assert "$.reviewRating: unknown @type 'Verdict'" in vocabulary_errors(document)


def test_the_vocabulary_check_rejects_a_property_on_the_wrong_type(document):
    document["reviewRating"]["claimReviewed"] = "The valley fell."

    assert vocabulary_errors(document) == ["$.reviewRating.claimReviewed: not a property of Rating"]


def test_the_vocabulary_check_rejects_a_node_outside_the_propertys_range(document):
    document["author"] = {"@type": "Rating", "ratingValue": 1}

    assert vocabulary_errors(document) == ["$.author: a Rating is outside ['Organization', 'Person']"]


def test_the_vocabulary_check_rejects_a_literal_where_a_node_is_expected(document):
    document["reviewRating"] = 1

    assert vocabulary_errors(document) == ["$.reviewRating: literal 1 is outside ['Rating']"]
