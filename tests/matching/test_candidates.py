"""How ``actor_matches`` finds its candidates: exact keys first, then the words of names, then
trigram similarity, each lookup only while the ones before it leave room for better answers."""

import pytest
from django.core.management import call_command

from matching.models import ActorName, ActorNameWord
from matching.scoring import name_forms, score_name
from matching.selectors import actor_matches
from tests.factories import ActorFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def names(matches) -> list[str]:
    return [match.actor.name for match in matches]


def test_enough_actors_of_the_same_name_take_their_spellings_and_a_page(django_assert_num_queries):
    for _ in range(3):
        ActorFactory(name="Ahmad Dashty")
    ActorFactory(name="Ahmad Dashti")
    with django_assert_num_queries(2):
        found = actor_matches(name="Ahmad Dashty", limit=2)
    assert [match.score for match in found] == [1.0, 1.0]


def test_a_surname_alone_finds_its_names_through_the_word_index(django_assert_num_queries):
    for given in ("Ahmad", "Fahim", "Omar"):
        ActorFactory(name=f"{given} Dashty")
    ActorFactory(name="Fahim Rahimi")
    # The spellings of the same words and skeleton (none), the word index: no trigram search.
    with django_assert_num_queries(2):
        found = actor_matches(name="Dashty", limit=3)
    assert names(found) == ["Ahmad Dashty", "Fahim Dashty", "Omar Dashty"]
    assert {match.decision for match in found} == {"similar"}


def test_a_spelling_variant_of_a_surname_is_found_by_its_skeleton():
    ActorFactory(name="Zabihullah Mujahid")
    found = actor_matches(name="Mojaheed")
    assert names(found) == ["Zabihullah Mujahid"]
    assert found[0].matched_on == "name: Zabihullah Mujahid"


def test_exact_names_rank_above_the_names_a_word_is_part_of():
    ActorFactory(name="Ahmad Shah Massoud")
    ActorFactory(name="Ahmad Massoud")
    ActorFactory(name="Ahmad Masood")
    found = actor_matches(name="Ahmad Massoud")
    assert names(found)[:2] == ["Ahmad Massoud", "Ahmad Masood"]
    assert "Ahmad Shah Massoud" in names(found)
    assert [match.score for match in found] == sorted((match.score for match in found), reverse=True)


def test_a_spelling_hundreds_share_costs_a_page_of_rows(django_assert_num_queries):
    for number in range(30):
        ActorFactory(name=f"Actor {number}", aliases=["Ahmad Deshty"])
    ActorFactory(name="Ahmad Dashty")
    with django_assert_num_queries(3):  # the spellings; a page of the same words; one of 0.95
        found = actor_matches(name="Ahmad Dashty", limit=5)
    assert [match.actor.name for match in found][:1] == ["Ahmad Dashty"]
    assert [match.matched_on for match in found[1:]] == ["alias: Ahmad Deshty"] * 4
    assert [match.score for match in found[1:]] == [0.95] * 4


def test_matches_hold_live_actors_whose_other_fields_load_when_read():
    actor = ActorFactory(name="Ahmad Dashty", kind="person", aliases=["A. Dashty"])
    (match,) = actor_matches(name="Ahmad Dashty")
    assert (match.actor.pk, match.actor.name, match.actor.aliases, match.actor.kind) == (
        actor.pk,
        "Ahmad Dashty",
        ["A. Dashty"],
        "person",
    )


def test_a_misspelling_no_skeleton_catches_is_still_found():
    ActorFactory(name="Zabihullah Mujahid")
    # k for d changes the skeleton: only the similarity search finds it.
    assert names(actor_matches(name="Zabihullah Mujahik")) == ["Zabihullah Mujahid"]


def test_an_acronym_scores_below_the_same_words():
    OrganizationFactory(name="National Resistance Front")
    OrganizationFactory(name="Nrf")
    found = actor_matches(name="NRF")
    assert [(match.actor.name, match.score) for match in found] == [
        ("Nrf", 1.0),
        ("National Resistance Front", 0.96),
    ]


def test_every_word_of_names_and_aliases_is_indexed_once_and_follows_saves():
    actor = ActorFactory(name="Fahim Dashty", aliases=["Dashty Fahim Dashty"], external_ids={"twitter": "fd"})
    assert sorted(ActorNameWord.objects.filter(name__actor=actor).values_list("skeleton", flat=True)) == [
        "dst",
        "dst",
        "fm",
        "fm",
    ]
    actor.name, actor.aliases = "Fahim Rahimi", []
    actor.save()
    assert sorted(ActorNameWord.objects.filter(name__actor=actor).values_list("skeleton", flat=True)) == [
        "fm",
        "rm",
    ]
    assert actor_matches(name="Dashty") == []


def test_the_rebuild_writes_the_words_again_and_a_deleted_actor_takes_its_words():
    actor = ActorFactory(name="Fahim Dashty")
    ActorNameWord.objects.all().delete()
    ActorName.objects.all().delete()
    call_command("matching_index", verbosity=0)
    assert ActorNameWord.objects.filter(name__actor=actor).count() == 2
    assert names(actor_matches(name="Dashty")) == ["Fahim Dashty"]
    actor.delete()
    assert not ActorNameWord.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        "Zabihullah Mujahid",
        "Mujahid, Zabihullah",
        "Zabihullah Mujahed",
        "Zabiullah Mojaheed",
        "Mojaheed",
        "Z. Mujahid",
        "NRF",
        "National Resistance",
        "Alshabaab",
        "Ahmad Shah",
    ],
)
def test_scores_and_matched_on_are_what_the_evaluation_scores(query):
    """The endpoint scores index rows; ``make eval-matching`` scores names: the two agree."""
    actors = [
        ActorFactory(name="Zabihullah Mujahid", aliases=["Zabihullah Mojaheed", "Mujahid"]),
        OrganizationFactory(name="National Resistance Front", aliases=["NRF", "Jabha-e Moqawemat"]),
        OrganizationFactory(name="Al-Shabaab"),
        ActorFactory(name="Ahmad Shah Massoud", aliases=["Massoud, Ahmad Shah"]),
    ]
    expected = {}
    for actor in actors:
        scored = score_name(query, name_forms(actor.name, actor.aliases, kind=actor.kind), {})
        if scored.score >= 0.6:
            expected[actor.name] = (scored.score, scored.matched_on)
    found = {match.actor.name: (match.score, match.matched_on) for match in actor_matches(name=query)}
    # Candidates come from indexes, so a far-fetched pair at the threshold may not be among
    # them; every one that is has the evaluation's score, and the evaluation's best is there.
    assert found == {name: expected[name] for name in found}
    assert max(expected, key=lambda name: expected[name][0]) in found


def test_the_fast_answer_is_the_serializers(rf):
    from eventsapi.api.renderers import ORJSONRenderer
    from matching.api.fast import actor_matches_answer
    from matching.api.serializers import ActorMatchesSerializer

    ActorFactory(name="Zabihullah Mujahid", aliases=["Zabihullah Mojaheed"])
    OrganizationFactory(name="Taliban")
    matches = actor_matches(name="Mojaheed") + actor_matches(name="Taliban")
    request = rf.get("/api/v1/actors/match/")
    slow = ActorMatchesSerializer({"results": matches}, context={"request": request}).data
    assert len(matches) == 2
    render = ORJSONRenderer().render
    assert render(actor_matches_answer(matches, request)) == render(slow)


def test_a_handle_is_one_lookup_of_live_actors(django_assert_num_queries):
    nrf = OrganizationFactory(
        name="National Resistance Front", external_ids={"twitter": "NRFafg", "x": "nrfafg"}
    )
    gone = OrganizationFactory(name="NRF (old)", external_ids={"twitter": "nrfafg"})
    gone.tombstone()
    with django_assert_num_queries(1):
        found = actor_matches(name="@nrfafg")
    assert [(match.actor.pk, match.score, match.matched_on) for match in found] == [
        (nrf.pk, 1.0, "external id: twitter:NRFafg")
    ]
    assert [match.actor.name for match in actor_matches(name="x:NRFAFG")] == [nrf.name]
    assert actor_matches(name="@nrfafg", kind="person") == []


def test_the_fast_statement_answer_is_the_serializers(rf):
    from eventsapi.api.renderers import ORJSONRenderer
    from matching.api.fast import statement_matches_answer
    from matching.api.serializers import StatementMatchesSerializer
    from matching.selectors import statement_matches
    from tests.factories import StatementFactory

    StatementFactory(text="The valley has not fallen.")
    StatementFactory(text="The valley has not fallen, said the spokesman of the front.")
    matches = statement_matches(text="the valley has not fallen")
    request = rf.get("/api/v1/statements/match/")
    slow = StatementMatchesSerializer({"results": matches}, context={"request": request}).data
    assert len(matches) == 2
    render = ORJSONRenderer().render
    assert render(statement_matches_answer(matches, request)) == render(slow)


@pytest.mark.parametrize(
    ("known", "query"),
    [
        ("ذبيح الله مجاهد", "Zabihullah Mujahid"),
        ("Muqtada al-Sadr", "مقتدى الصدر"),
        ("امیر خان متقی", "Amir Khan Muttaqi"),
    ],
)
def test_a_name_in_arabic_script_and_its_latin_spelling_are_similar(known, query):
    actor = ActorFactory(name=known)
    ActorFactory(name="Mahmoud Massoud")
    (match,) = actor_matches(name=query)
    assert (match.actor.pk, match.decision) == (actor.pk, "similar")
    assert match.score == score_name(query, name_forms(known, []), {}).score == 0.8


@pytest.mark.parametrize(
    ("text", "romanised"),
    [("ذبيح الله مجاهد", True), ("Мухаммед", True), ("Zabíhulláh Mujáhid", False), ("Łukasz Ødegård", False)],
)
def test_only_letters_of_another_script_than_latin_are_romanised(text, romanised):
    from matching.scoring import NameForm

    assert NameForm.of("name", text).romanised is romanised


def test_a_title_inside_a_name_is_a_part_of_it():
    from matching.text import name_words

    assert name_words("Hassan Sheikh Mohamud") == ["mohamud"]
    assert name_words("Hassan Sheikh Mohamud", titles_inside=True) == ["hassan", "sheikh", "mohamud"]
    # Before a name, or after an office, a title is only a title.
    for title_first in ("Sheikh Hassan Nasrallah", "Hezbollah leader Sheikh Hassan Nasrallah"):
        assert name_words(title_first, titles_inside=True) == ["hassan", "nasrallah"]
    assert name_words("Taliban spokesman Zabihullah Mujahid", titles_inside=True) == ["zabihullah", "mujahid"]


def test_the_first_words_of_a_name_with_its_title_inside_are_part_of_it():
    actor = ActorFactory(name="Hassan Sheikh Mohamud")
    ActorFactory(name="Hassan Ali Khaire")
    (match,) = [match for match in actor_matches(name="Hassan Sheikh") if match.actor.pk == actor.pk]
    assert (match.decision, match.matched_on) == ("similar", "name: Hassan Sheikh Mohamud")
    assert match.score == score_name("Hassan Sheikh", name_forms(actor.name, [], kind="person"), {}).score


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("MBS", "Mohammed bin Salman"),
        ("MBZ", "Mohamed bin Zayed Al Nahyan"),
        ("HSM", "Hassan Sheikh Mohamud"),
    ],
)
def test_a_persons_initials_find_them_for_a_person_to_confirm(query, name):
    actor = ActorFactory(name=name, kind="person")
    ActorFactory(name="Mohammed Salman", kind="person")
    (match,) = actor_matches(name=query)
    assert (match.actor.pk, match.score, match.decision) == (actor.pk, 0.7, "similar")
    assert match.matched_on == f"name: {name}"
    assert score_name(query, name_forms(name, [], kind="person"), {}).score == 0.7


def test_two_initials_are_too_few_for_a_person():
    ActorFactory(name="Joe Biden", kind="person")
    assert score_name("JB", name_forms("Joe Biden", [], kind="person"), {}).score < 0.6
    assert actor_matches(name="JB") == []


def test_a_burmese_name_romanised_meets_its_latin_spelling():
    actor = ActorFactory(name="Min Aung Hlaing", aliases=[])
    (match,) = actor_matches(name="မင်းအောင်လှိုင်")
    assert (match.actor.pk, match.score) == (actor.pk, 0.8)
