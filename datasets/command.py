"""What the import commands share: options, the progress bar, the summary and exit status."""

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ObjectDoesNotExist
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction
from tqdm import tqdm

from datasets.importing import FileUnreadable, Importer, StrictStop, importer_user


@contextmanager
def commits_without_waiting_for_the_disk() -> Iterator[None]:
    """PostgreSQL's ``synchronous_commit = off`` while the import runs (reset after): a batch's
    commit returns before its WAL is on disk, the usual setting for a bulk load. A crash of
    the database server can then lose the last fraction of a second of committed batches,
    never part of one and never anything else; importing the file again brings them back,
    as a re-import only writes what is missing or changed."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


class ImportCommand(BaseCommand):
    """``FILE [--dry-run] [--strict] [--user NAME] [--no-progress]``; subclasses ``run``."""

    def add_arguments(self, parser):
        parser.add_argument("file", help="The file to import.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Read and check everything; write nothing."
        )
        parser.add_argument("--strict", action="store_true", help="Stop at the first bad row.")
        parser.add_argument(
            "--user", help="Record the writes as this user (default: the dataset-importer account)."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options):
        try:
            user = importer_user(options["user"])
        except ObjectDoesNotExist:
            raise CommandError(f"No user {options['user']!r}.") from None
        show = not options["no_progress"]

        def progress(items, total=None):
            # On a terminal only (tqdm's disable=None), on stderr so the summary stays clean.
            return tqdm(items, total=total, unit="row", disable=None if show else True, file=sys.stderr)

        importer = Importer(self.dataset(), user=user, strict=options["strict"], progress=progress)
        try:
            with commits_without_waiting_for_the_disk():
                if options["dry_run"]:
                    # Everything runs, each step reading the ones before; none of it stays.
                    with transaction.atomic():
                        self.run(importer, options)
                        transaction.set_rollback(True)
                else:
                    # Each row commits on its own: an interrupted import keeps what it finished.
                    self.run(importer, options)
        except FileUnreadable as error:
            raise CommandError(str(error)) from None
        except StrictStop as stop:
            self._summarise(importer, options)
            raise CommandError(f"Stopped (--strict) at {stop.problem}") from None
        except DatabaseError as error:
            raise CommandError(f"The database refused a write: {error}") from error
        self._summarise(importer, options)

    def _summarise(self, importer: Importer, options) -> None:
        for line in importer.summary.lines(dry_run=options["dry_run"]):
            self.stdout.write(line)

    def dataset(self):
        raise NotImplementedError

    def run(self, importer: Importer, options) -> None:
        raise NotImplementedError
