"""``manage.py deliver_webhooks``: the worker that reads the change feed and delivers it.

Run as many as needed: each webhook is held by one worker at a time (a lease), so an entry
is never delivered by two workers at once. Stopping (Ctrl-C, SIGTERM) is graceful: the
entry in flight is finished and acknowledged (a POST waits at most
``EVENTSAPI_WEBHOOK_TIMEOUT_SECONDS``), then the leases are given back; a second signal stops
at once. A worker that dies keeps its leases until they expire
(``EVENTSAPI_WEBHOOK_LEASE_SECONDS``), then another worker resumes after the last
acknowledged entry, which may deliver the entry that was in flight a second time.
"""

import os
import signal
import socket
import threading
import uuid

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from changes.services import deliver_due_webhooks, webhooks_release


class _GracefulStop:
    """The first SIGTERM or SIGINT asks the loop to stop after the entry in flight; a second
    one stops at once."""

    def __init__(self):
        self.requested = threading.Event()

    def __call__(self, signum, frame):
        if self.requested.is_set():
            raise KeyboardInterrupt
        self.requested.set()

    def install(self) -> None:
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, self)
            signal.signal(signal.SIGINT, self)


class Command(BaseCommand):
    help = "Deliver the change feed to webhooks (loops; --once for a single pass)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Make one pass, then exit.")
        parser.add_argument(
            "--poll-interval",
            type=float,
            default=1.0,
            help="Seconds to wait after a pass that delivered nothing (default 1).",
        )
        parser.add_argument(
            "--batch", type=int, default=100, help="At most this many entries per webhook per pass."
        )

    def handle(self, *args, once: bool, poll_interval: float, batch: int, **options):
        worker = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        stop = _GracefulStop()
        stop.install()
        try:
            while not stop.requested.is_set():
                result = deliver_due_webhooks(worker=worker, batch=batch, stopping=stop.requested.is_set)
                if result.delivered or result.failed:
                    self.stdout.write(f"delivered {result.delivered}, failed {result.failed}")
                if once:
                    return
                if not result.delivered:
                    stop.requested.wait(poll_interval)
                # A long-running process: drop a connection the database has closed meanwhile.
                close_old_connections()
            self.stdout.write("stopping")
        except KeyboardInterrupt:
            self.stdout.write("stopping at once")
        finally:
            webhooks_release(worker=worker)
