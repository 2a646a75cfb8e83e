"""The importers' bulk path (datasets.bulk) leaves what the bundles' runner leaves, row for row."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from changes.models import Change
from claims.models import Review, Source, Statement, StatementEvent
from datasets import acled, bulk, importing, ucdp
from datasets.models import DatasetRecord
from events.models import Actor, Event, Participant, Place
from matching.models import StatementKeys

SAMPLES = Path(__file__).parent / "samples"
pytestmark = pytest.mark.django_db


def run(command: str, name: str, *options: str) -> str:
    out = io.StringIO()
    call_command(command, str(SAMPLES / name), "--no-progress", *options, stdout=out)
    return out.getvalue()


def content() -> dict:
    """What the imports stored, by natural keys (ids and timestamps differ between runs)."""
    place_name = dict(Place.all_objects.values_list("id", "name"))
    actor_name = dict(Actor.all_objects.values_list("id", "name"))
    event_key = {event.pk: str(event.external_ids) for event in Event.all_objects.all()}
    source_url = dict(Source.all_objects.values_list("id", "url"))
    statement_key = {statement.pk: statement.text for statement in Statement.all_objects.all()}
    return {
        "events": sorted(
            (
                str(event.external_ids),
                event.title,
                event.summary,
                event.event_type,
                event.sub_event_type,
                str(event.start_date),
                str(event.end_date),
                event.date_precision,
                event.fatalities,
                str(event.dataset_attributes),
                place_name.get(event.place_id),
                event.version,
                event.statement_count,
                event.supporting_count,
                event.contested,
                event.verification_status,
                event.deleted_at is None,
            )
            for event in Event.all_objects.all()
        ),
        "participants": sorted(
            (event_key[row.event_id], actor_name[row.actor_id], row.role) for row in Participant.objects.all()
        ),
        "places": sorted(
            Place.all_objects.values_list("name", "kind", "country_code", "latitude", "version")
        ),
        "actors": sorted(Actor.all_objects.values_list("name", "kind", "version")),
        "sources": sorted(
            (
                source.url,
                source.kind,
                source.title,
                actor_name.get(source.publisher_id),
                str(source.published_at),
            )
            for source in Source.all_objects.all()
        ),
        "cites": sorted(
            (source_url[row.from_source_id], source_url[row.to_source_id])
            for row in Source.cites.through.objects.all()
        ),
        "statements": sorted(
            (s.text, actor_name[s.speaker_id], str(s.stated_on), s.channel, s.is_direct_quote, s.version)
            for s in Statement.all_objects.all()
        ),
        "stances": sorted(
            (statement_key[row.statement_id], event_key[row.event_id], row.stance)
            for row in StatementEvent.objects.all()
        ),
        "statement sources": sorted(
            (statement_key[row.statement_id], source_url[row.source_id])
            for row in Statement.sources.through.objects.all()
        ),
        "history": {
            model.__name__: sorted(
                model.history.values_list("history_type", "version", "history_user__username"), key=str
            )
            for model in (Event, Source, Statement, Place, Actor)
        },
        "feed": sorted(Change.objects.values_list("resource", "action", "version")),
        "records": sorted(DatasetRecord.objects.values_list("scheme", "record_id", "digest", "deleted_at")),
        "reviews": Review.objects.count(),
        "statement keys": sorted(
            (statement_key[keys.statement_id], keys.fingerprint, tuple(keys.shingles))
            for keys in StatementKeys.objects.all()
        ),
    }


def imported(monkeypatch, bulk: bool, steps) -> dict:
    monkeypatch.setattr(acled.AcledDataset, "bulk", bulk)
    monkeypatch.setattr(ucdp.UcdpDataset, "bulk", bulk)
    summaries = [run(*step) for step in steps]
    return {"summaries": summaries, **content()}


STEPS = [
    ("import_acled", "acled_events.csv"),
    ("import_acled", "acled_events_updated.csv", "--deleted", str(SAMPLES / "acled_deleted.csv")),
    ("import_acled", "acled_reappearing.csv"),
    ("import_acled", "acled_bad_rows.csv"),
    ("import_ucdp", "ucdp_page.json"),
    ("import_ucdp", "ucdp_pages.json"),
]


@pytest.mark.parametrize("step_count", [1, len(STEPS)])
def test_the_bulk_path_stores_what_the_runner_stores(monkeypatch, step_count):
    with transaction.atomic():
        through_runner = imported(monkeypatch, bulk=False, steps=STEPS[:step_count])
        transaction.set_rollback(True)
    assert not Event.all_objects.exists()

    in_bulk = imported(monkeypatch, bulk=True, steps=STEPS[:step_count])

    assert in_bulk == through_runner
    assert through_runner["events"]


def test_new_rows_in_bulk_cost_a_few_statements_for_the_batch(tmp_path, django_assert_max_num_queries):
    run("import_acled", "acled_events.csv")  # its places and actors now exist
    renamed = tmp_path / "renamed.csv"
    text = (SAMPLES / "acled_events.csv").read_text(encoding="utf-8-sig")
    renamed.write_text(
        text.replace(",AFG5", ",AFGX5").replace(",IRN12", ",IRNX12").replace(",GHA4", ",GHAX4")
    )

    # Ten new rows at known places: through the runner they took about 150 statements each.
    with django_assert_max_num_queries(60):
        out = io.StringIO()
        call_command("import_acled", str(renamed), "--no-progress", stdout=out)

    assert out.getvalue().startswith("10 created")
    assert Event.objects.count() == 20


def test_statistics_are_refreshed_as_an_import_doubles_what_it_wrote_and_never_on_a_reimport(monkeypatch):
    refreshed = []
    monkeypatch.setattr(importing, "LOOKUP_BATCH", 2)
    monkeypatch.setattr(bulk, "refresh_statistics", lambda: refreshed.append(Event.all_objects.count()))

    assert run("import_acled", "acled_events.csv").startswith("10 created")
    assert refreshed == [2, 4, 8]  # after the batches that brought it to 2, 4 and 8 rows written

    refreshed.clear()
    assert "10 unchanged" in run("import_acled", "acled_events.csv")
    assert refreshed == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="synchronous_commit is PostgreSQL's")
def test_an_import_commits_without_waiting_for_the_disk_and_resets_the_setting_after(monkeypatch):
    def setting() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            return cursor.fetchone()[0]

    before, seen = setting(), []
    original = importing.Importer.run

    def noting_the_setting(self, *args, **kwargs):
        seen.append(setting())
        return original(self, *args, **kwargs)

    monkeypatch.setattr(importing.Importer, "run", noting_the_setting)

    assert run("import_acled", "acled_events.csv").startswith("10 created")
    assert seen == ["off"]
    assert setting() == before == "on"


def test_a_batch_whose_address_was_taken_after_it_was_planned_goes_through_the_runner(monkeypatch):
    # As if another writer stored a row's record address between the lookup and the write:
    # the batch's COPY (or bulk insert) fails on the unique address, and the runner matches it.
    monkeypatch.setattr(bulk, "already_recorded", lambda plans, has_event: set())
    taken = Source.objects.create(url=acled.record_url("AFG50101"), kind="other", title="Taken")
    written = []
    monkeypatch.setattr(
        importing.Importer, "_import", lambda self, row, record: written.append(row.record_id)
    )

    run("import_acled", "acled_events.csv")

    assert len(written) == 10  # the whole batch, row by row
    assert not DatasetRecord.objects.exists()  # nothing of the failed batch stayed
    assert Source.objects.get() == taken


def test_strict_stops_at_a_row_whose_records_fail_a_check_and_writes_none_after_it(tmp_path):
    # The third row reads well but its notes hold a NUL, which no text field stores: its
    # records fail the bulk path's checks, and the runner refuses it.
    with open(SAMPLES / "acled_events.csv", encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    rows[2][header.index("notes")] = "Shelling\x00 reported."
    path = tmp_path / "nul.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    out = io.StringIO()

    with pytest.raises(CommandError, match=r"Stopped \(--strict\) at line 4"):
        call_command("import_acled", str(path), "--strict", "--no-progress", stdout=out)

    assert out.getvalue().startswith("2 created")
    assert set(DatasetRecord.objects.values_list("record_id", flat=True)) == {rows[0][2], rows[1][2]}
