"""Writing a first import's batches in a second process while the next batch is planned.

Building a batch (reading the rows, checking every record, making the instances) is Python's
work; writing it (COPY rows, indexes, history, the feed) is partly Python's and partly
PostgreSQL's. Done in turn, each waits for the other. A thread cannot overlap them: the two
halves' Python would share one interpreter lock. A writer process with its own connection
can, on a second core.

Only on PostgreSQL, outside a transaction (a dry run's writes must roll back with it, and a
test's transaction belongs to its one connection), and for files of more than one batch.
The importer collects a batch's outcome before anything else writes rows (the runner's
bundles, the next batch), so rows still land in file order; the planning that overlaps a
write only reads, or makes places and actors, committed before any batch names them.
"""

import dataclasses
import multiprocessing

from django.db import DatabaseError, connection

from datasets import bulk
from datasets.writer_process import serve

# What the parent copies to the writer's session.
SESSION_SETTINGS = ("synchronous_commit",)


def can_write_in_background() -> bool:
    return connection.vendor == "postgresql" and not connection.in_atomic_block


class BackgroundWriter:
    """One batch written at a time by a child process (``spawn``: nothing of this process's
    connections is inherited), on the same database as this process's connection."""

    def __init__(self, user):
        with connection.cursor() as cursor:
            session = {}
            for name in SESSION_SETTINGS:
                cursor.execute("SELECT current_setting(%s)", [name])
                session[name] = cursor.fetchone()[0]
        context = multiprocessing.get_context("spawn")
        self.pipe, child_end = context.Pipe()
        self.process = context.Process(
            target=serve,
            args=(child_end, dict(connection.settings_dict), session, user.pk if user else None),
            name="import-writer",
            daemon=True,
        )
        self.process.start()
        child_end.close()
        self.in_flight: bulk.Batch | None = None

    def submit(self, batch: bulk.Batch) -> None:
        """Start writing ``batch``; the one before must have been collected (``collect``)."""
        if self.in_flight is not None:
            raise RuntimeError("collect() the batch in flight before submitting another")
        self.pipe.send(dataclasses.replace(batch, rows=[]))  # the rows stay here, for collect()
        self.in_flight = batch

    def collect(self) -> tuple[bulk.Batch, bool] | None:
        """The batch in flight once written, and whether it was (False: a key was taken, and
        nothing of it stays); None when nothing was in flight. A refused write is raised."""
        if self.in_flight is None:
            return None
        batch, self.in_flight = self.in_flight, None
        try:
            outcome, message = self.pipe.recv()
        except EOFError:
            raise DatabaseError("the import's writer process stopped") from None
        if outcome == "error":
            raise DatabaseError(message)
        return batch, outcome == "written"

    def close(self) -> None:
        """Stop the writer once its batch in flight is written (collect it first to count it)."""
        try:
            if self.in_flight is not None:
                self.pipe.recv()
                self.in_flight = None
            self.pipe.send(None)
        except (EOFError, BrokenPipeError, OSError):
            pass
        self.process.join(timeout=60)
        if self.process.is_alive():
            self.process.terminate()
        self.pipe.close()
