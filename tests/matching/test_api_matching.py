"""Actor and statement matching: ranked candidates with a score and a decision."""

import datetime

import pytest
from django.core.management import call_command

from events.models import Actor
from matching.models import ActorName
from tests.api_cases import assert_problem, assert_validation_error
from tests.factories import ActorFactory, OrganizationFactory, StatementFactory

pytestmark = pytest.mark.django_db

ACTOR_MATCH = "/api/v1/actors/match/"
STATEMENT_MATCH = "/api/v1/statements/match/"
DUPLICATES = "/api/v1/actors/duplicates/"


@pytest.fixture
def spokesman():
    taliban = OrganizationFactory(name="Taliban")
    person = ActorFactory(name="Zabihullah Mujahid", aliases=["Zabihullah Mojaheed"])
    return taliban, person


def matched(client, **params) -> list[tuple[str, str]]:
    response = client.get(ACTOR_MATCH, params)
    assert response.status_code == 200, response.content
    return [(row["actor"]["name"], row["decision"]) for row in response.json()["results"]]


@pytest.mark.parametrize(
    "query",
    [
        "zabihullah mujahid",
        "Zabihullah Mujahid, spokesman of the Taliban",
        "Taliban spokesman Zabihullah Mujahid",
        "Mujahid, Zabihullah",
        "Zabihullah Mujahed",  # one transliteration change
        "Zabiullah Mujahid",  # -ullah / -ulla
        "Zabihullah Mojaheed",  # an alias
        "Zabíhulláh Mujáhid",
    ],
)
def test_normalisations_of_a_known_name_are_the_same_actor(api_client, spokesman, query):
    assert matched(api_client, name=query)[0] == ("Zabihullah Mujahid", "same")


def test_results_have_the_documented_shape_best_first(api_client, spokesman):
    ActorFactory(name="Omar Mujahid")
    body = api_client.get(ACTOR_MATCH, {"name": "Mojaheed"}).json()
    first = body["results"][0]
    assert set(first) == {"actor", "score", "matched_on", "decision"}
    assert set(first["actor"]) == {"id", "url", "name"}
    assert first["matched_on"] == "alias: Zabihullah Mojaheed"
    scores = [row["score"] for row in body["results"]]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < score <= 1 for score in scores)


def test_a_shared_surname_alone_is_not_the_same(api_client, spokesman):
    assert ("Zabihullah Mujahid", "same") not in matched(api_client, name="Omar Mujahid")


def test_handles_acronyms_and_kind(api_client):
    nrf = OrganizationFactory(name="National Resistance Front", external_ids={"twitter": "nrfafg"})
    ActorFactory(name="National Resistance Front", kind="person")
    assert matched(api_client, name="@NRFafg") == [(nrf.name, "same")]
    assert matched(api_client, name="@nrfafg2") == []
    assert matched(api_client, name="NRF", kind="organization") == [(nrf.name, "same")]
    assert matched(api_client, name="National Resistance Front", kind="person") == [
        ("National Resistance Front", "same")
    ]


def test_merged_and_deleted_actors_are_not_candidates(api_client):
    survivor = ActorFactory(name="Ahmad Massoud")
    ActorFactory(name="Ahmad Masoud", merged_into=survivor)
    gone = ActorFactory(name="Ahmad Masood")
    gone.tombstone()
    assert matched(api_client, name="Ahmad Massoud") == [("Ahmad Massoud", "same")]


def test_the_index_follows_renames_and_new_aliases(api_client):
    actor = ActorFactory(name="Fahim Dashty")
    actor.aliases = ["Fahim Dashti"]
    actor.save()
    assert set(ActorName.objects.filter(actor=actor).values_list("folded", flat=True)) == {
        "fahim dashty",
        "fahim dashti",
    }
    ActorName.objects.all().delete()
    call_command("matching_index", verbosity=0)
    assert ActorName.objects.filter(actor=actor).count() == 2


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 1001}, "name"),
        ({"name": "Ali", "kind": "robot"}, "kind"),
        ({"name": "Ali", "limit": "0"}, "limit"),
        ({"name": "Ali", "limit": "1000000"}, "limit"),
        ({"name": "Ali", "limit": "ten"}, "limit"),
    ],
)
def test_bad_actor_queries_are_400s_naming_the_parameter(api_client, params, field):
    assert_validation_error(api_client.get(ACTOR_MATCH, params), field)


# -- statements ---------------------------------------------------------------------------------

QUOTE = "Our fighters have taken full control of the district centre and every road around it."


@pytest.fixture
def quote():
    speaker = ActorFactory(name="Omar Haidari")
    statement = StatementFactory(text=QUOTE, speaker=speaker, stated_on=datetime.date(2021, 9, 5))
    StatementFactory(
        text="Our fighters have not taken the district centre; the roads are still contested.",
        speaker=speaker,
    )
    return statement


def statement_decisions(client, **body) -> dict[str, str]:
    response = client.post(STATEMENT_MATCH, body, format="json")
    assert response.status_code == 200, response.content
    return {row["statement"]["text"]: row["decision"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    "text",
    [
        QUOTE,
        "  our fighters have taken full control of the district centre and every road around it  ",
        "“Our fighters have taken full control of the district centre, and every road around it”",
        "Our fighters have taken full control … and every road around it.",
        "taken full control of the district centre",
    ],
)
def test_the_same_quote_however_published_is_the_same(api_client, quote, text):
    assert statement_decisions(api_client, text=text)[QUOTE] == "same"


def test_a_paraphrase_is_similar_and_a_denial_is_neither(api_client, quote):
    decisions = statement_decisions(
        api_client, text="Our fighters now control the district centre and all the roads around it."
    )
    assert decisions[QUOTE] == "similar"
    denial = statement_decisions(
        api_client, text="Our fighters have not taken the district centre or its roads."
    )
    assert QUOTE not in denial


def test_speaker_and_dates_narrow(api_client, quote):
    other = ActorFactory()
    assert statement_decisions(api_client, text=QUOTE, speaker=str(other.pk)) == {}
    assert statement_decisions(api_client, text=QUOTE, date_from="2021-09-06") == {}
    assert QUOTE in statement_decisions(
        api_client, text=QUOTE, speaker=str(quote.speaker_id), date_to="2021-09-05"
    )


def test_similar_lists_other_statements_not_itself(api_client, quote):
    copy = StatementFactory(text=QUOTE.upper())
    response = api_client.get(f"/api/v1/statements/{quote.pk}/similar/")
    assert response.status_code == 200
    ids = [row["statement"]["id"] for row in response.json()["results"]]
    assert ids[0] == str(copy.pk)
    assert str(quote.pk) not in ids
    assert_problem(api_client.get("/api/v1/statements/00000000-0000-0000-0000-000000000000/similar/"), 404)
    quote.tombstone()
    assert_problem(api_client.get(f"/api/v1/statements/{quote.pk}/similar/"), 410)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "text"),
        ({"text": ""}, "text"),
        ({"text": 5}, "text"),
        ({"text": "x", "speaker": "nobody"}, "speaker"),
        ({"text": "x", "date_from": "2021-13-01"}, "date_from"),
        ({"text": "x", "date_from": "2021-09-06", "date_to": "2021-09-01"}, "date_to"),
        ({"text": "x", "limit": 0}, "limit"),
        ({"text": "x", "limit": "ten"}, "limit"),
    ],
)
def test_bad_statement_queries_are_400s_naming_the_field(api_client, body, field):
    assert_validation_error(api_client.post(STATEMENT_MATCH, body, format="json"), field)


# -- duplicates ---------------------------------------------------------------------------------


def test_editors_get_likely_duplicate_pairs_page_by_page(api_client, editor_client):
    assert_problem(api_client.get(DUPLICATES), 401)
    first = ActorFactory(name="Zabihullah Mujahid")
    second = ActorFactory(name="Zabiullah Mujahed")
    OrganizationFactory(name="Zabihullah Mujahid")  # another kind: not a duplicate of the people
    third = ActorFactory(name="Fahim Dashty")
    fourth = ActorFactory(name="Dashty, Fahim")
    ActorFactory(name="Someone Unrelated")

    page = editor_client.get(DUPLICATES, {"page_size": 1}).json()
    assert set(page) == {"next", "previous", "results"}
    pairs = [{actor["id"] for actor in pair["actors"]} for pair in page["results"]]
    while page["next"]:
        page = editor_client.get(page["next"]).json()
        pairs += [{actor["id"] for actor in pair["actors"]} for pair in page["results"]]
    assert sorted(pairs, key=sorted) == sorted(
        [{str(first.pk), str(second.pk)}, {str(third.pk), str(fourth.pk)}], key=sorted
    )
    assert Actor.objects.count() == 6
    assert_validation_error(editor_client.get(DUPLICATES, {"cursor": "%%%"}), "cursor")


def test_a_speaker_must_be_an_id_string(api_client):
    assert_validation_error(
        api_client.post(STATEMENT_MATCH, {"text": "x", "speaker": False}, format="json"), "speaker"
    )


def test_seeded_actors_are_indexed_for_matching(api_client):
    call_command("seed_synthetic", events=50, seed=3, verbosity=0)
    actor = Actor.objects.filter(kind="person").order_by("name").first()
    assert ActorName.objects.filter(actor=actor).exists()
    assert matched(api_client, name=actor.name)[0] == (actor.name, "same")


def test_shared_ids_do_not_make_every_actor_a_duplicate(editor_client):
    ActorFactory(name="Amina Osman", external_ids={"twitter": "amina"})
    ActorFactory(name="Karim Saleh", external_ids={"wikidata": "Q1"})
    assert editor_client.get(DUPLICATES).json()["results"] == []
