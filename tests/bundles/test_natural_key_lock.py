"""Two writers upserting under the same natural key are serialised (PostgreSQL).

Without the lock, both could find nothing and both create the record. Each thread here has a
connection of its own: the first takes the key's lock in an open transaction, and the second
cannot take it until the first commits.
"""

import threading

import pytest
from django.db import OperationalError, connection, connections, transaction

from bundles.natural_keys import NaturalKey, natural_key_lock
from events.models import Actor

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite runs one writer at a time"),
]

KEY = NaturalKey(model=Actor, values=(("kind", "person"), ("name", "Omar Haidari")))
OTHER = NaturalKey(model=Actor, values=(("kind", "person"), ("name", "Someone Else")))


def _try_lock(key: NaturalKey, outcome: list) -> None:
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '300ms'")
            natural_key_lock(key)
            outcome.append("locked")
    except OperationalError:
        outcome.append("waited")
    finally:
        connections.close_all()


def _in_thread(key: NaturalKey) -> str:
    outcome: list = []
    thread = threading.Thread(target=_try_lock, args=(key, outcome))
    thread.start()
    thread.join(timeout=10)
    return outcome[0]


def test_a_second_writer_waits_for_the_first_on_the_same_key():
    with transaction.atomic():
        natural_key_lock(KEY)
        assert _in_thread(KEY) == "waited"
        assert _in_thread(OTHER) == "locked"
    assert _in_thread(KEY) == "locked"


def test_names_differing_in_case_and_spacing_are_the_same_key():
    spelled = NaturalKey(model=Actor, values=(("kind", "person"), ("name", " omar  HAIDARI ")))
    with transaction.atomic():
        natural_key_lock(KEY)
        assert _in_thread(spelled) == "waited"
