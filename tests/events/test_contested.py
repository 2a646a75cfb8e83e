"""Contradictions: `contested` and the statement counts of events, kept correct as claims change."""

import pytest

from tests.factories import ActorFactory, EventFactory, StanceFactory

pytestmark = pytest.mark.django_db


def read_event(client, event) -> dict:
    return client.get(f"/api/v1/events/{event.pk}/").json()


def statement_path(stance) -> str:
    return f"/api/v1/statements/{stance.statement.pk}/"


@pytest.fixture
def event():
    return EventFactory()


@pytest.fixture
def supporter():
    return ActorFactory(name="Zabihullah Mujahid")


@pytest.fixture
def supporting(event, supporter):
    return StanceFactory(event=event, statement__speaker=supporter, stance="supports")


@pytest.fixture
def refuting(event, supporting):
    """A refutation by another speaker: the event is contested."""
    return StanceFactory(event=event, statement__speaker=ActorFactory(name="NRF"), stance="refutes")


def test_an_event_without_statements_is_not_contested(api_client, event):
    body = read_event(api_client, event)

    assert body["contested"] is False
    assert (body["statement_count"], body["supporting_count"], body["refuting_count"]) == (0, 0, 0)


def test_an_event_only_supported_is_not_contested(api_client, event, supporting):
    assert read_event(api_client, event)["contested"] is False


def test_a_refutation_by_another_speaker_makes_the_event_contested(api_client, event, refuting):
    assert read_event(api_client, event)["contested"] is True


def test_the_same_speaker_supporting_and_refuting_does_not_make_it_contested(
    api_client, event, supporter, supporting
):
    StanceFactory(event=event, statement__speaker=supporter, stance="refutes")

    assert read_event(api_client, event)["contested"] is False


def test_two_refutations_by_different_speakers_without_support_are_not_contested(api_client, event):
    StanceFactory(event=event, stance="refutes")
    StanceFactory(event=event, stance="refutes")

    assert read_event(api_client, event)["contested"] is False


def test_giving_the_refutation_to_the_supporter_clears_contested(editor_client, event, supporter, refuting):
    response = editor_client.patch(statement_path(refuting), {"speaker": str(supporter.pk)})

    assert response.status_code == 200, response.json()
    assert read_event(editor_client, event)["contested"] is False


def test_deleting_the_refutation_clears_contested(editor_client, event, refuting):
    response = editor_client.delete(statement_path(refuting))

    assert response.status_code == 204
    assert read_event(editor_client, event)["contested"] is False


def test_deleting_the_refutation_removes_it_from_the_counts(editor_client, event, refuting):
    editor_client.delete(statement_path(refuting))

    body = read_event(editor_client, event)
    assert (body["statement_count"], body["supporting_count"], body["refuting_count"]) == (1, 1, 0)


def test_changing_the_refutation_to_neutral_clears_contested(editor_client, event, refuting):
    response = editor_client.patch(
        statement_path(refuting), {"about": [{"event": str(event.pk), "stance": "neutral"}]}
    )

    assert response.status_code == 200, response.json()
    assert read_event(editor_client, event)["contested"] is False


def test_a_refutation_added_through_the_api_makes_the_event_contested(editor_client, event, supporting):
    speaker = ActorFactory(name="National Resistance Front")

    response = editor_client.post(
        "/api/v1/statements/",
        {
            "text": "Taliban's claim of occupying Panjshir is false.",
            "speaker": str(speaker.pk),
            "stated_on": "2021-09-06",
            "about": [{"event": str(event.pk), "stance": "refutes"}],
        },
    )

    assert response.status_code == 201, response.json()
    assert read_event(editor_client, event)["contested"] is True


def test_contested_holds_per_event(api_client, event, refuting):
    other = EventFactory()
    StanceFactory(event=other, statement=refuting.statement, stance="supports")

    assert read_event(api_client, event)["contested"] is True
    assert read_event(api_client, other)["contested"] is False


def test_each_event_counts_its_statements_by_stance(api_client, event, refuting):
    StanceFactory(event=event, stance="neutral")
    StanceFactory(event=event, stance="supports")

    body = read_event(api_client, event)

    assert body["statement_count"] == 4
    assert body["supporting_count"] == 2
    assert body["refuting_count"] == 1


def test_the_events_list_shows_contested_and_counts_for_each_event(api_client, event, refuting):
    quiet = EventFactory()

    results = {item["id"]: item for item in api_client.get("/api/v1/events/").json()["results"]}

    assert results[str(event.pk)]["contested"] is True
    assert results[str(event.pk)]["statement_count"] == 2
    assert results[str(quiet.pk)]["contested"] is False
    assert results[str(quiet.pk)]["statement_count"] == 0


def test_the_events_list_query_count_does_not_grow_with_the_events(api_client, django_assert_num_queries):
    events = []
    for size in (2, 10):
        while len(events) < size:
            event = EventFactory()
            StanceFactory(event=event, stance="supports")
            StanceFactory(event=event, stance="refutes")
            events.append(event)

        with django_assert_num_queries(2):
            response = api_client.get("/api/v1/events/", {"page_size": 100})

        assert response.status_code == 200
        assert len(response.json()["results"]) == size
        assert all(item["contested"] for item in response.json()["results"])


def test_the_contested_filter_lists_only_contested_events(api_client, event, refuting):
    EventFactory()

    response = api_client.get("/api/v1/events/", {"contested": "true"})

    assert [item["id"] for item in response.json()["results"]] == [str(event.pk)]
