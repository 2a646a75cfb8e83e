"""Writing a first import's batches in a second process while the next batch is planned.

Planning a batch (reading the rows, finding or making their places and actors, looking up
their records and addresses) is the command's work; building its records (checking each,
making the instances), formatting COPY and PostgreSQL's inserts are the writer's. Done in
turn, each waits for the other. A thread cannot overlap them: the two halves' Python would
share one interpreter lock. A writer process with its own connection can, on a second core.

Only on PostgreSQL, outside a transaction (a dry run's writes must roll back with it, and a
test's transaction belongs to its one connection), without ``--strict`` (every row in file
order) and for files of more than one batch. The importer collects a batch's outcome before
anything else writes rows (the runner's bundles, the next batch), so rows land in file order,
but for a row whose records fail a check here, which the runner imports right after its
batch; the planning that overlaps a write only reads, or makes places and actors, committed
before any batch names them.
"""

import os
import pickle
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection

from datasets import bulk

# What the parent copies to the writer's session.
SESSION_SETTINGS = ("synchronous_commit",)
PROJECT_ROOT = Path(bulk.__file__).resolve().parent.parent


def can_write_in_background() -> bool:
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def session_settings() -> dict[str, str]:
    """This connection's values of ``SESSION_SETTINGS``, for the writer's session."""
    with connection.cursor() as cursor:
        session = {}
        for name in SESSION_SETTINGS:
            cursor.execute("SELECT current_setting(%s)", [name])
            session[name] = cursor.fetchone()[0]
    return session


def _environment() -> dict:
    environment = dict(os.environ)
    if getattr(settings, "SETTINGS_MODULE", None):
        environment["DJANGO_SETTINGS_MODULE"] = settings.SETTINGS_MODULE
    return environment


class BackgroundWriter:
    """One batch written at a time by a child process (``python -m datasets.writer_process``:
    a fresh interpreter, inheriting no connection and re-running none of the caller's code),
    on the same database as this process's connection. Batches go to it pickled on its
    standard input; each outcome comes back on its standard output."""

    def __init__(self, user):
        session = session_settings()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "datasets.writer_process"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=PROJECT_ROOT,
            env=_environment(),
        )
        self._send((dict(connection.settings_dict), session, user.pk if user else None))
        self.in_flight: list | None = None

    def _send(self, message) -> None:
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        # Length first: the writer reads a whole message before unpickling it, so the pipe
        # drains as fast as this process fills it.
        self.process.stdin.write(len(data).to_bytes(8, "big") + data)
        self.process.stdin.flush()

    def submit(self, scheme: str, entries: list[bulk.Entry], rows: list) -> None:
        """Start building and writing the records of ``entries`` (of ``rows``); the rows
        before must have been collected (``collect``)."""
        if self.in_flight is not None:
            raise RuntimeError("collect() the rows in flight before submitting more")
        try:
            self._send((scheme, entries))
        except (BrokenPipeError, OSError):
            raise DatabaseError("the import's writer process stopped") from None
        self.in_flight = rows

    def collect(self) -> tuple[list, bool, list[int]] | None:
        """``(rows, stored, refused)`` once the rows in flight are written: ``stored`` False
        when a key was taken (nothing of them stays), ``refused`` the indexes of rows whose
        records failed a check (not written); None when nothing was in flight. A refused
        write is raised."""
        if self.in_flight is None:
            return None
        rows, self.in_flight = self.in_flight, None
        try:
            outcome, detail = pickle.load(self.process.stdout)
        except (EOFError, pickle.UnpicklingError):
            raise DatabaseError("the import's writer process stopped") from None
        if outcome == "error":
            raise DatabaseError(detail)
        return rows, outcome == "written", detail

    def close(self) -> None:
        """Stop the writer once its batch in flight is written (collect it first to count it)."""
        try:
            if self.in_flight is not None:
                self.in_flight = None
                pickle.load(self.process.stdout)
            self._send(None)
            self.process.stdin.close()
        except (EOFError, pickle.UnpicklingError, BrokenPipeError, OSError):
            pass
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()
