"""manage.py import_ucdp: UCDP GED API pages in, with UCDP's statement of each event."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from claims.models import Source, SourceKind, Statement
from events.models import DatePrecision, Event, EventType, ParticipantRole, PlaceKind

SAMPLES = Path(__file__).parent / "samples"
pytestmark = pytest.mark.django_db


def import_ucdp(path, *options) -> str:
    out = io.StringIO()
    call_command("import_ucdp", str(path), "--no-progress", *options, stdout=out)
    return out.getvalue()


def event(record_id: str) -> Event:
    return Event.objects.get(external_ids__ucdp=record_id)


def test_a_page_becomes_events_with_sides_places_fatalities_and_kept_attributes():
    summary = import_ucdp(SAMPLES / "ucdp_page.json")

    assert summary.startswith("5 created, 0 updated, 0 matched, 0 unchanged, 0 tombstoned, 0 skipped.")
    first = event("9900001")
    assert first.event_type == EventType.BATTLE
    assert first.fatalities == 3
    assert first.dataset_attributes["ucdp"]["low"] == 3
    assert first.dataset_attributes["ucdp"]["high"] == 5
    assert first.dataset_attributes["ucdp"]["type_of_violence"] == 1
    assert "best" not in first.dataset_attributes["ucdp"]
    assert first.place.kind == PlaceKind.LOCALITY
    assert (first.place.latitude, first.place.longitude) == (36.709, 67.1109)
    assert first.place.parent.parent.parent.name == "Afghanistan"
    roles = {(p.actor.name, p.role) for p in first.participants.all()}
    assert roles == {
        ("Government of Afghanistan", ParticipantRole.INITIATOR),
        ("Northern Valley Front", ParticipantRole.TARGET),
    }
    assert event("9900003").event_type == EventType.VIOLENCE_AGAINST_CIVILIANS
    assert event("9900002").event_type == EventType.BATTLE


def test_date_ranges_and_precisions_are_kept():
    import_ucdp(SAMPLES / "ucdp_page.json")
    events = json.loads((SAMPLES / "ucdp_page.json").read_text())["Result"]
    ranged = next(item for item in events if item["date_start"] != item["date_end"])

    stored = event(str(ranged["id"]))
    assert stored.start_date.isoformat() == ranged["date_start"][:10]
    assert stored.end_date.isoformat() == ranged["date_end"][:10]
    single = event("9900001")
    assert single.end_date is None
    assert single.date_precision == DatePrecision.DAY


def test_ucdp_states_each_event_and_cites_the_articles_that_carry_a_url():
    import_ucdp(SAMPLES / "ucdp_page.json")

    with_url = event("9900003")
    statement = Statement.objects.get(events=with_url)
    assert statement.speaker.name == "UCDP"
    assert with_url.supporting_count == 1
    urls = {source.url for source in statement.sources.all()}
    record = Source.objects.get(url="https://ucdp.uu.se/event/9900003")
    assert record.kind == SourceKind.DATASET
    assert record.publisher.name == "UCDP"
    assert any(url.startswith("https://heratpost.example.org/") for url in urls)
    assert {source.url for source in record.cites.all()} == urls - {record.url}
    # A citation without a URL is no source; its text stays with the event.
    text_only = Statement.objects.get(events=event("9900001"))
    assert [source.url for source in text_only.sources.all()] == ["https://ucdp.uu.se/event/9900001"]
    assert event("9900001").dataset_attributes["ucdp"]["source_article"].startswith("Kabul Herald")


def test_a_reimport_changes_nothing_and_a_newer_page_updates_what_changed():
    import_ucdp(SAMPLES / "ucdp_page.json")
    versions = dict(Event.objects.values_list("id", "version"))

    assert import_ucdp(SAMPLES / "ucdp_page.json").startswith("0 created, 0 updated, 0 matched, 5 unchanged")
    assert dict(Event.objects.values_list("id", "version")) == versions

    summary = import_ucdp(SAMPLES / "ucdp_pages.json")
    assert summary.startswith("2 created, 1 updated, 0 matched, 0 unchanged")
    changed = event("9900001")
    assert changed.fatalities == 5
    assert changed.version == versions[changed.pk] + 1
    assert Statement.objects.filter(events=changed).count() == 1
    assert "5 deaths" in Statement.objects.get(events=changed).text


def test_a_bad_event_is_skipped_with_its_record_number_and_field(tmp_path):
    events = json.loads((SAMPLES / "ucdp_page.json").read_text())["Result"][:2]
    events[1] = {**events[1], "type_of_violence": 9}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"Result": events}))

    summary = import_ucdp(path)

    assert summary.splitlines()[0].startswith("1 created")
    assert "skipped record 2, field type_of_violence (9900002): 9 is not 1, 2 or 3." in summary
    assert not Event.objects.filter(external_ids__ucdp="9900002").exists()
    with pytest.raises(CommandError, match="record 2, field type_of_violence"):
        import_ucdp(path, "--strict")


def test_a_file_that_is_not_ged_json_is_a_clear_error(tmp_path):
    path = tmp_path / "wrong.json"
    path.write_text('{"results": []')
    with pytest.raises(CommandError, match="not JSON"):
        import_ucdp(path)
    path.write_text('{"results": []}')
    with pytest.raises(CommandError, match="Result"):
        import_ucdp(path)


def test_dry_run_writes_nothing():
    summary = import_ucdp(SAMPLES / "ucdp_page.json", "--dry-run")

    assert summary.startswith("Dry run, nothing written: 5 created")
    assert not Event.objects.exists()
    assert not Source.objects.exists()


def test_the_writes_are_recorded_as_the_importer_or_the_named_user(editor):
    import_ucdp(SAMPLES / "ucdp_page.json")
    assert set(Event.history.values_list("history_user__username", flat=True)) == {"dataset-importer"}

    import_ucdp(SAMPLES / "ucdp_pages.json", "--user", editor.username)
    assert set(Event.history.filter(fatalities=5).values_list("history_user__username", flat=True)) == {
        editor.username
    }
    with pytest.raises(CommandError, match="No user 'nobody'"):
        import_ucdp(SAMPLES / "ucdp_page.json", "--user", "nobody")
