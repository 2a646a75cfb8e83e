"""The claim summary stored on events follows every write that can change it.

``statement_count``, ``supporting_count``, ``refuting_count`` and ``contested`` are columns
the database keeps (claims/claim_summary.py). Each test writes through one path and
compares the stored figures with the expectation and with ``computed_claim_summaries``.
"""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims import claim_summary
from claims.models import Stance, Statement, StatementEvent
from claims.selectors import EMPTY_SUMMARY, claim_summary_drift, computed_claim_summaries
from events.models import CLAIM_SUMMARY_FIELDS, Event
from events.services import actor_merge
from eventsapi.services import resource_restore, resource_tombstone
from tests.factories import ActorFactory, EventFactory, StanceFactory, StatementFactory

pytestmark = pytest.mark.django_db


def stored(event: Event) -> dict:
    return Event.all_objects.filter(pk=event.pk).values(*CLAIM_SUMMARY_FIELDS).get()


def computed(event: Event) -> dict:
    row = next(iter(computed_claim_summaries(event_ids=[event.pk])), None)
    return {name: row[name] for name in CLAIM_SUMMARY_FIELDS} if row else EMPTY_SUMMARY


def summary(statements: int = 0, supporting: int = 0, refuting: int = 0, contested: bool = False) -> dict:
    return {
        "statement_count": statements,
        "supporting_count": supporting,
        "refuting_count": refuting,
        "contested": contested,
    }


def assert_summary(event: Event, expected: dict) -> None:
    assert stored(event) == expected
    assert computed(event) == expected


def statement_body(event: Event, speaker, stance: str = "supports") -> dict:
    return {
        "text": "Residents reported shelling overnight.",
        "language": "en",
        "speaker": str(speaker.pk),
        "stated_on": "2021-09-06",
        "about": [{"event": str(event.pk), "stance": stance}],
    }


class TestThroughTheAPI:
    def test_a_new_event_has_an_empty_summary(self, editor_client):
        response = editor_client.post(
            "/api/v1/events/", {"title": "Shelling", "event_type": "battle", "start_date": "2021-09-05"}
        )

        assert response.status_code == 201, response.json()
        assert {name: response.json()[name] for name in CLAIM_SUMMARY_FIELDS} == summary()

    def test_statements_from_two_sides_make_the_event_contested(self, editor_client):
        event = EventFactory()
        taliban, nrf = ActorFactory(), ActorFactory()

        editor_client.post("/api/v1/statements/", statement_body(event, taliban, "supports"))
        assert_summary(event, summary(1, 1, 0))
        editor_client.post("/api/v1/statements/", statement_body(event, nrf, "refutes"))

        assert_summary(event, summary(2, 1, 1, contested=True))
        body = editor_client.get(f"/api/v1/events/{event.pk}/").json()
        assert {name: body[name] for name in CLAIM_SUMMARY_FIELDS} == summary(2, 1, 1, contested=True)

    def test_one_speaker_on_both_sides_is_not_contested(self, editor_client):
        event, speaker = EventFactory(), ActorFactory()

        editor_client.post("/api/v1/statements/", statement_body(event, speaker, "supports"))
        editor_client.post("/api/v1/statements/", statement_body(event, speaker, "refutes"))

        assert_summary(event, summary(2, 1, 1, contested=False))

    def test_neutral_statements_count_but_take_no_side(self, editor_client):
        event = EventFactory()

        editor_client.post("/api/v1/statements/", statement_body(event, ActorFactory(), "neutral"))

        assert_summary(event, summary(1, 0, 0))

    def test_changing_about_moves_the_counts_between_events(self, editor_client):
        first, second = EventFactory(), EventFactory()
        created = editor_client.post("/api/v1/statements/", statement_body(first, ActorFactory())).json()

        response = editor_client.patch(
            f"/api/v1/statements/{created['id']}/",
            {"about": [{"event": str(second.pk), "stance": "refutes"}]},
        )

        assert response.status_code == 200, response.json()
        assert_summary(first, summary())
        assert_summary(second, summary(1, 0, 1))

    def test_changing_the_speaker_can_settle_a_contest(self, editor_client):
        event = EventFactory()
        supporter, refuter = ActorFactory(), ActorFactory()
        editor_client.post("/api/v1/statements/", statement_body(event, supporter, "supports"))
        refuting = editor_client.post("/api/v1/statements/", statement_body(event, refuter, "refutes")).json()
        assert stored(event)["contested"] is True

        editor_client.patch(f"/api/v1/statements/{refuting['id']}/", {"speaker": str(supporter.pk)})

        assert_summary(event, summary(2, 1, 1, contested=False))

    def test_a_tombstoned_statement_stops_counting_and_counts_again_once_restored(self, editor_client):
        event = EventFactory()
        editor_client.post("/api/v1/statements/", statement_body(event, ActorFactory(), "supports"))
        refuting = editor_client.post("/api/v1/statements/", statement_body(event, ActorFactory(), "refutes"))

        assert editor_client.delete(f"/api/v1/statements/{refuting.json()['id']}/").status_code == 204
        assert_summary(event, summary(1, 1, 0))

        resource_restore(resource=Statement.all_objects.get(pk=refuting.json()["id"]))
        assert_summary(event, summary(2, 1, 1, contested=True))

    def test_an_event_update_never_writes_back_an_old_summary(self, editor_client):
        event = EventFactory()
        stale = Event.objects.get(pk=event.pk)
        StanceFactory(event=event)

        stale.title = "Renamed"
        stale.save()
        response = editor_client.patch(f"/api/v1/events/{event.pk}/", {"summary": "Edited."})

        assert response.status_code == 200
        assert_summary(event, summary(1, 1, 0))
        assert response.json()["statement_count"] == 1

    def test_the_summary_is_not_part_of_an_events_versions(self, editor_client):
        event = EventFactory(title="Shelling")
        StanceFactory(event=event)

        editor_client.patch(f"/api/v1/events/{event.pk}/", {"title": "Shelling in Bazarak"})

        history = editor_client.get(f"/api/v1/events/{event.pk}/history/").json()["results"]
        assert [change["field"] for change in history[0]["changes"]] == ["title"]
        assert not set(CLAIM_SUMMARY_FIELDS) & {field.name for field in Event.history.model._meta.fields}


class TestOtherWritePaths:
    def test_an_actor_merge_can_make_an_event_uncontested(self):
        event = EventFactory()
        duplicate, survivor = ActorFactory(), ActorFactory()
        StanceFactory(event=event, statement__speaker=survivor, stance=Stance.SUPPORTS)
        StanceFactory(event=event, statement__speaker=duplicate, stance=Stance.REFUTES)
        assert stored(event)["contested"] is True

        actor_merge(merged=duplicate, into=survivor)

        assert_summary(event, summary(2, 1, 1, contested=False))

    def test_a_model_level_tombstone_and_a_bulk_delete_count(self):
        event = EventFactory()
        statement = StanceFactory(event=event).statement
        StanceFactory(event=event, stance=Stance.REFUTES)

        resource_tombstone(resource=statement)
        assert_summary(event, summary(1, 0, 1))
        StatementEvent.objects.filter(event=event).delete()
        assert_summary(event, summary())

    def test_a_bulk_update_of_stances_counts(self):
        event = EventFactory()
        StanceFactory(event=event, statement__speaker=ActorFactory())
        StanceFactory(event=event, statement__speaker=ActorFactory())

        StatementEvent.objects.filter(event=event).update(stance=Stance.REFUTES)

        assert_summary(event, summary(2, 0, 2))

    def test_the_panjshir_fixture_loads_with_its_summaries(self):
        call_command("loaddata", "panjshir", verbosity=0)

        assert list(claim_summary_drift()) == []
        assert Event.objects.filter(contested=True).exists()


class TestBulkLoads:
    def test_seed_synthetic_leaves_every_summary_right(self):
        call_command("seed_synthetic", events=60, seed=3, verbosity=0)

        assert list(claim_summary_drift()) == []
        assert Event.objects.filter(contested=True).exists()
        assert Event.objects.filter(statement_count__gt=0).count() == 60

    def test_refresh_all_recounts_wrong_and_stale_rows_and_changes_no_other(self):
        counted = StanceFactory(stance=Stance.REFUTES).event
        untouched = StanceFactory().event
        empty = EventFactory()
        Event.objects.filter(pk=counted.pk).update(refuting_count=0, statement_count=5)
        Event.objects.filter(pk=empty.pk).update(statement_count=2, contested=True)

        assert claim_summary.refresh_all() == 2

        assert_summary(counted, summary(1, 0, 1))
        assert_summary(empty, summary())
        assert_summary(untouched, summary(1, 1, 0))

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(stances=st.lists(st.tuples(st.sampled_from(Stance.values), st.integers(0, 2)), max_size=6))
    def test_figures_for_a_new_event_follow_the_databases_rule(self, stances):
        # The bulk import writes a new event's summary from figures(); the triggers' rule decides.
        speakers = [ActorFactory() for _ in range(3)]
        event = EventFactory()
        for stance, speaker in stances:
            StanceFactory(statement=StatementFactory(speaker=speakers[speaker]), event=event, stance=stance)

        assert claim_summary.figures((stance, speakers[speaker].pk) for stance, speaker in stances) == stored(
            event
        )

    def test_refreshed_once_refreshes_the_events_it_is_given_after_the_block(self):
        event = EventFactory()
        statement = StatementFactory()

        with claim_summary.refreshed_once({event.pk}):
            StatementEvent.objects.create(statement=statement, event=event, stance=Stance.REFUTES)

        assert_summary(event, summary(1, 0, 1))


class TestTheCommand:
    def test_check_passes_when_every_summary_is_right(self):
        StanceFactory()
        out = io.StringIO()

        call_command("claim_summary", "--check", stdout=out)

        assert "matches" in out.getvalue()

    def test_check_reports_drift_and_repair_fixes_it(self):
        event = StanceFactory().event
        Event.objects.filter(pk=event.pk).update(statement_count=7, contested=True)
        out = io.StringIO()

        with pytest.raises(CommandError, match="1 event"):
            call_command("claim_summary", "--check", stdout=out)
        assert f"event {event.pk}: statement_count 7 -> 1, contested True -> False" in out.getvalue()

        call_command("claim_summary", "--repair", stdout=out)
        assert "Repaired 1 event" in out.getvalue()
        assert_summary(event, summary(1, 1, 0))
        call_command("claim_summary", "--check", stdout=io.StringIO())


# Random sequences of writes: the stored summary must equal the computed one after each.
SPEAKERS, EVENTS = 3, 2
writes = st.lists(
    st.one_of(
        st.tuples(
            st.just("create"),
            st.integers(0, SPEAKERS - 1),
            st.lists(
                st.tuples(st.integers(0, EVENTS - 1), st.sampled_from(Stance.values)),
                max_size=EVENTS,
                unique_by=lambda link: link[0],
            ),
        ),
        st.tuples(st.just("speaker"), st.integers(0, 50), st.integers(0, SPEAKERS - 1)),
        st.tuples(st.just("stance"), st.integers(0, 50), st.sampled_from(Stance.values)),
        st.tuples(st.just("tombstone"), st.integers(0, 50)),
        st.tuples(st.just("restore"), st.integers(0, 50)),
        st.tuples(st.just("unlink"), st.integers(0, 50)),
    ),
    max_size=12,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=writes)
def test_random_sequences_of_writes_keep_the_stored_summary_right(sequence):
    speakers = [ActorFactory() for _ in range(SPEAKERS)]
    events = [EventFactory() for _ in range(EVENTS)]
    statements: list[Statement] = []
    for write in sequence:
        kind, *args = write
        if kind == "create":
            statement = StatementFactory(speaker=speakers[args[0]])
            for event_index, stance in args[1]:
                StanceFactory(statement=statement, event=events[event_index], stance=stance)
            statements.append(statement)
            continue
        if not statements:
            continue
        statement = Statement.all_objects.get(pk=statements[args[0] % len(statements)].pk)
        if kind == "speaker":
            statement.speaker = speakers[args[1]]
            statement.save()
        elif kind == "stance":
            StatementEvent.objects.filter(statement=statement).update(stance=args[1])
        elif kind == "tombstone" and statement.deleted_at is None:
            statement.tombstone()
        elif kind == "restore":
            resource_restore(resource=statement)
        elif kind == "unlink":
            StatementEvent.objects.filter(statement=statement).delete()
        for event in events:
            assert stored(event) == computed(event), (write, event)
    assert list(claim_summary_drift()) == []
