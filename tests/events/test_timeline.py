"""The event timeline: its statements, their sources and the reviews, typed and in time order."""

import datetime
import uuid

import pytest

from claims.models import Review
from claims.services import review_create
from tests.api_cases import TESTSERVER, assert_problem
from tests.factories import (
    EventFactory,
    OrganizationFactory,
    SourceFactory,
    StanceFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db

ENTRY_FIELDS = {"type", "date", "datetime", "id", "url", "summary", "actor", "stance", "verification_status"}


def at(day: int, hour: int) -> datetime.datetime:
    return datetime.datetime(2021, 9, day, hour, tzinfo=datetime.UTC)


@pytest.fixture
def event():
    return EventFactory(title="Claimed fall of the Panjshir Valley")


@pytest.fixture
def story(event, verifier):
    """A denial (6 Sep 07:00) carried by a tweet of the same hour, a victory claim known only by
    day (6 Sep), an earlier statement (28 Aug) carried by an interview (1 Sep), and a review of
    the denial (7 Sep)."""
    nrf = OrganizationFactory(name="National Resistance Front")
    tweet = SourceFactory(kind="social_post", title="NRF on Twitter", publisher=nrf, published_at=at(6, 7))
    interview = SourceFactory(title="Interview with Fahim Dashty", published_at=at(1, 12))
    undated = SourceFactory(title="Video clips", published_at=None)
    denial = StanceFactory(
        event=event,
        stance="refutes",
        statement=StatementFactory(
            text="Taliban's claim of occupying Panjshir is false.",
            speaker=nrf,
            stated_on=datetime.date(2021, 9, 6),
            stated_at=at(6, 7),
        ),
    ).statement
    denial.sources.set([tweet, undated])
    claim = StanceFactory(
        event=event,
        stance="supports",
        statement=StatementFactory(text="We control the valley.", stated_on=datetime.date(2021, 9, 6)),
    ).statement
    earlier = StanceFactory(
        event=event,
        stance="neutral",
        statement=StatementFactory(text="We prefer negotiations.", stated_on=datetime.date(2021, 8, 28)),
    ).statement
    earlier.sources.set([interview])
    review = review_create(
        subject=denial, verdict="in_review", rationale="Conflicting claims.", evidence=[], reviewer=verifier
    )
    Review.objects.filter(pk=review.pk).update(created_at=at(7, 9))
    review.refresh_from_db()
    return {
        "tweet": tweet,
        "interview": interview,
        "undated": undated,
        "denial": denial,
        "claim": claim,
        "earlier": earlier,
        "review": review,
    }


def timeline(client, event) -> dict:
    response = client.get(f"/api/v1/events/{event.pk}/timeline/")
    assert response.status_code == 200, response.json()
    return response.json()


def test_the_timeline_names_the_event_in_brief(api_client, event):
    body = timeline(api_client, event)

    assert set(body) == {"event", "results"}
    assert body["event"] == {
        "id": str(event.pk),
        "url": f"{TESTSERVER}/api/v1/events/{event.pk}/",
        "title": event.title,
    }


def test_an_event_without_statements_has_an_empty_timeline(api_client, event):
    assert timeline(api_client, event)["results"] == []


def test_every_entry_has_the_documented_fields(api_client, event, story):
    for entry in timeline(api_client, event)["results"]:
        assert set(entry) == ENTRY_FIELDS


def test_entries_are_the_statements_their_dated_sources_and_the_reviews_in_time_order(
    api_client, event, story
):
    entries = timeline(api_client, event)["results"]

    assert [(entry["type"], entry["id"]) for entry in entries] == [
        ("statement", str(story["earlier"].pk)),
        ("source", str(story["interview"].pk)),
        ("statement", str(story["claim"].pk)),
        ("source", str(story["tweet"].pk)),
        ("statement", str(story["denial"].pk)),
        ("review", str(story["review"].pk)),
    ]


def test_entry_dates_never_go_back_in_time(api_client, event, story):
    dates = [entry["date"] for entry in timeline(api_client, event)["results"]]

    assert dates == sorted(dates)


def test_a_statement_entry_carries_the_speaker_stance_and_status(api_client, event, story):
    entries = {entry["id"]: entry for entry in timeline(api_client, event)["results"]}

    denial = entries[str(story["denial"].pk)]

    assert denial["date"] == "2021-09-06"
    assert denial["datetime"] == "2021-09-06T07:00:00Z"
    assert denial["url"] == f"{TESTSERVER}/api/v1/statements/{story['denial'].pk}/"
    assert denial["summary"] == "Taliban's claim of occupying Panjshir is false."
    assert denial["actor"]["name"] == "National Resistance Front"
    assert denial["stance"] == "refutes"
    assert denial["verification_status"] == "in_review"


def test_a_statement_known_only_by_day_has_no_datetime(api_client, event, story):
    entries = {entry["id"]: entry for entry in timeline(api_client, event)["results"]}

    assert entries[str(story["claim"].pk)]["datetime"] is None
    assert entries[str(story["claim"].pk)]["date"] == "2021-09-06"


def test_a_source_entry_carries_its_publisher_and_authenticity(api_client, event, story):
    entries = {entry["id"]: entry for entry in timeline(api_client, event)["results"]}

    tweet = entries[str(story["tweet"].pk)]

    assert tweet["url"] == f"{TESTSERVER}/api/v1/sources/{story['tweet'].pk}/"
    assert tweet["summary"] == "NRF on Twitter"
    assert tweet["actor"]["name"] == "National Resistance Front"
    assert tweet["stance"] is None
    assert tweet["verification_status"] == "unverified"


def test_a_review_entry_carries_the_verdict_and_links_to_the_reviews(api_client, event, story):
    entries = {entry["id"]: entry for entry in timeline(api_client, event)["results"]}

    review = entries[str(story["review"].pk)]

    assert review["date"] == "2021-09-07"
    assert review["url"] == f"{TESTSERVER}/api/v1/statements/{story['denial'].pk}/reviews/"
    assert review["verification_status"] == "in_review"
    assert "Conflicting claims." in review["summary"]


def test_reviews_of_the_event_itself_and_of_its_sources_are_included(api_client, event, story, verifier):
    on_event = review_create(subject=event, verdict="in_review", rationale="", evidence=[], reviewer=verifier)
    on_source = review_create(
        subject=story["tweet"],
        verdict="verified",
        rationale="Account verified.",
        evidence=[],
        reviewer=verifier,
    )

    ids = {entry["id"] for entry in timeline(api_client, event)["results"] if entry["type"] == "review"}

    assert {str(on_event.pk), str(on_source.pk)} <= ids


def test_a_source_without_a_publication_time_is_left_out(api_client, event, story):
    ids = {entry["id"] for entry in timeline(api_client, event)["results"]}

    assert str(story["undated"].pk) not in ids


def test_a_source_cited_by_two_statements_appears_once(api_client, event, story):
    story["claim"].sources.add(story["tweet"])

    ids = [entry["id"] for entry in timeline(api_client, event)["results"]]

    assert ids.count(str(story["tweet"].pk)) == 1


def test_statements_about_other_events_are_left_out(api_client, event, story):
    elsewhere = StanceFactory(event=EventFactory()).statement

    ids = {entry["id"] for entry in timeline(api_client, event)["results"]}

    assert str(elsewhere.pk) not in ids


def test_a_deleted_statement_leaves_the_timeline(editor_client, event, story):
    editor_client.delete(f"/api/v1/statements/{story['claim'].pk}/")

    ids = {entry["id"] for entry in timeline(editor_client, event)["results"]}

    assert str(story["claim"].pk) not in ids


def test_the_timeline_of_an_unknown_event_is_a_404_problem(api_client):
    assert_problem(api_client.get(f"/api/v1/events/{uuid.uuid4()}/timeline/"), 404)
