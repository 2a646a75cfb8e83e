"""Webhook deliveries by the worker: signed, in order, retried with backoff, paused, resumable.

The receiver (``tests/changes/receiver.py``) listens on 127.0.0.1 and verifies every
signature as the README tells receivers to.
"""

import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from changes import services, transport
from changes.models import Change, Webhook
from changes.services import webhook_create
from tests.factories import EventFactory, PlaceFactory

pytestmark = pytest.mark.django_db


class WorkerDied(BaseException):
    """Stands for the worker process being killed: nothing after it runs."""


def subscribe(receiver, owner, **fields) -> Webhook:
    hook = webhook_create(owner=owner, target_url=receiver.url, **fields)
    receiver.secrets[str(hook.pk)] = hook.secret
    return hook


def run_worker() -> None:
    call_command("deliver_webhooks", "--once", stdout=open("/dev/null", "w"))  # noqa: SIM115


def wait_until_due(hook: Webhook) -> None:
    hook.refresh_from_db()
    if hook.next_attempt_at:
        time.sleep(max(0, (hook.next_attempt_at - timezone.now()).total_seconds()) + 0.01)


def _wait_after_last_attempt(hook: Webhook) -> timedelta:
    """How long the worker chose to wait after the attempt it just made (independent of how
    long the test took to look, which varies with machine load)."""
    hook.refresh_from_db()
    last = hook.deliveries.order_by("-attempted_at").first()
    return hook.next_attempt_at - (last.attempted_at + timedelta(milliseconds=last.duration_ms))


def test_failed_attempts_are_retried_with_backoff_then_everything_arrives_signed_and_in_order(
    receiver, editor, editor_client, settings
):
    # Waits far apart enough (0.2 s, then 0.4 s) that scheduling noise cannot reorder them.
    settings.EVENTSAPI_WEBHOOK_BACKOFF_BASE_SECONDS = 0.2
    settings.EVENTSAPI_WEBHOOK_BACKOFF_MAX_SECONDS = 2
    hook = subscribe(receiver, editor)
    PlaceFactory.create_batch(5)
    expected = list(Change.objects.values_list("seq", flat=True))
    attempts = iter([500, 500])
    receiver.answer = lambda change: next(attempts, 204)

    run_worker()
    first_wait = _wait_after_last_attempt(hook)
    run_worker()  # not due yet: nothing is sent
    assert len(receiver.received) == 1
    wait_until_due(hook)
    run_worker()
    second_wait = _wait_after_last_attempt(hook)
    wait_until_due(hook)
    run_worker()

    assert [item.status for item in receiver.received] == [500, 500, 204, 204, 204, 204, 204]
    assert all(item.signed for item in receiver.received)
    assert receiver.accepted() == expected
    assert [item.change["seq"] for item in receiver.received[:3]] == [expected[0]] * 3
    assert timedelta(0) < first_wait < second_wait, "each retry waits longer"
    hook.refresh_from_db()
    assert hook.last_delivered_seq == expected[-1]
    assert (hook.consecutive_failures, hook.next_attempt_at) == (0, None)
    log = editor_client.get(f"/api/v1/webhooks/{hook.pk}/deliveries/").json()["results"]
    assert [(entry["seq"], entry["attempt"], entry["status_code"]) for entry in reversed(log)] == [
        (expected[0], 1, 500),
        (expected[0], 2, 500),
        (expected[0], 3, 204),
        *[(seq, 1, 204) for seq in expected[1:]],
    ]
    assert [entry["delivery_id"] for entry in reversed(log)] == [
        item.delivery_id for item in receiver.received
    ]


def test_a_delivery_is_the_feed_entry_and_the_webhook_id(receiver, editor, api_client):
    hook = subscribe(receiver, editor)
    PlaceFactory()

    run_worker()

    [entry] = api_client.get("/api/v1/changes/").json()["results"]
    assert receiver.received[0].webhook == str(hook.pk)
    assert receiver.received[0].change == entry


def test_a_webhook_gets_only_the_resources_and_actions_it_asked_for(receiver, editor):
    hook = subscribe(receiver, editor, resources=["events"], actions=["created"])
    event = EventFactory()
    event.title = "Renamed"
    event.save()
    PlaceFactory()

    run_worker()

    assert [(item.change["resource"], item.change["action"]) for item in receiver.received] == [
        ("events", "created")
    ]
    hook.refresh_from_db()
    assert hook.last_delivered_seq == Change.objects.order_by("seq").last().seq


def test_a_timeout_is_a_failure_and_is_logged(receiver, editor, settings):
    settings.EVENTSAPI_WEBHOOK_TIMEOUT_SECONDS = 0.2
    receiver.delay = 0.5
    hook = subscribe(receiver, editor)
    PlaceFactory()

    run_worker()

    hook.refresh_from_db()
    assert hook.consecutive_failures == 1
    [delivery] = hook.deliveries.all()
    assert (delivery.succeeded, delivery.status_code) == (False, None)
    assert "timed out" in delivery.error


def test_after_repeated_failures_a_webhook_is_paused_until_an_editor_resumes_it(
    receiver, editor, editor_client, settings
):
    settings.EVENTSAPI_WEBHOOK_MAX_FAILURES = 3
    receiver.answer = lambda change: 503
    hook = subscribe(receiver, editor)
    PlaceFactory()

    for _attempt in range(3):
        wait_until_due(hook)
        run_worker()
    hook.refresh_from_db()
    run_worker()

    assert len(receiver.received) == 3
    assert hook.paused_at is not None
    assert hook.active is False
    receiver.answer = lambda change: 200
    assert editor_client.patch(f"/api/v1/webhooks/{hook.pk}/", {"active": True}).status_code == 200
    run_worker()
    assert receiver.accepted() == [Change.objects.get().seq]


def test_a_target_that_became_private_is_refused_at_delivery_time(receiver, editor, settings):
    hook = subscribe(receiver, editor)
    settings.EVENTSAPI_WEBHOOK_ALLOW_PRIVATE = False
    PlaceFactory()

    run_worker()

    assert receiver.received == []
    assert hook.deliveries.get().error.startswith("refused:")


def test_a_worker_that_dies_mid_stream_loses_nothing_and_repeats_only_the_unacknowledged_entry(
    receiver, editor, monkeypatch
):
    hook = subscribe(receiver, editor)
    PlaceFactory.create_batch(6)
    expected = list(Change.objects.values_list("seq", flat=True))
    real_post = transport.post

    def post_then_die_on_the_third(**kwargs):
        outcome = real_post(**kwargs)
        if len(receiver.received) == 3:
            raise WorkerDied  # after the receiver said 2xx, before the worker recorded it
        return outcome

    monkeypatch.setattr(transport, "post", post_then_die_on_the_third)
    with pytest.raises(WorkerDied):
        services.deliver_due_webhooks(worker="first")
    monkeypatch.setattr(transport, "post", real_post)

    hook.refresh_from_db()
    assert hook.last_delivered_seq == expected[1]
    services.deliver_due_webhooks(worker="second")
    assert len(receiver.received) == 3, "the dead worker's lease keeps others off until it expires"
    Webhook.objects.update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    services.deliver_due_webhooks(worker="second")

    assert receiver.accepted() == [*expected[:3], *expected[2:]]
    hook.refresh_from_db()
    assert hook.last_delivered_seq == expected[-1]
