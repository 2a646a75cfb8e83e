"""``/api/v1/drafts/``: an article in, proposals out, corrected, committed as one bundle.

The article here is the team's own (a made-up harbour story); the seed article's draft is in
test_seed_draft.py.
"""

import datetime

import pytest
from django.test import override_settings

from claims.models import Source, Statement, StatementEvent
from drafts.models import Draft
from events.models import Actor, Event
from matching.services import actor_names_rebuild
from tests.api_cases import assert_problem, assert_validation_error
from tests.eventsapi.test_idempotency import token_client
from tests.factories import ActorFactory, SourceFactory, StatementFactory

pytestmark = pytest.mark.django_db

DRAFTS = "/api/v1/drafts/"
ARTICLE = (
    "VALLETTA, May 7 (Harbour Wire) – The Valletta Port Authority on Monday denied that a tanker "
    "had run aground off the Grand Harbour breakwater.\n\n"
    "“No vessel has touched the seabed. The reports are false,” authority spokeswoman Clara "
    "Mifsud said in a statement.\n\n"
    "The Green Coast campaign claimed on Sunday that the tanker had struck rocks near the "
    "breakwater and was leaking fuel.\n\n"
    '"We saw the oil with our own eyes," its coordinator, Paul Zammit, told reporters. "Nobody '
    'is listening."\n\n'
    "Harbour Wire could not independently verify either account."
)
PUBLISHED = "2024-05-07"  # a Tuesday: "on Monday" is 2024-05-06


def draft_body(**changes) -> dict:
    return {
        "url": "https://harbour-wire.example.org/2024/05/07/tanker",
        "title": "Port authority denies tanker ran aground",
        "text": ARTICLE,
        "published_at": PUBLISHED,
        "publisher": "Harbour Wire",
        **changes,
    }


def post_draft(client, **changes):
    response = client.post(DRAFTS, draft_body(**changes), format="json")
    assert response.status_code == 201, response.content
    return response.json()


def by_text(draft: dict, text: str) -> dict:
    return next(statement for statement in draft["statements"] if statement["text"] == text)


# -- creating ---------------------------------------------------------------------------------


def test_a_draft_proposes_the_quotes_with_speakers_dates_channels_and_stances(editor_client):
    draft = post_draft(editor_client)
    assert draft["status"] == "open"
    assert draft["created_by"] == "editor"
    assert draft["text"] == ARTICLE
    assert draft["source"]["url"] == "https://harbour-wire.example.org/2024/05/07/tanker"
    assert draft["source"]["publisher"] == {
        "new_actor": {"name": "Harbour Wire", "kind": "organization", "aliases": []}
    }

    quote = by_text(draft, "No vessel has touched the seabed. The reports are false")
    assert quote["is_direct_quote"] is True
    assert quote["speaker"]["name"] == "Clara Mifsud"
    assert quote["speaker"]["new_actor"] == {"name": "Clara Mifsud", "kind": "person", "aliases": []}
    assert quote["channel"] == "statement"
    assert quote["language"] == "en"
    assert quote["stated_on"] == PUBLISHED  # no date of its own: the day it was published
    assert quote["about"][0]["stance"] == "refutes"

    denial = next(s for s in draft["statements"] if s["text"].startswith("The Valletta Port Authority"))
    assert denial["is_direct_quote"] is False
    assert denial["speaker"]["name"] == "Valletta Port Authority"
    assert denial["stated_on"] == "2024-05-06"
    assert denial["about"][0]["stance"] == "refutes"

    claim = next(s for s in draft["statements"] if s["text"].startswith("The Green Coast campaign"))
    assert claim["speaker"]["name"] == "Green Coast"
    assert claim["stated_on"] == "2024-05-05"
    assert claim["about"][0]["stance"] == "supports"

    split = [by_text(draft, "We saw the oil with our own eyes"), by_text(draft, "Nobody is listening.")]
    assert {s["speaker"]["name"] for s in split} == {"Paul Zammit"}

    publisher_voice = by_text(draft, "Harbour Wire could not independently verify either account.")
    assert publisher_voice["speaker"]["name"] == "Harbour Wire"


def test_spans_are_text_position_and_text_quote_selectors(editor_client):
    draft = post_draft(editor_client)
    for statement in draft["statements"]:
        span = statement["span"]
        assert ARTICLE[span["start"] : span["end"]] == span["exact"]
        assert span["prefix"] == ARTICLE[max(0, span["start"] - 32) : span["start"]]
        assert span["suffix"] == ARTICLE[span["end"] : span["end"] + 32]
    quote = by_text(draft, "We saw the oil with our own eyes")
    assert quote["span"]["exact"] == "We saw the oil with our own eyes"  # the trailing comma is not said


def test_a_denial_and_the_claim_it_answers_share_one_proposed_event(editor_client):
    draft = post_draft(editor_client)
    denial = next(s for s in draft["statements"] if s["text"].startswith("The Valletta Port Authority"))
    event_key = denial["about"][0]["event"]["key"]
    event = next(e for e in draft["events"] if e["key"] == event_key)
    assert event["match"] is None
    assert event["start_date"] == "2024-05-06"
    assert event["accepted"] is True


def test_speakers_are_matched_to_existing_actors_by_name_and_alias(editor_client):
    known = ActorFactory(name="Clara Mifsud-Borg", aliases=["Clara Mifsud"], kind="person")
    actor_names_rebuild()
    draft = post_draft(editor_client)
    quote = by_text(draft, "No vessel has touched the seabed. The reports are false")
    assert quote["speaker"]["actor"] == str(known.pk)
    assert quote["speaker"]["new_actor"] is None
    assert quote["speaker"]["candidates"][0]["actor"] == str(known.pk)


def test_speakers_no_exact_name_finds_are_searched_while_the_drafts_time_for_it_lasts(
    editor_client, settings
):
    known = ActorFactory(name="Paul Anthony Zammit", kind="person")  # a middle name the article leaves out
    actor_names_rebuild()
    searched = by_text(post_draft(editor_client), "Nobody is listening.")["speaker"]
    assert str(known.pk) in [candidate["actor"] for candidate in searched["candidates"]]

    settings.EVENTSAPI_DRAFT_FUZZY_MATCH_MS = 0
    draft = post_draft(editor_client, url="https://harbour-wire.example.org/2024/05/07/tanker-again")
    assert by_text(draft, "Nobody is listening.")["speaker"]["candidates"] == []
    [warning] = [w for w in draft["warnings"] if w.startswith("Only exact names were matched")]
    assert "Paul Zammit" in warning


def test_a_publisher_given_by_id_is_the_sources_publisher(editor_client):
    publisher = ActorFactory(name="Harbour Wire", kind="organization")
    draft = post_draft(editor_client, publisher=str(publisher.pk))
    assert draft["source"]["publisher"] == {"actor": str(publisher.pk)}
    assert by_text(draft, "Harbour Wire could not independently verify either account.")["speaker"][
        "actor"
    ] == str(publisher.pk)


def test_a_quote_already_recorded_is_proposed_as_its_duplicate(editor_client):
    speaker = ActorFactory(name="Paul Zammit", kind="person")
    recorded = StatementFactory(
        speaker=speaker,
        text="We saw the oil with our own eyes",
        stated_on=datetime.date(2024, 5, 6),
        is_direct_quote=True,
    )
    actor_names_rebuild()
    draft = post_draft(editor_client)
    assert by_text(draft, "We saw the oil with our own eyes")["duplicate_of"] == str(recorded.pk)


def test_html_is_reduced_to_the_article_text_and_its_metadata(editor_client):
    paragraphs = "".join(f"<p>{part}</p>" for part in ARTICLE.split("\n\n"))
    html = (
        "<html><head><title>Tanker story</title><meta name='author' content='Rita Borg'></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>Tanker story</h1>{paragraphs}</article>"
        "<footer>Subscribe to our newsletter</footer></body></html>"
    )
    body = draft_body(html=html)
    del body["text"]
    response = editor_client.post(DRAFTS, body, format="json")
    assert response.status_code == 201, response.content
    draft = response.json()
    assert "Subscribe" not in draft["text"]
    assert "Home" not in draft["text"]
    assert draft["text"].startswith("VALLETTA, May 7")
    assert draft["source"]["author"] == "Rita Borg"
    assert by_text(draft, "Nobody is listening.")["speaker"]["name"] == "Paul Zammit"


# -- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"text": "   \n  "}, "text"),
        ({"published_at": "last Tuesday"}, "published_at"),
        ({"published_at": "2024-13-40"}, "published_at"),
        ({"publisher": "8f0c2c52-7c55-4d6f-9c3e-6ab1b8f5f3a1"}, "publisher"),
        ({"url": "not a url"}, "url"),
        ({"language": "english please"}, "language"),
        ({"html": "<p>both</p>"}, "text"),
    ],
)
def test_bad_input_is_a_problem_naming_the_field_and_writes_nothing(editor_client, changes, field):
    response = editor_client.post(DRAFTS, draft_body(**changes), format="json")
    assert_validation_error(response, field)
    assert Draft.objects.count() == 0


def test_neither_text_nor_html_is_a_problem(editor_client):
    body = draft_body()
    del body["text"]
    assert_validation_error(editor_client.post(DRAFTS, body, format="json"), "text")


def test_text_without_a_publication_date_is_a_problem(editor_client):
    body = draft_body()
    del body["published_at"]
    assert_validation_error(editor_client.post(DRAFTS, body, format="json"), "published_at")


def test_html_with_no_article_is_a_problem(editor_client):
    body = draft_body(html="<html><body><nav><a href='/'>Home</a></nav></body></html>")
    del body["text"]
    assert_validation_error(editor_client.post(DRAFTS, body, format="json"), "html")
    assert Draft.objects.count() == 0


@override_settings(EVENTSAPI_DRAFT_MAX_CHARS=500)
def test_text_over_the_limit_is_a_413_naming_the_field(editor_client):
    body = assert_problem(editor_client.post(DRAFTS, draft_body(), format="json"), 413)
    assert body["errors"][0]["field"] == "text"
    assert "500" in body["detail"]
    assert Draft.objects.count() == 0


# -- who sees what --------------------------------------------------------------------------------


def test_drafts_are_for_editors(api_client, reader_client):
    assert_problem(api_client.post(DRAFTS, draft_body(), format="json"), 401)
    assert_problem(reader_client.post(DRAFTS, draft_body(), format="json"), 403)
    assert_problem(reader_client.get(DRAFTS), 403)


def test_a_draft_is_visible_to_its_creator_and_superusers_only(
    editor_client, superuser_client, django_user_model
):
    draft = post_draft(editor_client)
    other = django_user_model.objects.create_user("other-editor")
    other.groups.add(*django_user_model.objects.get(username="editor").groups.all())
    other_client = token_client(other)
    assert_problem(other_client.get(f"{DRAFTS}{draft['id']}/"), 404)
    assert other_client.get(DRAFTS).json()["results"] == []
    assert superuser_client.get(f"{DRAFTS}{draft['id']}/").status_code == 200


def test_the_list_filters_by_status_in_a_fixed_number_of_queries(editor_client, django_assert_num_queries):
    first = post_draft(editor_client)
    post_draft(editor_client)
    editor_client.post(f"{DRAFTS}{first['id']}/discard/")
    with django_assert_num_queries(2):  # the editors-group check, then the page with its creators
        response = editor_client.get(DRAFTS, {"status": "open"})
    assert [item["status"] for item in response.json()["results"]] == ["open"]
    assert editor_client.get(DRAFTS, {"status": "discarded"}).json()["results"][0]["id"] == first["id"]
    assert_validation_error(editor_client.get(DRAFTS, {"status": "lost"}), "status")


# -- corrections ----------------------------------------------------------------------------------


def patch(client, draft: dict, body: dict, **headers):
    return client.patch(f"{DRAFTS}{draft['id']}/", body, format="json", **headers)


def test_patch_rejects_corrects_and_reassigns(editor_client):
    draft = post_draft(editor_client)
    known = ActorFactory(name="Valletta Port Authority", kind="organization")
    quote = by_text(draft, "Nobody is listening.")
    denial = next(s for s in draft["statements"] if s["text"].startswith("The Valletta Port Authority"))
    response = patch(
        editor_client,
        draft,
        {
            "statements": [
                {"key": quote["key"], "accepted": False},
                {"key": denial["key"], "speaker": {"actor": str(known.pk)}, "stated_on": "2024-05-05"},
            ]
        },
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 200, response.content
    assert response["ETag"] == '"2"'
    corrected = response.json()
    assert by_text(corrected, "Nobody is listening.")["accepted"] is False
    changed = next(s for s in corrected["statements"] if s["key"] == denial["key"])
    assert changed["speaker"]["actor"] == str(known.pk)
    assert changed["speaker"]["name"] == denial["speaker"]["name"]  # merged, not replaced
    assert changed["stated_on"] == "2024-05-05"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"statements": [{"key": "s999", "accepted": False}]}, "statements[0].key"),
        ({"statements": [{"key": "s1", "stated_on": "Monday"}]}, "statements[0].stated_on"),
        (
            {"statements": [{"key": "s1", "about": [{"event": {"key": "e1"}, "stance": "maybe"}]}]},
            "statements[0].about[0].stance",
        ),
        (
            {"statements": [{"key": "s1", "about": [{"event": {"key": "e9"}, "stance": "supports"}]}]},
            "statements[0].about[0].event.key",
        ),
        (
            {"statements": [{"key": "s1", "speaker": {"actor": "0b5a3f3e-1f4c-4b8e-9d51-2b8f4a4f0c11"}}]},
            "statements[0].speaker.actor",
        ),
        ({"events": [{"key": "e1", "event_type": "party"}]}, "events[0].event_type"),
        ({"actors": [{"key": "a404", "name": "X"}]}, "actors[0].key"),
    ],
)
def test_bad_corrections_are_problems_naming_the_field_and_change_nothing(editor_client, body, field):
    draft = post_draft(editor_client)
    assert_validation_error(patch(editor_client, draft, body), field)
    assert Draft.objects.get(pk=draft["id"]).version == 1


def test_a_stale_if_match_is_412(editor_client):
    draft = post_draft(editor_client)
    patch(editor_client, draft, {"statements": [{"key": "s1", "accepted": True}]})
    assert_problem(
        patch(editor_client, draft, {"statements": [{"key": "s1", "accepted": False}]}, HTTP_IF_MATCH='"1"'),
        412,
    )


# -- commit ---------------------------------------------------------------------------------------


def commit(client, draft: dict, **headers):
    return client.post(f"{DRAFTS}{draft['id']}/commit/", format="json", **headers)


def test_commit_writes_the_accepted_items_as_one_bundle(editor_client):
    draft = post_draft(editor_client)
    rejected = by_text(draft, "Nobody is listening.")
    patch(editor_client, draft, {"statements": [{"key": rejected["key"], "accepted": False}]})
    response = commit(editor_client, draft)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["draft"]["status"] == "committed"
    assert body["draft"]["results"] == body["results"]
    statuses = {(result["resource"], result["status"]) for result in body["results"]}
    assert ("statements", "created") in statuses
    assert ("sources", "created") in statuses

    article = Source.objects.get(url="https://harbour-wire.example.org/2024/05/07/tanker")
    assert article.publisher.name == "Harbour Wire"
    assert article.text == ""  # EVENTSAPI_KEEP_SOURCE_TEXT is off: spans only
    accepted = [s for s in draft["statements"] if s["key"] != rejected["key"] and s["accepted"]]
    assert Statement.objects.count() == len(accepted)
    assert not Statement.objects.filter(text="Nobody is listening.").exists()

    quote = Statement.objects.get(text="No vessel has touched the seabed. The reports are false")
    assert quote.speaker.name == "Clara Mifsud"
    assert quote.channel == "statement"
    assert list(quote.sources.all()) == [article]
    [span] = quote.source_spans
    assert span["source"] == str(article.pk)
    assert ARTICLE[span["start"] : span["end"]] == span["exact"]
    assert StatementEvent.objects.filter(statement=quote, stance="refutes").exists()
    assert Event.objects.count() == len(draft["events"])


def test_committed_spans_are_served_on_the_statement(editor_client):
    commit(editor_client, post_draft(editor_client))
    statement = Statement.objects.get(text="We saw the oil with our own eyes")
    served = editor_client.get(f"/api/v1/statements/{statement.pk}/").json()
    assert served["source_spans"][0]["exact"] == "We saw the oil with our own eyes"
    assert served["channel"] == ""


@override_settings(EVENTSAPI_KEEP_SOURCE_TEXT=True)
def test_the_article_text_is_kept_on_its_source_when_the_setting_says_so(editor_client):
    commit(editor_client, post_draft(editor_client))
    assert Source.objects.get(url__contains="harbour-wire").text == ARTICLE


def test_a_committed_or_discarded_draft_cannot_be_committed_or_changed(editor_client):
    draft = post_draft(editor_client)
    assert commit(editor_client, draft).status_code == 200
    assert_problem(commit(editor_client, draft), 409)
    assert_problem(patch(editor_client, draft, {"statements": [{"key": "s1", "accepted": False}]}), 409)
    other = post_draft(editor_client)
    assert editor_client.post(f"{DRAFTS}{other['id']}/discard/").json()["status"] == "discarded"
    assert_problem(commit(editor_client, other), 409)
    assert_problem(editor_client.post(f"{DRAFTS}{other['id']}/discard/"), 409)


def test_commit_is_all_or_nothing(editor_client):
    draft = post_draft(editor_client)
    # A statement accepted without a date fails its operation: nothing at all is written.
    patch(editor_client, draft, {"statements": [{"key": "s1", "stated_on": None}]})
    before = (Statement.objects.count(), Source.objects.count(), Actor.objects.count(), Event.objects.count())
    assert_validation_error(commit(editor_client, draft), "statements[0].stated_on")
    after = (Statement.objects.count(), Source.objects.count(), Actor.objects.count(), Event.objects.count())
    assert after == before
    assert Draft.objects.get(pk=draft["id"]).status == "open"


def test_commit_replays_with_an_idempotency_key(editor):
    client = token_client(editor)
    draft = post_draft(client)
    first = commit(client, draft, HTTP_IDEMPOTENCY_KEY="commit-tanker-1")
    again = commit(client, draft, HTTP_IDEMPOTENCY_KEY="commit-tanker-1")
    assert first.status_code == again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()


def test_a_duplicate_gains_the_article_as_a_source_instead_of_a_copy(editor_client):
    speaker = ActorFactory(name="Paul Zammit", kind="person")
    earlier = SourceFactory(url="https://radio.example.org/zammit")
    recorded = StatementFactory(
        speaker=speaker, text="We saw the oil with our own eyes", stated_on=datetime.date(2024, 5, 6)
    )
    recorded.sources.add(earlier)
    actor_names_rebuild()
    draft = post_draft(editor_client)
    assert commit(editor_client, draft).status_code == 200
    assert Statement.objects.filter(text="We saw the oil with our own eyes").count() == 1
    recorded.refresh_from_db()
    assert {source.url for source in recorded.sources.all()} == {
        "https://radio.example.org/zammit",
        "https://harbour-wire.example.org/2024/05/07/tanker",
    }
    assert recorded.source_spans[0]["exact"] == "We saw the oil with our own eyes"


def test_committing_a_second_article_reuses_its_speakers(editor_client):
    commit(editor_client, post_draft(editor_client))
    second = post_draft(editor_client, url="https://harbour-wire.example.org/2024/05/08/tanker-follow-up")
    assert by_text(second, "Nobody is listening.")["speaker"]["actor"] is not None
    assert commit(editor_client, second).status_code == 200
    assert Actor.objects.filter(name="Paul Zammit").count() == 1


def test_commit_never_overwrites_a_record_it_finds(editor_client):
    recorded = ActorFactory(
        name="Clara Mifsud", kind="person", aliases=["C. Mifsud"], description="Port spokeswoman since 2019."
    )
    publisher = ActorFactory(name="Harbour Wire", kind="organization", aliases=["HW"])
    actor_names_rebuild()
    draft = post_draft(editor_client)
    assert draft["source"]["publisher"] == {"actor": str(publisher.pk)}  # named, and recorded
    assert commit(editor_client, draft).status_code == 200
    recorded.refresh_from_db()
    publisher.refresh_from_db()
    assert (recorded.aliases, recorded.description, recorded.version) == (
        ["C. Mifsud"],
        "Port spokeswoman since 2019.",
        1,
    )
    assert (publisher.aliases, publisher.version) == (["HW"], 1)


def test_the_seed_article_drafted_over_its_fixture_finds_what_is_recorded(editor_client):
    from django.core.management import call_command

    from tests.test_fixture_panjshir import ARTICLE as SEED_ARTICLE

    call_command("loaddata", "fixtures/panjshir.json", verbosity=0)
    actor_names_rebuild()
    draft = post_draft(
        editor_client,
        url="https://www.kurdistan24.net/en/story/25297-conflicting-claims-on-the-fall-of-panjshir-valley-arise-again",
        text=SEED_ARTICLE.read_text(encoding="utf-8"),
        published_at="2021-09-06",
        publisher="Kurdistan 24",
    )
    fall = str(Event.objects.get(title="Claimed fall of the Panjshir Valley to the Taliban").pk)
    announced = draft["statements"][0]
    assert announced["speaker"]["actor"] == str(Actor.objects.get(name="Zabihullah Mujahid").pk)
    assert announced["about"][0]["event"] == {"id": fall}
    victory = by_text(draft, "the victory")
    assert victory["about"][0]["event"] == {"id": fall}  # the sentence's event, not a new one
    denial = next(s for s in draft["statements"] if s["text"].startswith("Taliban’s claim of occupying"))
    assert denial["about"][0] == {"event": {"id": fall}, "stance": "refutes", "cue": "false"}
    assert denial["duplicate_of"] == str(
        Statement.objects.get(text__startswith="Taliban’s claim of occupying Panjshir is false").pk
    )
    assert draft["events"] == []
