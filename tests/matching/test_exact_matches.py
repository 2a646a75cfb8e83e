"""``actor_exact_matches``: many names looked up at once by folded name and skeleton, and the
trigram search's index hint that does not outlive its query."""

import pytest
from django.db import connection, transaction

from matching.selectors import _through_trigram_index, actor_exact_matches, actor_matches
from matching.services import actor_names_rebuild
from tests.factories import ActorFactory

pytestmark = pytest.mark.django_db


def test_many_names_in_two_queries_ranked_as_actor_matches_ranks(django_assert_max_num_queries):
    mujahid = ActorFactory(name="Zabihullah Mujahid", aliases=["Zabihullah Mojaheed"], kind="person")
    nrf = ActorFactory(name="National Resistance Front", aliases=["NRF"], kind="organization")
    ActorFactory(name="Somebody Else", kind="person")
    actor_names_rebuild()
    names = ["Zabihullah Mojaheed", "Zabihulla Mujahed", "NRF", "Nobody Known"]
    with django_assert_max_num_queries(2):
        found = actor_exact_matches(names=names)
    assert [match.actor for match in found["Zabihullah Mojaheed"]] == [mujahid]
    assert found["Zabihullah Mojaheed"][0].decision == "same"
    # The consonant skeleton is the same: a different spelling of the same name.
    assert [match.actor for match in found["Zabihulla Mujahed"]] == [mujahid]
    assert [match.actor for match in found["NRF"]] == [nrf]
    assert found["Nobody Known"] == []
    for name in names:
        exact = [(m.actor, m.score) for m in actor_matches(name=name, exact_only=True)]
        assert [(m.actor, m.score) for m in found[name]] == exact


def test_merged_actors_are_never_matched():
    survivor = ActorFactory(name="Ali Maisam Nazary", kind="person")
    ActorFactory(name="Ali Nazary", kind="person", merged_into=survivor)
    actor_names_rebuild()
    assert actor_exact_matches(names=["Ali Nazary"]) == {"Ali Nazary": []}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL planner setting")
def test_the_index_hint_lasts_for_its_query_only():
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"
        seen = _through_trigram_index("default", lambda: _setting(cursor))
        assert seen == "off"
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"


def _setting(cursor) -> str:
    cursor.execute("SHOW enable_seqscan")
    return cursor.fetchone()[0]
