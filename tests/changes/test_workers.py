"""Worker processes: several at once never deliver an entry concurrently; a killed one loses nothing.

The workers are real ``manage.py deliver_webhooks`` processes on the suite's database (see
``tests/changes/processes.py``); the receiver runs in the test on 127.0.0.1.
"""

import os
import signal
import subprocess
import time

import pytest

from tests.changes.processes import environment, finish, start_script, suite_database_url
from tests.live_server import PROJECT_DIR, PYTHON

pytestmark = pytest.mark.django_db(transaction=True)

SETUP = """
from django.contrib.auth.models import User
from changes.services import webhook_create
from events.models import Place
from changes.models import Change

owner = User.objects.create_user("hook-owner")
hooks = [
    webhook_create(owner=owner, target_url={url!r}, secret=f"secret-{{number:020d}}")
    for number in range({webhooks})
]
for number in range({places}):
    Place.objects.create(name=f"Place {{number}}", kind="locality")
print(" ".join(str(hook.pk) for hook in hooks))
print(" ".join(str(seq) for seq in Change.objects.values_list("seq", flat=True)))
"""


def prepare(
    receiver, tmp_path, webhooks: int, places: int, lease_seconds: int
) -> tuple[dict, list[str], list[int]]:
    env = environment(
        suite_database_url(tmp_path),
        tmp_path,
        EVENTSAPI_WEBHOOK_ALLOW_PRIVATE="true",
        # A POST that times out is retried, and delivered twice if the receiver had it: keep
        # the timeout long (below the lease) so a busy machine does not make duplicates here.
        EVENTSAPI_WEBHOOK_TIMEOUT_SECONDS=str(min(10, lease_seconds - 1)),
        EVENTSAPI_WEBHOOK_LEASE_SECONDS=str(lease_seconds),
        EVENTSAPI_WEBHOOK_BACKOFF_BASE_SECONDS="0.05",
    )
    hook_line, seq_line = finish(
        start_script(SETUP.format(url=receiver.url, webhooks=webhooks, places=places), env)
    ).splitlines()
    hooks = hook_line.split()
    for number, hook in enumerate(hooks):
        receiver.secrets[hook] = f"secret-{number:020d}"
    return env, hooks, [int(seq) for seq in seq_line.split()]


def start_worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [PYTHON, "manage.py", "deliver_webhooks", "--poll-interval", "0.05", "--batch", "10"],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def wait_for(condition, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def stop(worker: subprocess.Popen) -> None:
    worker.send_signal(signal.SIGTERM)
    worker.wait(10)


def test_two_workers_at_once_never_deliver_the_same_entry_twice(receiver, tmp_path):
    # A long lease: a worker slowed down by a busy machine must not lose its webhook here.
    env, hooks, seqs = prepare(receiver, tmp_path, webhooks=3, places=10, lease_seconds=60)
    receiver.delay = 0.01
    workers = [start_worker(env), start_worker(env)]
    try:
        wait_for(lambda: len(receiver.accepted()) == len(hooks) * len(seqs))
    finally:
        for worker in workers:
            stop(worker)

    assert receiver.overlaps == []
    assert all(item.signed for item in receiver.received)
    for hook in hooks:
        assert receiver.accepted(hook) == seqs, f"each entry once, in order: {receiver.accepted(hook)}"


def test_a_worker_killed_mid_stream_loses_nothing_when_another_takes_over(receiver, tmp_path):
    # A short lease, so the second worker soon takes over from the dead one.
    env, _hooks, seqs = prepare(receiver, tmp_path, webhooks=1, places=20, lease_seconds=3)
    first = start_worker(env)

    def kill_the_worker_on_the_eighth(change):
        if len(receiver.received) == 8:
            os.kill(first.pid, signal.SIGKILL)  # the worker never hears this 200
        return 200

    receiver.answer = kill_the_worker_on_the_eighth
    first.wait(30)
    receiver.answer = lambda change: 200
    second = start_worker(env)  # waits for the dead worker's lease to expire
    try:
        wait_for(lambda: receiver.accepted()[-1:] == seqs[-1:])
    finally:
        stop(second)

    delivered = receiver.accepted()
    assert first.returncode == -signal.SIGKILL
    assert sorted(set(delivered)) == seqs, "nothing lost"
    assert delivered == sorted(delivered), "in order"
    assert len(delivered) - len(seqs) <= 1, "only the entry in flight when it died came twice"
    assert delivered[:7] == seqs[:7]


def test_a_worker_asked_to_stop_finishes_the_entry_in_flight_so_the_next_delivers_nothing_twice(
    receiver, tmp_path
):
    env, _hooks, seqs = prepare(receiver, tmp_path, webhooks=1, places=10, lease_seconds=60)
    first = start_worker(env)

    def stop_the_worker_on_the_fourth(change):
        if change["seq"] == seqs[3]:
            first.send_signal(signal.SIGTERM)  # while the worker waits for this answer
            time.sleep(0.2)
        return 200

    receiver.answer = stop_the_worker_on_the_fourth
    assert first.wait(30) == 0, first.stderr.read().decode()
    assert receiver.accepted() == seqs[:4], "it stopped after acknowledging the entry in flight"
    receiver.answer = lambda change: 200
    second = start_worker(env)
    try:
        wait_for(lambda: receiver.accepted()[-1:] == seqs[-1:])
    finally:
        stop(second)
    assert receiver.accepted() == seqs, "each entry once"
