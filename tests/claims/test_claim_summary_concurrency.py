"""Concurrent writers on the same events cannot leave a wrong claim summary (PostgreSQL).

Writer processes run rounds of one transaction each, all at once, on the same two events: a
statement with stances on both, a pause before commit so the transactions overlap, and now
and then a tombstone or a speaker change of an earlier statement. After every round the
stored summaries must equal the computed ones. Without the lock taken before
counting, a writer that waited would count from a snapshot missing the other's statement.
"""

import pytest
from django.db import connection

from claims.models import Statement, StatementEvent
from claims.selectors import claim_summary_drift
from events.models import Event
from tests.changes.processes import environment, finish, start_script, suite_database_url
from tests.factories import ActorFactory, EventFactory

WRITERS = 4
ROUNDS = 15

# One transaction per line read: all writers start together and their transactions overlap.
WRITER = """
import json, random, sys, time
from django.db import transaction
from simple_history.signals import post_create_historical_record
# The change feed's sequence serialises every write that makes a version; a writer that does
# not (raw rows from an importer) would not be, and is what this proves the lock for.
post_create_historical_record.disconnect(dispatch_uid="changes.change_record_from_history")
from claims.models import Statement, StatementEvent
from events.models import Actor, Event

first, second = (Event.objects.get(pk=pk) for pk in {events!r})
speakers = list(Actor.objects.filter(pk__in={speakers!r}))
print("ready", flush=True)
mine = []
for number, _ in enumerate(sys.stdin):
    with transaction.atomic():
        statement = Statement.objects.create(
            text=f"Writer {writer} statement {{number}}", speaker=random.choice(speakers),
            stated_on="2021-09-06",
        )
        StatementEvent.objects.bulk_create([
            StatementEvent(statement=statement, event=first, stance=random.choice(["supports", "refutes"])),
            StatementEvent(statement=statement, event=second, stance=random.choice(["supports", "neutral"])),
        ])
        time.sleep(random.random() * 0.01)
        if mine and random.random() < 0.3:
            earlier = Statement.all_objects.get(pk=random.choice(mine))
            if earlier.deleted_at is None:
                earlier.tombstone()
        elif mine and random.random() < 0.3:
            earlier = Statement.all_objects.get(pk=random.choice(mine))
            earlier.speaker = random.choice(speakers)
            earlier.save()
        time.sleep(random.random() * 0.005)
    mine.append(str(statement.pk))
    print("done", flush=True)
"""


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_on_the_same_events_leave_the_right_summary(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time; the concurrent-writer proof needs PostgreSQL")
    events = [str(EventFactory().pk) for _ in range(2)]
    speakers = [str(ActorFactory().pk) for _ in range(3)]
    env = environment(suite_database_url(tmp_path), tmp_path)
    writers = [
        start_script(WRITER.format(writer=number, events=events, speakers=speakers), env)
        for number in range(WRITERS)
    ]
    for writer in writers:
        assert writer.stdout.readline().strip() == "ready", writer.stderr.read()
    for round_number in range(ROUNDS):
        for writer in writers:
            writer.stdin.write("go\n")
            writer.stdin.flush()
        for writer in writers:
            assert writer.stdout.readline().strip() == "done", writer.stderr.read()
        assert list(claim_summary_drift()) == [], f"drift after round {round_number}"
    for writer in writers:
        finish(writer)  # closes stdin: the writer's loop ends

    assert Statement.all_objects.count() == WRITERS * ROUNDS
    first = Event.objects.get(pk=events[0])
    live = StatementEvent.objects.filter(event=first, statement__deleted_at__isnull=True)
    assert first.statement_count == live.count() > 0
    assert first.supporting_count + first.refuting_count == first.statement_count
