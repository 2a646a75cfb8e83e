"""The matching index's migrations upgrade a database that holds actors and statements: its
rows rebuilt in the new columns (PostgreSQL refuses to index a table in the transaction that
wrote rows into it with checks pending, so the rebuild is a migration of its own)."""

import pytest
from django.core.management import call_command

from matching.models import ActorName, ActorNameWord, StatementKeys
from matching.selectors import actor_matches
from tests.factories import ActorFactory, StatementFactory


@pytest.mark.django_db(transaction=True)
def test_an_upgrade_from_before_the_word_index_rebuilds_it():
    actor = ActorFactory(name="ذبيح الله مجاهد", aliases=["Zabihullah Mojaheed"])
    StatementFactory(speaker=actor, text="The valley has not fallen.")
    call_command("migrate", "matching", "0003", verbosity=0)
    call_command("migrate", verbosity=0)
    assert ActorName.objects.filter(actor=actor, romanised=True).count() == 1
    assert ActorNameWord.objects.filter(name__actor=actor).exists()
    assert StatementKeys.objects.count() == 1
    assert [match.actor.pk for match in actor_matches(name="Zabihullah Mujahid")] == [actor.pk]


@pytest.mark.django_db(transaction=True)
def test_an_upgrade_from_before_persons_initials_indexes_them():
    actor = ActorFactory(name="Mohammed bin Salman", kind="person")
    call_command("migrate", "matching", "0007", verbosity=0)
    ActorName.objects.filter(form="initials").delete()  # as 0007 left an index: no such rows
    call_command("migrate", verbosity=0)
    assert list(ActorName.objects.filter(actor=actor, form="initials").values_list("folded", flat=True)) == [
        "mbs"
    ]
    assert [match.actor.pk for match in actor_matches(name="MBS")] == [actor.pk]
