"""The proof of "never a missed change": concurrent writer processes against a polling reader.

Each writer process runs many short transactions that create a place and update it, with a
random pause between its first change and its commit, so transactions overlap and finish
out of order. Meanwhile the test polls the feed with ``after=<last seq seen>``, as a client
would. At the end what the reader collected must be exactly what was written: every
change, none twice, in seq order.
"""

import json

import pytest
from django.db import connection
from rest_framework.test import APIClient

from changes.models import Change
from tests.changes.processes import environment, finish, start_script, suite_database_url

WRITERS = 4
TRANSACTIONS = 25

WRITER = """
import json, random, sys, time
from django.db import transaction
from events.models import Place

print("ready", flush=True)
sys.stdin.readline()
written = []
for number in range({transactions}):
    with transaction.atomic():
        place = Place.objects.create(name=f"Writer {writer} place {{number}}", kind="locality")
        time.sleep(random.random() * 0.004)
        place.name += " (renamed)"
        place.save()
    written.append(str(place.pk))
    time.sleep(random.random() * 0.002)
print(json.dumps(written), flush=True)
"""


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_poller_sees_every_change_of_concurrent_writers_once_and_in_order(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time; the concurrent-writer proof needs PostgreSQL")
    env = environment(suite_database_url(tmp_path), tmp_path)
    writers = [
        start_script(WRITER.format(writer=number, transactions=TRANSACTIONS), env)
        for number in range(WRITERS)
    ]
    for writer in writers:
        assert writer.stdout.readline().strip() == "ready", writer.stderr.read()
    for writer in writers:
        writer.stdin.write("go\n")
        writer.stdin.flush()

    reader, collected, last_seq, polls_with_news = APIClient(), [], 0, 0
    while True:
        writing = any(writer.poll() is None for writer in writers)
        page = reader.get("/api/v1/changes/", {"after": last_seq, "limit": 7}).json()
        collected += page["results"]
        last_seq = page["last_seq"]
        polls_with_news += bool(page["results"])
        if not writing and not page["results"]:
            break

    written = [json.loads(finish(writer)) for writer in writers]
    seqs = [entry["seq"] for entry in collected]
    assert seqs == sorted(set(seqs)), "entries repeated or out of order"
    assert seqs == list(Change.objects.order_by("seq").values_list("seq", flat=True)), "entries missed"
    expected = {(place, 1, "created") for ids in written for place in ids} | {
        (place, 2, "updated") for ids in written for place in ids
    }
    assert len(expected) == WRITERS * TRANSACTIONS * 2
    assert {(entry["id"], entry["version"], entry["action"]) for entry in collected} == expected
    assert len(collected) == len(expected)
    assert polls_with_news > 3, "the reader should have polled while the writers were writing"
