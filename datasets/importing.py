"""Running a dataset import: each row becomes one bundle, run in its own transaction.

A dataset module (``datasets.acled``, ``datasets.ucdp``, ``datasets.claimreview``) reads
its file into ``Row``s, or ``Problem``s for rows it cannot read, and turns a row into bundle
operations. This module runs them through the bundles' runner, so every row gets the rules,
history and change feed of the API, and keeps the summary a long import owes its user:
created, updated, matched, unchanged, tombstoned, and skipped with reasons.

A row is all or nothing. A row whose parsed values hash to what the last import of that
record stored (``DatasetRecord.digest``) is ``unchanged`` without a write, which is what
makes a re-import of a large file cheap. Rows that only create (a first import) are written
a batch at a time by ``datasets.bulk``, which stores what the runner would; the rest go
through the runner, in file order.
"""

import datetime
import functools
import hashlib
import json
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from rest_framework.request import Request
from simple_history.models import HistoricalRecords

from bundles.api.errors import BundleError
from bundles.api.operations import parse_bundle
from bundles.api.runner import BundleRunner
from datasets import bulk, writer
from datasets.models import DatasetRecord
from eventsapi.api.permissions import EDITORS_GROUP, VERIFIERS_GROUP

STATUSES = ("created", "updated", "matched", "unchanged", "tombstoned", "skipped")
IMPORTER_USERNAME = "dataset-importer"
LOOKUP_BATCH = 500
WRITING_STATUSES = ("created", "updated", "tombstoned")


class FileUnreadable(Exception):
    """The file as a whole cannot be read (encoding, delimiter, header, JSON): one message."""


class RowError(Exception):
    """A row that cannot be imported; ``column`` names the field at fault."""

    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column, self.message = column, message


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    message: str
    record_id: str = ""
    unit: str = "line"  # or "record", in a JSON file

    def __str__(self) -> str:
        field_name = "column" if self.unit == "line" else "field"
        where = f"{self.unit} {self.line}" + (f", {field_name} {self.column}" if self.column else "")
        record = f" ({self.record_id})" if self.record_id else ""
        return f"{where}{record}: {self.message}"


@dataclass
class Row:
    """One record of a dataset file, parsed: ``values`` are what its operations are built from."""

    line: int
    record_id: str
    values: dict
    unit: str = "line"

    @functools.cached_property
    def digest(self) -> str:
        text = json.dumps(self.values, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class Plan:
    """A row's bundle: its operations, the column each operation's data comes from, and the
    natural keys of the operations whose records later rows may reuse (``known``)."""

    operations: list[dict] = field(default_factory=list)
    columns: list[dict[str, str]] = field(default_factory=list)
    keys: dict[str, tuple] = field(default_factory=dict)
    event_lid: str | None = None
    statement_lid: str | None = None

    def add(self, operation: dict, columns: dict[str, str] | None = None, key: tuple | None = None) -> None:
        self.operations.append(operation)
        self.columns.append(columns or {})
        if key is not None:
            self.keys[operation["lid"]] = key


@dataclass
class Summary:
    counts: Counter = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)

    def count(self, status: str) -> None:
        self.counts[status] += 1

    def skip(self, problem: Problem) -> None:
        self.counts["skipped"] += 1
        self.problems.append(problem)

    def lines(self, *, dry_run: bool) -> list[str]:
        head = ", ".join(f"{self.counts[status]} {status}" for status in STATUSES)
        lines = [("Dry run, nothing written: " if dry_run else "") + head + "."]
        lines += [f"  skipped {problem}" for problem in self.problems]
        return lines


def importer_user(username: str | None = None):
    """The user the import's writes are recorded under: ``username``, or the importer's own
    account (made on first use, unable to log in, in the editors' and verifiers' groups)."""
    User = get_user_model()
    if username:
        return User.objects.get(username=username)
    user, created = User.objects.get_or_create(username=IMPORTER_USERNAME)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    for name in (EDITORS_GROUP, VERIFIERS_GROUP):
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


def importer_request(user) -> Request:
    """A request for the bundles' runner, as if ``user`` posted the row's bundle."""
    request = HttpRequest()
    request.method = "POST"
    host = next(
        (name for name in settings.ALLOWED_HOSTS if name not in ("*", "") and "*" not in name), "localhost"
    )
    request.META.update({"SERVER_NAME": host.lstrip("."), "SERVER_PORT": "80", "HTTP_HOST": host.lstrip(".")})
    drf_request = Request(request)
    drf_request.user = user
    return drf_request


@contextmanager
def history_user(request):
    """The history records the import writes name its user, as the API's middleware does."""
    context = HistoricalRecords.context
    previous = getattr(context, "request", None)
    context.request = request
    try:
        yield
    finally:
        if previous is None:
            del context.request
        else:
            context.request = previous


class Importer:
    """Imports ``Row``s of one dataset. ``dataset`` supplies ``scheme`` and ``plan(row, known)``;
    with ``bulk`` true, also ``prefetch(record_ids)``, ``has_event(record_id)`` and
    ``forget(record_id)`` (datasets.provenance.EventLookup), for the bulk path;
    and optionally ``prepare(row, record)`` (before the bundle, in its transaction: raise
    ``RowError`` to skip) and ``finish(row, results, plan, run)`` (after it, with ``run`` to
    post more operations: returns the records to remember)."""

    def __init__(self, dataset, *, user, strict: bool = False, progress=None):
        self.dataset = dataset
        self.request = importer_request(user)
        self.strict = strict
        self.progress = progress or (lambda items, total=None: items)
        self.known: dict[tuple, uuid.UUID] = {}
        self.summary = Summary()
        self.writer: writer.BackgroundWriter | None = None

    def run(self, rows: Iterable[Row | Problem], total: int | None = None) -> Summary:
        analyze_at = LOOKUP_BATCH
        if (
            getattr(self.dataset, "bulk", False)
            and not self.strict  # which stops at the first bad row: every row in file order
            and (total is None or total > LOOKUP_BATCH)
            and writer.can_write_in_background()
        ):
            self.writer = writer.BackgroundWriter(self.request.user)
        try:
            with history_user(self.request):
                for batch in _batches(self.progress(rows, total=total), LOOKUP_BATCH):
                    self._run_batch(batch)
                    written = sum(self.summary.counts[status] for status in WRITING_STATUSES)
                    if written >= analyze_at:
                        # Each time this import has doubled what it wrote (a re-import writes nothing).
                        bulk.refresh_statistics()
                        analyze_at = 2 * written
                self._settle()
        finally:
            if self.writer is not None:
                try:
                    # A batch in flight when a row stops the import (--strict) still counts.
                    self._settle()
                finally:
                    self.writer.close()
                    self.writer = None
        return self.summary

    def _run_batch(self, batch: list[Row | Problem]) -> None:
        if self.strict:
            # Nothing after the first bad row is written, not even in bulk.
            first_bad = next((index for index, row in enumerate(batch) if isinstance(row, Problem)), None)
            if first_bad is not None:
                batch = batch[: first_bad + 1]
        records = self._records([row.record_id for row in batch if isinstance(row, Row)])
        changed = [
            row
            for row in batch
            if isinstance(row, Row) and not self._unchanged(row, records.get(row.record_id))
        ]
        in_bulk = self._bulk_plans(changed, records)
        changed_rows = {id(row) for row in changed}
        pending: list[tuple[Row, Plan]] = []
        for row in batch:
            if id(row) in in_bulk:
                pending.append((row, in_bulk[id(row)]))
                continue
            # Rows are written in file order: what is pending goes first (but for a pending row
            # whose records fail a check in the writer process: the runner imports it right
            # after the rest of its batch).
            self._write_bulk(pending)
            pending = []
            if isinstance(row, Problem):
                self._skip(row)
            elif id(row) in changed_rows:
                self._import(row, records.get(row.record_id))
            else:
                self.summary.count("unchanged")
        self._write_bulk(pending)

    def _unchanged(self, row: Row, record: DatasetRecord | None) -> bool:
        return record is not None and record.digest == row.digest and self._alive(record)

    def _bulk_plans(self, rows: list[Row], records: dict) -> dict[int, Plan]:
        """The plans of the rows that only create (by ``id(row)``), for ``bulk``; the places and
        actors they name are found or made first (a row for which that fails, say a name two
        actors answer to, is left to the runner)."""
        if not getattr(self.dataset, "bulk", False):
            return {}
        plans: dict[str, tuple[Row, Plan]] = {}
        new_rows = [row for row in rows if row.record_id not in records]
        self.dataset.prefetch([row.record_id for row in new_rows])
        ready = self._resolve_shared(new_rows)
        for row in rows:
            if row.record_id in records or row.record_id in plans:
                continue
            try:
                plan = ready.get(id(row)) or self.dataset.plan(row, self.known)
            except RowError:
                continue  # the runner will say why
            if all(operation["resource"] in bulk.BULK_RESOURCES for operation in plan.operations):
                plans[row.record_id] = (row, plan)
        taken = bulk.already_recorded({key: plan for key, (_, plan) in plans.items()}, self.dataset.has_event)
        return {id(row): plan for record_id, (row, plan) in plans.items() if record_id not in taken}

    def _resolve_shared(self, rows: list[Row]) -> dict[int, Plan]:
        """The places and actors of the batch's new rows, found or made in bulk; the plans of
        the rows whose places and actors were all known already (by ``id(row)``)."""
        plans, ready = [], {}
        for row in rows:
            try:
                plan = self.dataset.plan(row, self.known)
                if all(operation["resource"] in bulk.BULK_RESOURCES for operation in plan.operations):
                    ready[id(row)] = plan
                    continue  # all its places and actors are known
                bulk.check_row(self.dataset.scheme, row, plan)
            except (RowError, bulk.NotBulk):
                continue  # nothing is made for a row that would fail
            plans.append(plan)
        with transaction.atomic():
            bulk.resolve_shared(plans, self.known, self.request.user)
        return ready

    def _write_bulk(self, pending: list[tuple[Row, Plan]]) -> None:
        """Build and write the records of ``pending`` rows (in the writer process, when there
        is one: collected by ``_settle`` before the next write)."""
        if not pending:
            return
        self._settle()
        entries = [bulk.Entry.of(row, plan) for row, plan in pending]
        rows = [row for row, _ in pending]
        if self.writer is not None:
            self.writer.submit(self.dataset.scheme, entries, rows)
            return
        batch, refused = bulk.build(self.dataset.scheme, entries)
        if refused:
            # In file order: the rows before the first refused one, then it (the runner says
            # why, and --strict stops there), then the rest.
            first = refused[0]
            self._write_bulk(pending[:first])
            self._import(rows[first], None)
            self._write_bulk(pending[first + 1 :])
            return
        try:
            bulk.write(batch, self.request.user)
        except IntegrityError:
            self._written(rows, stored=False, refused=[])
            return
        self._written(rows, stored=True, refused=[])

    def _settle(self) -> None:
        """Wait for the rows the background writer has in flight, if any, and count them."""
        if self.writer is not None:
            outcome = self.writer.collect()
            if outcome is not None:
                rows, stored, refused = outcome
                self._written(rows, stored=stored, refused=refused)

    def _written(self, rows: list[Row], *, stored: bool, refused: list[int]) -> None:
        """Count the rows written in bulk; the runner imports the rest, after them: all of
        them when the batch was not ``stored`` (another writer, or a row of the batch before
        still in flight when this one was planned, got a key first: the runner matches what
        it wrote), else the ``refused`` (a record failed a check: the runner says which)."""
        again = list(range(len(rows))) if not stored else refused
        for _ in range(len(rows) - len(again)):
            self.summary.count("created")
        records = self._records([rows[index].record_id for index in again])
        for index in again:
            self._import(rows[index], records.get(rows[index].record_id))

    def run_each(self, items: Iterable, action: Callable[[object], str | Problem], total=None) -> Summary:
        """Apply ``action`` (its own transaction) to each item: a status, or a Problem to skip."""
        with history_user(self.request):
            return self._run_each(items, action, total)

    def _run_each(self, items: Iterable, action: Callable[[object], str | Problem], total=None) -> Summary:
        for item in self.progress(items, total=total):
            if isinstance(item, Problem):
                self._skip(item)
                continue
            try:
                with transaction.atomic():
                    outcome = action(item)
            except DeletionRefused as refused:
                outcome = refused.problem
            if isinstance(outcome, Problem):
                self._skip(outcome)
            else:
                self.summary.count(outcome)
        return self.summary

    def _records(self, record_ids: list[str]) -> dict[str, DatasetRecord]:
        rows = DatasetRecord.objects.filter(
            scheme=self.dataset.scheme, record_id__in=record_ids
        ).select_related("event", "statement")
        return {record.record_id: record for record in rows}

    def _import(self, row: Row, record: DatasetRecord | None) -> None:
        self._settle()  # rows are written in file order
        digest = row.digest
        plan = Plan()
        forget = getattr(self.dataset, "forget", None)
        if forget is not None:
            forget(row.record_id)
        if record is not None and record.digest == digest and self._alive(record):
            self.summary.count("unchanged")
            return
        try:
            with transaction.atomic():
                prepare = getattr(self.dataset, "prepare", None)
                if prepare is not None:
                    prepare(row, record)
                plan = self.dataset.plan(row, self.known)
                results = self._run_bundle(plan.operations)
                finish = getattr(self.dataset, "finish", None)
                remembered = finish(row, results, plan, self._run_bundle) if finish is not None else {}
                status = _row_status(results, plan, remembered.pop("status", None))
                self._remember(row, digest, results, plan, remembered)
        except RowError as error:
            self._skip(Problem(row.line, error.column, error.message, row.record_id, row.unit))
            return
        except BundleError as error:
            self._skip(_bundle_problem(row, plan, error))
            return
        by_lid = {result["lid"]: result["id"] for result in results if result["lid"]}
        for lid, key in plan.keys.items():
            self.known[key] = by_lid[lid]
        self.summary.count(status)

    def _run_bundle(self, operations: list[dict]) -> list[dict]:
        bundle = parse_bundle(
            {"operations": operations}, max_operations=settings.EVENTSAPI_BUNDLE_MAX_OPERATIONS
        )
        return BundleRunner(self.request).run(bundle.operations)

    def _alive(self, record: DatasetRecord) -> bool:
        if record.deleted_at is not None:
            return False
        alive = getattr(self.dataset, "alive", None)
        return (
            alive(record)
            if alive is not None
            else record.event is not None and record.event.deleted_at is None
        )

    def _remember(self, row: Row, digest: str, results: list[dict], plan: Plan, remembered: dict) -> None:
        by_lid = {result["lid"]: result["id"] for result in results if result["lid"]}
        DatasetRecord.objects.update_or_create(
            scheme=self.dataset.scheme,
            record_id=row.record_id,
            defaults={
                "digest": digest,
                "event_id": by_lid.get(plan.event_lid),
                "statement_id": by_lid.get(plan.statement_lid),
                "deleted_at": None,
                **remembered,
            },
        )

    def _skip(self, problem: Problem) -> None:
        if self.strict:
            raise StrictStop(problem)
        self.summary.skip(problem)


class DeletionRefused(Exception):
    """An action that must roll back what it did: ``problem`` says why."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


class StrictStop(Exception):
    """``--strict``: the first bad row ends the import (the rows before it stay imported)."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def _row_status(results: list[dict], plan: Plan, status: str | None) -> str:
    if status is not None:
        return status
    main = next(
        (result for result in results if result["lid"] in (plan.event_lid, plan.statement_lid)), results[-1]
    )
    if main["status"] == "created":
        return "created"
    if any(result["status"] in ("created", "updated", "reviewed") for result in results):
        return "updated"
    return "matched"


def _bundle_problem(row: Row, plan: Plan, error: BundleError) -> Problem:
    """The bundle's first error, named by the row's column where the operation says which."""
    item = error.errors[0]
    index = (error.operation or {}).get("index")
    column = ""
    if index is not None and index < len(plan.columns):
        path = item.get("field", "")
        data_field = path.split(".data.", 1)[1].split("[")[0].split(".")[0] if ".data." in path else ""
        columns = plan.columns[index]
        column = columns.get(data_field) or columns.get("*", "")
    return Problem(row.line, column, item.get("message") or str(error.detail), row.record_id, row.unit)


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def read_json(path: str):
    """A JSON file's data (UTF-8, with or without a byte-order mark); ``FileUnreadable`` else."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            return json.load(handle)
    except OSError as error:
        raise FileUnreadable(f"{path}: {error.strerror}.") from error
    except UnicodeDecodeError:
        raise FileUnreadable(f"{path}: not UTF-8.") from None
    except json.JSONDecodeError as error:
        raise FileUnreadable(
            f"{path}: not JSON ({error.msg} at line {error.lineno}, column {error.colno})."
        ) from None


def parse_timestamp(value: str) -> datetime.datetime | None:
    """A Unix time in seconds (ACLED's ``timestamp``), as an aware datetime; None when empty."""
    value = value.strip()
    if not value:
        return None
    return datetime.datetime.fromtimestamp(int(value), tz=datetime.UTC)
