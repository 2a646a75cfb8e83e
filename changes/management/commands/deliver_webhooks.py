"""``manage.py deliver_webhooks``: the worker that reads the change feed and delivers it.

Run as many as needed: each webhook is held by one worker at a time (a lease), so an entry
is never delivered by two workers at once. Stopping (Ctrl-C, SIGTERM) gives the leases back;
a worker that dies keeps them until they expire (``EVENTSAPI_WEBHOOK_LEASE_SECONDS``), then
another worker resumes after the last acknowledged entry.
"""

import os
import signal
import socket
import threading
import time
import uuid

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from changes.services import deliver_due_webhooks, webhooks_release


def _stop(signum, frame):
    raise KeyboardInterrupt


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
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, _stop)
        try:
            while True:
                result = deliver_due_webhooks(worker=worker, batch=batch)
                if result.delivered or result.failed:
                    self.stdout.write(f"delivered {result.delivered}, failed {result.failed}")
                if once:
                    return
                if not result.delivered:
                    time.sleep(poll_interval)
                # A long-running process: drop a connection the database has closed meanwhile.
                close_old_connections()
        except KeyboardInterrupt:
            self.stdout.write("stopping")
        finally:
            webhooks_release(worker=worker)
