"""A first import's batches written by a writer process (datasets.writer) while the next
batch is planned: the same records, counts and order as writing them in turn."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from changes.models import Change
from claims.models import Source, Statement
from datasets import importing, writer
from datasets.models import DatasetRecord
from events.models import Event

SAMPLES = Path(__file__).parent / "samples"
pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the writer process is PostgreSQL's"),
    # The writer's connection must see the test's rows: no test transaction around them.
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def started(monkeypatch) -> list:
    """The writers the imports start."""
    writers = []
    original = writer.BackgroundWriter.__init__

    def noting(self, *args, **kwargs):
        original(self, *args, **kwargs)
        writers.append(self)

    monkeypatch.setattr(writer.BackgroundWriter, "__init__", noting)
    return writers


@pytest.fixture
def writers(monkeypatch, request, started):
    """``(in background?, the writers the imports start)``: none when the parameter is False."""
    if not request.param:
        monkeypatch.setattr(writer, "can_write_in_background", lambda: False)
    return bool(request.param), started


def import_acled(path: Path) -> str:
    out = io.StringIO()
    call_command("import_acled", str(path), "--no-progress", stdout=out)
    return out.getvalue().splitlines()[0]


def with_a_repeated_row(tmp_path: Path) -> Path:
    """The ten sample rows with the first one again as the fourth, in the next batch of three."""
    with open(SAMPLES / "acled_events.csv", encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    path = tmp_path / "repeated.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *rows[:3], rows[0], *rows[3:]])
    return path


@pytest.mark.parametrize("writers", [False, True], indirect=True, ids=["in turn", "in background"])
def test_a_first_import_stores_every_row_once_with_its_history_and_feed(monkeypatch, writers):
    monkeypatch.setattr(importing, "LOOKUP_BATCH", 3)

    summary = import_acled(SAMPLES / "acled_events.csv")

    assert summary == "10 created, 0 updated, 0 matched, 0 unchanged, 0 tombstoned, 0 skipped."
    in_background, started = writers
    assert len(started) == (1 if in_background else 0)
    assert all(each.process.poll() is not None for each in started)
    assert Event.objects.count() == DatasetRecord.objects.count() == 10
    assert Statement.objects.count() == 10
    assert all(event.statement_count == event.supporting_count == 1 for event in Event.objects.all())
    seqs = list(Change.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))  # one feed, no gaps, no repeats
    assert (
        Change.objects.count()
        == sum(model.history.count() for model in (Event, Source, Statement))
        + Change.objects.filter(resource__in=("places", "actors")).count()
    )
    assert set(Event.history.values_list("history_user__username", flat=True)) == {"dataset-importer"}


def test_the_writer_process_writes_the_batches_it_is_given(monkeypatch, started):
    submitted = []
    original_submit = writer.BackgroundWriter.submit
    monkeypatch.setattr(
        writer.BackgroundWriter,
        "submit",
        lambda self, scheme, entries, rows: (
            submitted.append(len(entries)) or original_submit(self, scheme, entries, rows)
        ),
    )
    monkeypatch.setattr(importing, "LOOKUP_BATCH", 3)

    import_acled(SAMPLES / "acled_events.csv")

    assert len(started) == 1
    assert submitted == [3, 3, 3, 1]
    assert started[0].process.poll() == 0  # it ended, and well


@pytest.mark.parametrize("writers", [False, True], indirect=True, ids=["in turn", "in background"])
def test_a_row_repeated_in_the_next_batch_is_unchanged_either_way(monkeypatch, tmp_path, writers):
    # In background, the fourth row is planned while the first is still being written: its
    # batch's write finds the record taken, and the runner goes through that batch row by row.
    monkeypatch.setattr(importing, "LOOKUP_BATCH", 3)

    summary = import_acled(with_a_repeated_row(tmp_path))

    assert len(writers[1]) == (1 if writers[0] else 0)
    assert summary == "10 created, 0 updated, 0 matched, 1 unchanged, 0 tombstoned, 0 skipped."
    assert Event.objects.count() == DatasetRecord.objects.count() == 10
    assert Event.objects.filter(external_ids__acled="AFG50101").count() == 1


def test_a_small_file_starts_no_writer(monkeypatch):
    monkeypatch.setattr(
        writer, "BackgroundWriter", lambda *args: pytest.fail("no writer for a file of one batch")
    )

    assert import_acled(SAMPLES / "acled_events.csv").startswith("10 created")


def client_backends() -> int:
    """Connections to the test database other than this one."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
        return cursor.fetchone()[0]


def test_the_writer_has_its_own_connection_and_closes_it(monkeypatch):
    monkeypatch.setattr(importing, "LOOKUP_BATCH", 3)
    seen = []
    original = writer.BackgroundWriter.collect

    def counting_connections(self):
        seen.append(client_backends())
        return original(self)

    monkeypatch.setattr(writer.BackgroundWriter, "collect", counting_connections)
    before = client_backends()

    import_acled(SAMPLES / "acled_events.csv")

    assert max(seen) == before + 1  # while it wrote
    assert client_backends() == before


@pytest.mark.parametrize("writers", [False, True], indirect=True, ids=["in turn", "in background"])
def test_a_row_whose_records_fail_a_check_is_skipped_with_its_reason_and_the_rest_written(
    monkeypatch, tmp_path, writers
):
    monkeypatch.setattr(importing, "LOOKUP_BATCH", 3)
    with open(SAMPLES / "acled_events.csv", encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    rows[4][header.index("notes")] = "Shelling\x00 reported."  # no text field stores a NUL
    path = tmp_path / "nul.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    out = io.StringIO()

    call_command("import_acled", str(path), "--no-progress", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0] == "9 created, 0 updated, 0 matched, 0 unchanged, 0 tombstoned, 1 skipped."
    assert lines[1].startswith(f"  skipped line 7, column notes ({rows[4][2]}): ")
    assert DatasetRecord.objects.count() == 9
    assert len(writers[1]) == (1 if writers[0] else 0)


def test_a_write_the_database_refuses_stops_the_import_with_its_reason_and_the_writer(monkeypatch, started):
    monkeypatch.setattr(importing, "LOOKUP_BATCH", 3)
    # The writer's session refuses every write.
    monkeypatch.setattr(writer, "session_settings", lambda: {"default_transaction_read_only": "on"})

    with pytest.raises(CommandError, match=r"The database refused a write: .*read-only transaction"):
        import_acled(SAMPLES / "acled_events.csv")

    assert started[0].process.poll() is not None
    assert not DatasetRecord.objects.exists()


@pytest.mark.parametrize("writers", [False, True], indirect=True, ids=["in turn", "in background"])
def test_a_ucdp_import_is_written_the_same_way(monkeypatch, writers):
    monkeypatch.setattr(importing, "LOOKUP_BATCH", 1)
    out = io.StringIO()

    call_command("import_ucdp", str(SAMPLES / "ucdp_pages.json"), "--no-progress", stdout=out)

    assert out.getvalue().splitlines()[0] == (
        "3 created, 0 updated, 0 matched, 0 unchanged, 0 tombstoned, 0 skipped."
    )
    assert DatasetRecord.objects.filter(scheme="ucdp").count() == Event.objects.count() == 3
    assert len(writers[1]) == (1 if writers[0] else 0)
