"""Writes of the change feed and of webhook deliveries.

Sequence numbers in commit order
--------------------------------
Every history record simple-history writes (API, admin, services) calls
``change_record_from_history`` in the writer's transaction. It takes the next ``seq``
by incrementing the single ``FeedCounter`` row (``UPDATE ... SET last_seq = last_seq + 1``)
and inserts the ``Change`` with it. The UPDATE locks the row until the writer's
transaction ends, so a second writer waits at its own increment until the first has
committed (or rolled back, giving its number back). Hence seq N+1 is only handed out once
seq N has committed, and a reader that has seen N+1 can never later find N appear:
polling ``after=<last seq seen>`` misses nothing. On SQLite writers are serialised anyway
(IMMEDIATE transactions), with the same result.

The price: writers serialise on the counter from their first change until they commit.
Writes here are small, single-row transactions, so the lock is held for milliseconds. The
usual alternative on PostgreSQL (a sequence, plus readers that stop below the oldest
transaction still in progress, ``pg_snapshot_xmin(pg_current_snapshot())``, as event stores
such as Marten do) lets writers run in parallel but is PostgreSQL-only and
needs a transaction id per row; it can replace this if the counter ever becomes hot.

Delivering webhooks
-------------------
``deliver_due_webhooks`` is one pass of the worker (``manage.py deliver_webhooks``). It
claims each due webhook with a conditional UPDATE (a lease: owner and expiry), which only
one worker can win on either database; delivers its pending entries one POST at a time in
seq order, committing ``last_delivered_seq`` after each 2xx; and on a failure logs it,
schedules the retry with exponential backoff and moves on. After
``EVENTSAPI_WEBHOOK_MAX_FAILURES`` failures in a row the webhook is paused.
"""

import json
import secrets
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from changes import selectors, transport
from changes.models import RESOURCE_BY_MODEL, Change, FeedCounter, Webhook, WebhookDelivery
from eventsapi.bulk_insert import insert_first_versions, insert_instances, insert_rows
from eventsapi.history import ChangeAction, field_changes, record_action

COUNTER_ID = 1


def _next_seq(using: str) -> int:
    counter = FeedCounter.objects.using(using)
    if not counter.filter(pk=COUNTER_ID).update(last_seq=F("last_seq") + 1):
        # First change ever (or after the table was emptied): create the row. A concurrent
        # creator makes this insert fail once it commits; the UPDATE then succeeds.
        try:
            with transaction.atomic(using=using):
                latest = Change.objects.using(using).aggregate(latest=Max("seq"))["latest"] or 0
                counter.create(pk=COUNTER_ID, last_seq=latest + 1)
        except IntegrityError:
            counter.filter(pk=COUNTER_ID).update(last_seq=F("last_seq") + 1)
    return counter.values_list("last_seq", flat=True).get(pk=COUNTER_ID)


CHANGE_COLUMNS = ("seq", "resource", "object_id", "action", "version", "changed_at")


class ChangeBatch:
    """The feed entries of many writes in one transaction, kept in order and written together
    (``changes_batched``). A caller that rolls back to a savepoint drops the entries written
    since with ``rollback_to(mark())``."""

    def __init__(self, using: str):
        self.using = using
        self.entries: list[tuple] = []  # (resource, object_id, action, version, changed_at)

    def mark(self) -> int:
        return len(self.entries)

    def rollback_to(self, mark: int) -> None:
        del self.entries[mark:]

    def write(self) -> None:
        if not self.entries:
            return
        seqs = _reserve_seqs(len(self.entries), self.using)
        rows = [(seq, *entry) for seq, entry in zip(seqs, self.entries, strict=True)]
        insert_rows(Change, CHANGE_COLUMNS, rows, using=self.using)
        self.entries = []


_batch: ContextVar[ChangeBatch | None] = ContextVar("change_batch", default=None)


@contextmanager
def changes_batched(using: str = "default"):
    """Within the caller's transaction: every feed entry written when the block ends, numbered
    by one counter update, instead of three statements per write. Ordering holds as for single
    writes: the counter stays locked from there until the transaction commits, and no one
    reads the entries before then. An exception leaves nothing written."""
    batch = ChangeBatch(using)
    token = _batch.set(batch)
    try:
        yield batch
    finally:
        _batch.reset(token)
    batch.write()


def change_record(*, history_record, resource: str, using: str = "default") -> Change | None:
    """Add one version of a resource to the feed, inside the current transaction (within
    ``changes_batched``: to the batch, and None)."""
    older = history_record.prev_record if history_record.history_type != "+" else None
    changes = [] if older is None else field_changes(history_record, older)
    entry = (
        resource,
        history_record.id,
        record_action(history_record, changes),
        history_record.version,
        history_record.history_date,
    )
    batch = _batch.get()
    if batch is not None and batch.using == using:
        batch.entries.append(entry)
        return None
    # Atomic even when the writer runs in autocommit mode: the counter's lock must be held
    # until the Change row it numbered is committed.
    with transaction.atomic(using=using):
        return Change.objects.using(using).create(
            seq=_next_seq(using), **dict(zip(CHANGE_COLUMNS[1:], entry, strict=True))
        )


def _reserve_seqs(count: int, using: str) -> range:
    """``count`` consecutive feed positions, held (the counter row locked) until commit."""
    first = _next_seq(using)
    if count > 1:
        FeedCounter.objects.using(using).filter(pk=COUNTER_ID).update(last_seq=F("last_seq") + count - 1)
    return range(first, first + count)


def change_records_created(*, instances: list, resource: str, changed_at, using: str = "default") -> None:
    """Add the first versions of many new items to the feed at once, as ``change_record`` adds
    one: for writers that create in bulk (``resources_bulk_create``)."""
    if not instances:
        return
    with transaction.atomic(using=using):
        seqs = _reserve_seqs(len(instances), using)
        insert_rows(
            Change,
            CHANGE_COLUMNS,
            [
                (seq, resource, instance.pk, ChangeAction.CREATED.value, instance.version, changed_at)
                for seq, instance in zip(seqs, instances, strict=True)
            ],
            using=using,
        )


def resources_bulk_create(*, model, instances: list, user=None, using: str = "default") -> list:
    """Insert many new, already validated resources at once, each with its first version in
    the history (by ``user``) and in the change feed, as single saves would leave them.

    Saves' side effects are not run (``post_save``): callers creating actors must refresh
    their matching rows themselves. Claim-summary triggers run, being the database's.
    """
    if not instances:
        return []
    now = timezone.now()
    insert_instances(model, instances, using=using, now=now)
    insert_first_versions(model, instances, user=user, date=now, using=using)
    change_records_created(
        instances=instances, resource=RESOURCE_BY_MODEL[model._meta.label], changed_at=now, using=using
    )
    return instances


def change_record_from_history(sender, instance, history_instance, using=None, **kwargs) -> None:
    """``post_create_historical_record`` receiver (``sender`` is the historical model)."""
    resource = RESOURCE_BY_MODEL.get(instance._meta.label)
    if resource is not None:
        change_record(history_record=history_instance, resource=resource, using=using or "default")


def webhook_resume(*, webhook: Webhook) -> Webhook:
    """Switch a webhook back on, clearing its failures: the next pass retries at once."""
    webhook.active = True
    webhook.paused_at = None
    webhook.consecutive_failures = 0
    webhook.next_attempt_at = None
    webhook.save(
        update_fields=["active", "paused_at", "consecutive_failures", "next_attempt_at", "updated_at"]
    )
    return webhook


def webhook_create(
    *,
    owner,
    target_url: str,
    resources: list[str] | None = None,
    actions: list[str] | None = None,
    secret: str | None = None,
    active: bool = True,
) -> Webhook:
    """A new subscription; it starts at the end of the feed (earlier changes are in the feed)."""
    return Webhook.objects.create(
        owner=owner,
        target_url=target_url,
        resources=resources or [],
        actions=actions or [],
        secret=secret or secrets.token_urlsafe(32),
        active=active,
        last_delivered_seq=selectors.latest_seq(),
    )


def _timestamp(moment) -> str:
    # As the API writes datetimes: ISO 8601 in UTC, "Z" for the offset.
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def delivery_body(*, webhook: Webhook, change: Change) -> bytes:
    """The JSON body of one delivery: ``{"webhook": id, "change": feed entry}``.

    The entry has the fields, order and formats of ``ChangeSerializer``, byte for byte
    (tests/changes/test_delivery.py holds the two together).
    """
    entry = {
        "seq": change.seq,
        "resource": change.resource,
        "id": str(change.object_id),
        "action": change.action,
        "version": change.version,
        "changed_at": _timestamp(change.changed_at),
    }
    return json.dumps({"webhook": str(webhook.pk), "change": entry}, separators=(",", ":")).encode()


def _backoff(failures: int) -> timedelta:
    base = settings.EVENTSAPI_WEBHOOK_BACKOFF_BASE_SECONDS
    return timedelta(seconds=min(base * 2 ** (failures - 1), settings.EVENTSAPI_WEBHOOK_BACKOFF_MAX_SECONDS))


def _lease_until():
    return timezone.now() + timedelta(seconds=settings.EVENTSAPI_WEBHOOK_LEASE_SECONDS)


def _claim(*, webhook_id, worker: str) -> Webhook | None:
    now = timezone.now()
    claimed = Webhook.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=now),
        pk=webhook_id,
        active=True,
        paused_at__isnull=True,
    ).update(lease_owner=worker, lease_expires_at=_lease_until())
    return Webhook.objects.get(pk=webhook_id) if claimed else None


def _held(webhook: Webhook, worker: str):
    return Webhook.objects.filter(pk=webhook.pk, lease_owner=worker)


def webhooks_release(*, worker: str) -> None:
    """Give up every lease ``worker`` holds (on a clean stop)."""
    Webhook.objects.filter(lease_owner=worker).update(lease_owner="", lease_expires_at=None)


def _log(webhook: Webhook, change: Change, delivery_id: str, outcome: transport.Outcome) -> None:
    WebhookDelivery.objects.create(
        webhook=webhook,
        delivery_id=delivery_id,
        seq=change.seq,
        attempt=webhook.consecutive_failures + 1,
        succeeded=outcome.succeeded,
        status_code=outcome.status_code,
        error=outcome.error,
        duration_ms=outcome.duration_ms,
        attempted_at=timezone.now(),
    )


@transaction.atomic
def _acknowledge(webhook: Webhook, change: Change, delivery_id: str, outcome: transport.Outcome) -> bool:
    """Record a 2xx and move past the entry; False when this worker lost its lease."""
    if not _held(webhook, worker=webhook.lease_owner).update(
        last_delivered_seq=change.seq,
        consecutive_failures=0,
        next_attempt_at=None,
        lease_expires_at=_lease_until(),
    ):
        return False
    _log(webhook, change, delivery_id, outcome)
    webhook.last_delivered_seq = change.seq
    webhook.consecutive_failures = 0
    return True


@transaction.atomic
def _fail(webhook: Webhook, change: Change, delivery_id: str, outcome: transport.Outcome) -> None:
    """Record a failure, schedule the retry, pause after too many in a row."""
    failures = webhook.consecutive_failures + 1
    now = timezone.now()
    pause = failures >= settings.EVENTSAPI_WEBHOOK_MAX_FAILURES
    if not _held(webhook, worker=webhook.lease_owner).update(
        consecutive_failures=failures,
        next_attempt_at=now + _backoff(failures),
        active=not pause,
        paused_at=now if pause else None,
    ):
        return
    _log(webhook, change, delivery_id, outcome)


@dataclass
class PassResult:
    delivered: int = 0
    failed: int = 0


def _never() -> bool:
    return False


def deliver_webhook(*, webhook: Webhook, batch: int, stopping: Callable[[], bool] = _never) -> PassResult:
    """Deliver a claimed webhook's pending entries in order, until done, a failure, ``batch``,
    or ``stopping()`` turns true (checked between entries, once the last one is acknowledged)."""
    result = PassResult()
    changes, read_up_to = selectors.pending_changes(webhook=webhook, limit=batch)
    for change in changes:
        if stopping():
            return result
        delivery_id = str(uuid.uuid4())
        outcome = transport.post(
            url=webhook.target_url,
            secret=webhook.secret,
            body=delivery_body(webhook=webhook, change=change),
            delivery_id=delivery_id,
            timeout=settings.EVENTSAPI_WEBHOOK_TIMEOUT_SECONDS,
        )
        if not outcome.succeeded:
            _fail(webhook, change, delivery_id, outcome)
            result.failed += 1
            return result
        if not _acknowledge(webhook, change, delivery_id, outcome):
            return result
        result.delivered += 1
    if read_up_to > webhook.last_delivered_seq:
        # Entries up to read_up_to that the webhook filters out need no delivery.
        _held(webhook, worker=webhook.lease_owner).filter(
            last_delivered_seq=webhook.last_delivered_seq
        ).update(last_delivered_seq=read_up_to)
    return result


def deliver_due_webhooks(
    *, worker: str, batch: int = 100, stopping: Callable[[], bool] = _never
) -> PassResult:
    """One pass of the worker over every webhook that has something to deliver. When
    ``stopping()`` turns true the pass ends after the entry in flight is acknowledged (or
    its failure recorded), so a worker asked to stop never leaves an entry delivered but
    unacknowledged, which the next worker would deliver again."""
    total = PassResult()
    for webhook_id in selectors.due_webhook_ids(now=timezone.now()):
        if stopping():
            break
        webhook = _claim(webhook_id=webhook_id, worker=worker)
        if webhook is None:
            continue  # another worker holds it, or it changed since it was listed
        result = deliver_webhook(webhook=webhook, batch=batch, stopping=stopping)
        _held(webhook, worker).update(lease_owner="", lease_expires_at=None)
        total.delivered += result.delivered
        total.failed += result.failed
    return total
