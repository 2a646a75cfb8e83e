"""``children_replace``: the one rule for replacing a parent's child rows, outside the API."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from events.models import Participant
from eventsapi.services import ItemErrors, children_replace
from tests.factories import ActorFactory, EventFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def replace_participants(event, rows):
    return children_replace(
        parent=event, field="participants", child_model=Participant, parent_field="event", rows=rows
    )


def test_replaces_the_old_rows_with_the_new_ones():
    event = EventFactory()
    old = ParticipantFactory(event=event)
    actor = ActorFactory()

    created = replace_participants(event, [{"actor": actor, "role": "target"}])

    assert [(row.actor_id, row.role) for row in event.participants.all()] == [(actor.pk, "target")]
    assert [row.pk for row in created] == [row.pk for row in event.participants.all()]
    assert not Participant.objects.filter(pk=old.pk).exists()


def test_sending_the_same_rows_again_is_not_a_conflict_with_the_old_ones():
    event = EventFactory()
    row = ParticipantFactory(event=event)

    replace_participants(event, [{"actor": row.actor, "role": row.role}])

    assert event.participants.count() == 1


def test_errors_name_the_item_and_leave_the_old_rows_in_place():
    event = EventFactory()
    kept = ParticipantFactory(event=event)
    actor = ActorFactory()
    rows = [
        {"actor": actor, "role": "target"},
        {"actor": actor, "role": "not-a-role"},
        {"actor": actor, "role": "target"},
    ]

    with pytest.raises(ItemErrors) as caught:
        replace_participants(event, rows)

    error = caught.value
    assert isinstance(error, ValidationError)
    assert error.field == "participants"
    assert error.items[0] == {}
    assert list(error.items[1]) == ["role"]
    assert [item.code for item in error.items[2][NON_FIELD_ERRORS]] == ["unique"]
    assert "Duplicates an earlier entry of this list." in error.messages
    assert list(event.participants.values_list("pk", flat=True)) == [kept.pk]


def test_the_api_answers_the_same_error_with_the_item_path(editor_client):
    event = EventFactory()
    actor = ActorFactory()
    body = {"participants": [{"actor": str(actor.pk), "role": "target"}] * 2}

    response = editor_client.patch(f"/api/v1/events/{event.pk}/", body)

    assert response.status_code == 400, response.content
    assert response.json()["errors"] == [
        {"field": "participants[1]", "code": "unique", "message": "Duplicates an earlier entry of this list."}
    ]


def test_refused_rows_write_nothing_so_the_callers_transaction_goes_on():
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    event = EventFactory()
    old = ParticipantFactory(event=event)
    actor = ActorFactory()
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries, pytest.raises(ItemErrors):
            replace_participants(
                event, [{"actor": actor, "role": "target"}, {"actor": actor, "role": "target"}]
            )
        assert not [q for q in queries if q["sql"].startswith(("DELETE", "INSERT", "SAVEPOINT"))]
        replace_participants(event, [{"actor": actor, "role": "initiator"}])  # the transaction is usable
    assert [(row.actor_id, row.role) for row in event.participants.all()] == [(actor.pk, "initiator")]
    assert not Participant.objects.filter(pk=old.pk).exists()
