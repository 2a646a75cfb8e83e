"""``manage.py import_acled``: ACLED's 31-column CSV in, and ``?format=acled`` out again.

The files are tests/datasets/samples/ (their README lists what each row exercises), plus
``acled_rollback.csv``, added for these tests: five rows that all fail, about a place, actors
and an outlet found in no other file. Row 1 (AFG59001) passes the reader but its bundle fails
(a battle with the sub-event type "Peaceful protest") after the operations for its places and
actors ran. Row 2 has fatalities "-3", row 3 time_precision 4, row 4 event_date
"31 February 2021", and row 5 a location of more than 200 characters, which fails inside the
bundle, at the place.
"""

import csv
import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections

from claims.models import Source, Statement, StatementEvent
from datasets.management.commands.import_acled import Command as ImportAcledCommand
from datasets.models import DatasetRecord
from events.models import Actor, Event, Participant, Place
from tests.api_cases import assert_problem, assert_validation_error
from tests.factories import ActorFactory, EventFactory, ParticipantFactory, PlaceFactory

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "samples"
EVENTS = "/api/v1/events/"

# ACLED's classic export, in its order (written out here, not read from the code under test).
ACLED_COLUMNS = [
    "data_id",
    "iso",
    "event_id_cnty",
    "event_id_no_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "timestamp",
    "iso3",
]
FIRST_IMPORT_IDS = {
    "AFG50101",
    "AFG50102",
    "AFG50103",
    "AFG50104",
    "AFG50105",
    "IRN1201",
    "IRN1202",
    "IRN1203",
    "AFG50106",
    "GHA401",
}
SHINDAND_NOTES = (
    "Around 12 September 2021 (week of), unidentified gunmen attacked a family home in Shīndand, "
    "Herat, killing one man and wounding two others, according to a local elder.\n"
    'A relative said the attackers shouted "leave the valley" before fleeing.'
)
RESOURCES = (Event, Statement, Source, Place, Actor)


def sample(name: str) -> str:
    return str(SAMPLES / name)


def import_acled(*args: str) -> list[str]:
    """Run the command; its output lines (the summary first)."""
    out = io.StringIO()
    call_command("import_acled", *args, "--no-progress", stdout=out)
    return out.getvalue().splitlines()


def summary(created=0, updated=0, matched=0, unchanged=0, tombstoned=0, skipped=0) -> str:
    return (
        f"{created} created, {updated} updated, {matched} matched, {unchanged} unchanged, "
        f"{tombstoned} tombstoned, {skipped} skipped."
    )


def sample_rows(name: str) -> dict[str, dict[str, str]]:
    """The rows of a sample file as the csv module reads them, by event_id_cnty."""
    with open(SAMPLES / name, encoding="utf-8-sig", newline="") as handle:
        return {row["event_id_cnty"]: row for row in csv.DictReader(handle)}


def event(acled_id: str) -> Event:
    return Event.all_objects.get(external_ids__acled=acled_id)


def participants(acled_id: str) -> set[tuple[str, str]]:
    return set(Participant.objects.filter(event=event(acled_id)).values_list("actor__name", "role"))


def acled_statements(acled_id: str) -> list[Statement]:
    return list(Statement.all_objects.filter(events=event(acled_id)))


def state() -> dict:
    """Every resource's (id, version), the history of each model, and the link tables."""
    snapshot = {}
    for model in RESOURCES:
        snapshot[model.__name__] = sorted(
            (str(pk), version) for pk, version in model.all_objects.values_list("pk", "version")
        )
        snapshot[f"{model.__name__} history"] = model.history.count()
    snapshot["participants"] = sorted(Participant.objects.values_list("event_id", "actor_id", "role"))
    snapshot["stances"] = sorted(StatementEvent.objects.values_list("statement_id", "event_id", "stance"))
    snapshot["statement sources"] = sorted(
        Statement.sources.through.objects.values_list("statement_id", "source_id")
    )
    snapshot["cites"] = sorted(Source.cites.through.objects.values_list("from_source_id", "to_source_id"))
    snapshot["records"] = sorted(
        DatasetRecord.objects.values_list("scheme", "record_id", "digest", "deleted_at")
    )
    return snapshot


def listed(client, **params) -> set[str]:
    response = client.get(EVENTS, params)
    assert response.status_code == 200, response.content
    return {row["external_ids"].get("acled", row["title"]) for row in response.json()["results"]}


def export(client) -> tuple[object, bytes]:
    response = client.get(EVENTS, {"format": "acled"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def exported_rows(body: bytes) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""))
    header = next(reader)
    return header, [dict(zip(header, fields, strict=True)) for fields in reader]


@pytest.fixture
def imported() -> list[str]:
    """acled_events.csv imported; the command's output."""
    return import_acled(sample("acled_events.csv"))


# 1. The import --------------------------------------------------------------------------


def test_the_import_creates_one_event_per_row_and_says_so(imported):
    assert imported == [summary(created=10)]
    assert set(Event.objects.values_list("external_ids__acled", flat=True)) == FIRST_IMPORT_IDS
    assert DatasetRecord.objects.filter(scheme="acled").count() == 10


def test_rows_at_the_same_place_share_its_places(imported):
    assert Place.objects.filter(kind="country", name="Afghanistan").count() == 1
    assert Place.objects.filter(kind="admin1", name="Balkh").count() == 1
    mazar = Place.objects.get(kind="locality", name="Mazar-e Sharif")
    assert set(Event.objects.filter(place=mazar).values_list("external_ids__acled", flat=True)) == {
        "AFG50101",
        "AFG50102",
        "AFG50103",
        "AFG50106",
    }
    # Kabul is the admin1, the admin2 and the locality of AFG50105: one place of each kind.
    assert sorted(Place.objects.filter(name="Kabul").values_list("kind", flat=True)) == [
        "admin1",
        "admin2",
        "locality",
    ]


def test_places_form_the_hierarchy_country_admin1_admin2_admin3_locality(imported):
    place = event("AFG50101").place
    chain = []
    while place is not None:
        chain.append((place.kind, place.name))
        place = place.parent
    assert chain == [
        ("locality", "Mazar-e Sharif"),
        ("admin3", "Mazar-e Sharif City"),
        ("admin2", "Mazar-e Sharif"),
        ("admin1", "Balkh"),
        ("country", "Afghanistan"),
    ]
    locality = event("AFG50101").place
    assert (locality.latitude, locality.longitude) == (pytest.approx(36.709), pytest.approx(67.1109))
    assert set(Place.objects.filter(parent__isnull=True).values_list("name", flat=True)) == {
        "Afghanistan",
        "Iran",
        "Ghana",
    }
    assert Place.objects.get(kind="country", name="Iran").country_code == "IR"


def test_a_row_without_admin3_puts_its_locality_in_the_admin2(imported):
    shindand = event("AFG50104").place
    assert (shindand.kind, shindand.name) == ("locality", "Shīndand")
    assert (shindand.parent.kind, shindand.parent.name) == ("admin2", "Shindand")
    assert (shindand.parent.parent.kind, shindand.parent.parent.name) == ("admin1", "Herat")


def test_a_zero_zero_coordinate_is_kept_as_zero_not_missing(imported, api_client):
    gulf = event("GHA401").place
    assert gulf.name == "Gulf of Guinea"
    assert gulf.latitude is not None
    assert gulf.longitude is not None
    assert (gulf.latitude, gulf.longitude) == (0.0, 0.0)
    # admin1 to admin3 are empty: the locality is right under the country.
    assert (gulf.parent.kind, gulf.parent.name, gulf.parent.country_code) == ("country", "Ghana", "GH")
    body = api_client.get(f"/api/v1/places/{gulf.pk}/").json()
    assert (body["latitude"], body["longitude"]) == (0.0, 0.0)


def test_fatalities_zero_is_zero_and_empty_is_unknown(imported):
    assert event("AFG50101").fatalities == 3
    assert event("AFG50102").fatalities == 0
    assert event("AFG50103").fatalities is None


def test_notes_with_commas_quotes_and_a_newline_are_kept_exactly(imported):
    assert sample_rows("acled_events.csv")["AFG50104"]["notes"] == SHINDAND_NOTES
    assert event("AFG50104").summary == SHINDAND_NOTES
    assert [statement.text for statement in acled_statements("AFG50104")] == [SHINDAND_NOTES]


def test_actors_and_associated_actors_take_their_sides(imported):
    assert participants("AFG50101") == {
        ("Police Forces of Afghanistan (2021-)", "initiator"),
        ("Northern Valley Front", "target"),
    }
    # Two associated actors split on ";", both initiators; an empty actor2 gives no target.
    assert participants("AFG50102") == {
        ("Protesters (Afghanistan)", "initiator"),
        ("Women (Afghanistan)", "initiator"),
        ("Teachers (Afghanistan)", "initiator"),
    }
    assert participants("IRN1201") == {
        ("Protesters (Iran)", "initiator"),
        ("Labor Group (Iran)", "initiator"),
        ("Police Forces of Iran (1989-)", "target"),
    }
    assert not Actor.objects.filter(name__contains=";").exists()
    assert Actor.objects.filter(name="Northern Valley Front").count() == 1
    assert set(Actor.objects.values_list("kind", flat=True)) == {"organization"}


def test_time_precision_becomes_the_date_precision(imported):
    assert event("AFG50101").date_precision == "day"
    assert event("AFG50104").date_precision == "week"
    assert event("AFG50106").date_precision == "week"
    assert event("AFG50105").date_precision == "month"
    assert event("AFG50101").start_date == datetime.date(2021, 9, 4)
    assert event("AFG50105").start_date == datetime.date(2021, 9, 15)


def test_non_ascii_names_and_notes_are_kept(imported):
    assert event("IRN1202").place.name == "Ahvāz"
    assert event("IRN1203").place.name == "Zāhedān"
    assert "Ahvāz (اهواز), Khuzestan" in event("IRN1202").summary
    assert Place.objects.filter(name="Shīndand").exists()


def test_columns_without_a_field_are_kept_in_dataset_attributes(imported):
    assert event("AFG50101").dataset_attributes == {
        "acled": {
            "data_id": "8810001",
            "iso": "4",
            "event_id_no_cnty": "50101",
            "inter1": "1",
            "inter2": "2",
            "interaction": "12",
            "region": "South Asia",
            "geo_precision": "1",
            "source": "Kabul Herald",
            "source_scale": "National",
            "timestamp": "1631100000",
            "iso3": "AFG",
        }
    }
    assert event("AFG50102").dataset_attributes["acled"]["inter2"] == "0"
    assert event("GHA401").dataset_attributes["acled"]["geo_precision"] == "3"


def test_event_type_sub_event_type_and_external_id(imported):
    clash = event("AFG50101")
    assert (clash.event_type, clash.sub_event_type) == ("battle", "armed_clash")
    assert clash.external_ids == {"acled": "AFG50101"}
    assert (event("IRN1203").event_type, event("IRN1203").sub_event_type) == (
        "explosion_remote_violence",
        "air_drone_strike",
    )
    assert event("IRN1201").sub_event_type == "protest_with_intervention"
    assert event("GHA401").sub_event_type == "abduction_forced_disappearance"


# 2. Provenance ------------------------------------------------------------------------


def test_acled_states_each_event_in_one_supporting_statement(imported):
    clash = event("AFG50101")
    assert (clash.statement_count, clash.supporting_count, clash.refuting_count) == (1, 1, 0)
    (statement,) = acled_statements("AFG50101")
    assert (statement.speaker.name, statement.speaker.kind) == ("ACLED", "organization")
    assert statement.text == clash.summary
    assert StatementEvent.objects.get(statement=statement).stance == "supports"
    assert Actor.objects.filter(name="ACLED").count() == 1
    assert Statement.objects.count() == 10


def test_the_statement_cites_the_dataset_record_and_each_outlet(imported):
    (statement,) = acled_statements("AFG50101")
    sources = list(statement.sources.select_related("publisher"))
    (record,) = [source for source in sources if source.kind == "dataset"]
    assert record.publisher.name == "ACLED"
    outlets = [source for source in sources if source.kind != "dataset"]
    assert [outlet.publisher.name for outlet in outlets] == ["Kabul Herald"]
    assert set(record.cites.all()) == set(outlets)
    assert record.published_at == datetime.datetime.fromtimestamp(1631100000, tz=datetime.UTC)


def test_a_row_with_two_outlets_cites_two_sources(imported):
    (statement,) = acled_statements("AFG50103")
    sources = list(statement.sources.select_related("publisher"))
    assert sorted(source.kind for source in sources) == ["dataset", "other", "other"]
    outlets = {source.publisher.name: source for source in sources if source.kind != "dataset"}
    assert set(outlets) == {"Kabul Herald", "Northern Radio"}
    # An outlet is one actor, whichever rows name it.
    assert Actor.objects.filter(name="Kabul Herald").count() == 1
    record = next(source for source in sources if source.kind == "dataset")
    assert set(record.cites.all()) == set(outlets.values())


def test_the_event_timeline_lists_acleds_statement(imported, api_client):
    clash = event("AFG50101")
    (statement,) = acled_statements("AFG50101")

    response = api_client.get(f"/api/v1/events/{clash.pk}/timeline/")

    assert response.status_code == 200
    (entry,) = [entry for entry in response.json()["results"] if entry["type"] == "statement"]
    assert entry["id"] == str(statement.pk)
    assert entry["actor"]["name"] == "ACLED"
    assert entry["stance"] == "supports"
    assert entry["summary"] == clash.summary


# 3. Re-import -------------------------------------------------------------------------


def test_importing_the_same_file_again_changes_nothing(imported):
    before = state()

    assert import_acled(sample("acled_events.csv")) == [summary(unchanged=10)]

    assert state() == before


def test_a_reimport_that_runs_the_bundles_again_matches_everything_and_bumps_nothing(imported):
    # Without the stored digests every row goes through its bundle: all matched, no writes.
    DatasetRecord.objects.update(digest="")
    before = state()

    assert import_acled(sample("acled_events.csv")) == [summary(matched=10)]

    after = state()
    del before["records"], after["records"]
    assert after == before


# 4. An updated export -----------------------------------------------------------------


def test_an_updated_export_updates_changed_rows_creates_new_ones_and_leaves_the_rest(imported):
    before = {acled_id: event(acled_id).version for acled_id in FIRST_IMPORT_IDS}
    statements_before = {acled_id: acled_statements(acled_id)[0] for acled_id in FIRST_IMPORT_IDS}
    places_before = state()["Place"]

    assert import_acled(sample("acled_events_updated.csv")) == [summary(created=1, updated=2, unchanged=7)]

    clash = event("AFG50101")
    assert (clash.version, clash.fatalities) == (before["AFG50101"] + 1, 4)
    assert clash.dataset_attributes["acled"]["timestamp"] == "1633500000"
    mob = event("IRN1202")
    assert mob.version == before["IRN1202"] + 1
    assert mob.summary.endswith(
        "Both men died of their injuries. Police later said the men had been wrongly accused."
    )
    # The statement follows the notes: the same statement, changed, not a second one.
    (statement,) = acled_statements("IRN1202")
    assert statement.pk == statements_before["IRN1202"].pk
    assert statement.text == mob.summary
    assert statement.version == statements_before["IRN1202"].version + 1
    assert mob.supporting_count == 1
    (clash_statement,) = acled_statements("AFG50101")
    assert clash_statement.pk == statements_before["AFG50101"].pk
    assert clash_statement.stated_on == datetime.date(2021, 10, 6)
    # The new row, at the Mazar-e Sharif place, which it shares.
    arrests = event("AFG50107")
    assert (arrests.sub_event_type, arrests.place.name) == ("arrests", "Mazar-e Sharif")
    assert Place.objects.filter(kind="locality", name="Mazar-e Sharif").count() == 1
    assert state()["Place"] == places_before
    assert len(acled_statements("AFG50107")) == 1
    # Unchanged rows are untouched, and so is the row the new export left out.
    for acled_id in FIRST_IMPORT_IDS - {"AFG50101", "IRN1202"}:
        assert event(acled_id).version == before[acled_id], acled_id
        assert acled_statements(acled_id)[0].version == statements_before[acled_id].version, acled_id
    removed = event("AFG50105")
    assert removed.deleted_at is None
    assert removed.fatalities == 0
    assert Statement.objects.count() == 11
    assert Event.objects.count() == 11


# 5. Deleted events --------------------------------------------------------------------


def test_the_deleted_file_tombstones_known_events_and_reports_unknown_ids(api_client):
    output = import_acled(sample("acled_events.csv"), "--deleted", sample("acled_deleted.csv"))

    assert output == [
        summary(created=10, tombstoned=1, skipped=1),
        "  skipped line 3, column event_id_cnty (AFG99999): no event has this ACLED id.",
    ]
    strike = event("IRN1203")
    assert strike.deleted_at is not None
    assert_problem(api_client.get(f"{EVENTS}{strike.pk}/"), 410)
    assert listed(api_client, external_id="acled:IRN1203") == set()
    assert listed(api_client) == FIRST_IMPORT_IDS - {"IRN1203"}
    (statement,) = acled_statements("IRN1203")
    assert statement.deleted_at is not None
    assert_problem(api_client.get(f"/api/v1/statements/{statement.pk}/"), 410)
    record = DatasetRecord.objects.get(scheme="acled", record_id="IRN1203")
    assert record.deleted_at == datetime.datetime.fromtimestamp(1633600000, tz=datetime.UTC)
    # The other events keep their statements.
    assert event("IRN1202").deleted_at is None
    assert acled_statements("IRN1202")[0].deleted_at is None


def test_deleting_again_is_unchanged(imported):
    import_acled(sample("acled_events.csv"), "--deleted", sample("acled_deleted.csv"))
    before = state()

    output = import_acled(sample("acled_events.csv"), "--deleted", sample("acled_deleted.csv"))

    # IRN1203 in acled_events.csv (row 8, file line 10: row 4 spans two lines) is older than
    # its deletion, so it stays deleted.
    assert output[0] == summary(unchanged=10, skipped=2)
    assert output[1].startswith("  skipped line 10, column timestamp (IRN1203): ACLED deleted this event")
    assert output[2] == "  skipped line 3, column event_id_cnty (AFG99999): no event has this ACLED id."
    assert state() == before


def test_a_newer_export_brings_a_deleted_event_back(api_client):
    import_acled(sample("acled_events.csv"), "--deleted", sample("acled_deleted.csv"))
    deleted = event("IRN1203")

    output = import_acled(sample("acled_reappearing.csv"))

    assert output in ([summary(updated=1)], [summary(created=1)])
    assert Event.all_objects.filter(external_ids__acled="IRN1203").count() == 1
    strike = event("IRN1203")
    assert strike.pk == deleted.pk
    assert strike.deleted_at is None
    assert strike.dataset_attributes["acled"]["data_id"] == "8810108"
    assert api_client.get(f"{EVENTS}{strike.pk}/").status_code == 200
    assert len(api_client.get(EVENTS, {"external_id": "acled:IRN1203"}).json()["results"]) == 1
    (statement,) = acled_statements("IRN1203")
    assert statement.deleted_at is None
    assert {source.kind for source in statement.sources.all()} == {"dataset", "other"}
    assert not Source.all_objects.filter(url__contains="IRN1203", deleted_at__isnull=False).exists()
    assert strike.supporting_count == 1
    timeline = api_client.get(f"{EVENTS}{strike.pk}/timeline/").json()["results"]
    assert [entry["id"] for entry in timeline if entry["type"] == "statement"] == [str(statement.pk)]
    assert DatasetRecord.objects.get(scheme="acled", record_id="IRN1203").deleted_at is None


def test_a_deletion_older_than_the_latest_export_is_refused(imported):
    import_acled(sample("acled_events.csv"), "--deleted", sample("acled_deleted.csv"))
    import_acled(sample("acled_reappearing.csv"))

    output = import_acled(sample("acled_reappearing.csv"), "--deleted", sample("acled_deleted.csv"))

    assert output[0] == summary(unchanged=1, skipped=2)
    assert output[1] == (
        "  skipped line 2, column deleted_timestamp (IRN1203): "
        "ACLED exported the event again after this deletion; it stays."
    )
    assert event("IRN1203").deleted_at is None


# 6. Bad rows --------------------------------------------------------------------------


def test_bad_rows_are_reported_by_line_and_column_and_good_rows_imported():
    output = import_acled(sample("acled_bad_rows.csv"))

    assert output[0] == summary(created=3, skipped=2)
    assert output[1] == "  skipped line 4, column latitude (AFG50202): 'north' is not a number."
    assert output[2].startswith(
        "  skipped line 5, column event_type (AFG50203): 'Festivities' is not one of ACLED's event types"
    )
    assert len(output) == 3
    assert set(Event.objects.values_list("external_ids__acled", flat=True)) == {
        "AFG50201",
        "IRN1301",
        "GHA402",
    }
    accra = event("GHA402").place
    assert (accra.name, accra.parent.kind, accra.parent.name) == ("Accra", "admin2", "Accra Metropolitan")
    # Nothing of the bad rows: their events, records, and what only they named.
    assert not DatasetRecord.objects.filter(record_id__in=["AFG50202", "AFG50203"]).exists()
    assert not Event.all_objects.filter(external_ids__acled__in=["AFG50202", "AFG50203"]).exists()
    assert not Place.all_objects.filter(name="Kabul").exists()
    assert not Actor.all_objects.filter(
        name__in=["Northern Valley Front", "Civilians (Afghanistan)", "Kabul Herald", "Northern Radio"]
    ).exists()


def test_a_row_whose_bundle_fails_leaves_nothing_behind(imported):
    before = state()

    output = import_acled(sample("acled_rollback.csv"))

    assert output == [
        summary(skipped=5),
        "  skipped line 2, column sub_event_type (AFG59001): "
        "peaceful_protest is a sub-event type of protest, not of battle.",
        "  skipped line 3, column fatalities (AFG59002): '-3' is not a whole number of 0 or more.",
        "  skipped line 4, column time_precision (AFG59003): '4' is not 1 (day), 2 (week) or 3 (month).",
        "  skipped line 5, column event_date (AFG59004): '31 February 2021' is not a date "
        "(04 September 2021 or 2021-09-04).",
        "  skipped line 6, column location (AFG59005): Ensure this field has no more than 200 characters.",
    ]
    assert state() == before
    assert not Place.all_objects.filter(name__in=["Samangan", "Aybak", "Aybak City"]).exists()
    assert not Actor.all_objects.filter(
        name__in=["Ridge Watch Militia", "Stone Pass Volunteers", "Aybak Morning Star"]
    ).exists()


def test_strict_stops_at_the_first_bad_row():
    out = io.StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("import_acled", sample("acled_bad_rows.csv"), "--strict", "--no-progress", stdout=out)

    message = str(raised.value)
    assert message.startswith("Stopped (--strict) at line 4, column latitude (AFG50202): ")
    # The rows before it stay imported; none after it is read.
    assert out.getvalue().splitlines() == [summary(created=2)]
    assert set(Event.objects.values_list("external_ids__acled", flat=True)) == {"AFG50201", "IRN1301"}
    assert not Place.objects.filter(name="Accra").exists()


# 7. Dry run ---------------------------------------------------------------------------


def test_a_dry_run_says_what_would_happen_and_writes_nothing():
    output = import_acled(sample("acled_events.csv"), "--dry-run")

    assert output == ["Dry run, nothing written: " + summary(created=10)]
    for model in (*RESOURCES, DatasetRecord):
        assert model._base_manager.count() == 0, model.__name__
    for model in RESOURCES:
        assert model.history.count() == 0, model.__name__
    # The real import after it is not misled by anything the dry run remembered.
    assert import_acled(sample("acled_events.csv")) == [summary(created=10)]


def test_a_dry_run_of_an_update_with_deletions_writes_nothing(imported):
    before = state()

    output = import_acled(
        sample("acled_events_updated.csv"), "--deleted", sample("acled_deleted.csv"), "--dry-run"
    )

    assert output == [
        "Dry run, nothing written: " + summary(created=1, updated=2, unchanged=7, tombstoned=1, skipped=1),
        "  skipped line 3, column event_id_cnty (AFG99999): no event has this ACLED id.",
    ]
    assert state() == before


def test_a_dry_run_of_a_file_and_its_deletions_predicts_the_real_run():
    args = (sample("acled_events.csv"), "--deleted", sample("acled_deleted.csv"))

    dry = import_acled(*args, "--dry-run")

    assert dry == [
        "Dry run, nothing written: " + line if index == 0 else line
        for index, line in enumerate(import_acled(*args))
    ]


# 8. File formats ----------------------------------------------------------------------


def test_a_semicolon_delimited_file_imports():
    assert import_acled(sample("acled_semicolon.csv")) == [summary(created=2)]

    assert participants("AFG50301") == {
        ("Protesters (Afghanistan)", "initiator"),
        ("Students (Afghanistan)", "initiator"),
        ("Teachers (Afghanistan)", "initiator"),
    }
    assert event("AFG50301").summary == (
        "On 8 October 2021, students and teachers marched in Mazar-e Sharif city (Balkh); organisers said: "
        '"we want classes, not promises".'
    )
    (statement,) = acled_statements("AFG50301")
    assert {source.publisher.name for source in statement.sources.all() if source.kind != "dataset"} == {
        "Balkh Daily",
        "Northern Radio",
    }
    farmers = event("IRN1302")
    assert farmers.summary == "On 9 October 2021, farmers gathered in Ahvāz (Khuzestan) over water shortages."
    assert (farmers.place.latitude, farmers.place.longitude) == (
        pytest.approx(31.3183),
        pytest.approx(48.6706),
    )


def test_a_latin1_file_is_refused_with_a_message_about_utf8():
    with pytest.raises(CommandError) as raised:
        import_acled(sample("acled_latin1.csv"))

    assert "UTF-8" in str(raised.value)
    assert "line 2" in str(raised.value)
    assert raised.value.__cause__ is None
    assert Event.all_objects.count() == 0


def test_the_command_line_reports_a_bad_file_without_a_traceback(monkeypatch):
    # run_from_argv is what manage.py runs; it closes the connections when done, which
    # would end the test's transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    out, err = io.StringIO(), io.StringIO()
    command = ImportAcledCommand(stdout=out, stderr=err)

    with pytest.raises(SystemExit) as exited:
        command.run_from_argv(
            ["manage.py", "import_acled", sample("acled_latin1.csv"), "--no-progress", "--skip-checks"]
        )

    assert exited.value.code == 1
    assert err.getvalue().startswith("CommandError: ")
    assert "not UTF-8" in err.getvalue()
    assert "Traceback" not in err.getvalue() + out.getvalue()


def test_a_file_without_event_id_cnty_in_its_header_is_refused():
    with pytest.raises(CommandError, match="event_id_cnty"):
        import_acled(sample("acled_wrong_header.csv"))

    assert Event.all_objects.count() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"just some words\nand more words\n", "no comma, semicolon or tab"),
    ],
)
def test_files_that_are_not_csv_are_refused(tmp_path, content, message):
    path = tmp_path / "not.csv"
    path.write_bytes(content)

    with pytest.raises(CommandError, match=message):
        import_acled(str(path))


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        import_acled(str(tmp_path / "missing.csv"))


def test_iso_dates_parse_to_the_same_days_as_acleds_spelled_out_dates():
    assert import_acled(sample("acled_iso_dates.csv")) == [summary(created=2)]
    assert event("AFG50101").start_date == datetime.date(2021, 9, 4)
    assert event("AFG50102").start_date == datetime.date(2021, 9, 5)

    # The same rows with "04 September 2021" parse to the same values: unchanged.
    assert import_acled(sample("acled_events.csv")) == [summary(created=8, unchanged=2)]


# 9. The export ------------------------------------------------------------------------


def test_the_export_gives_acleds_columns_and_the_rows_values(imported, api_client):
    response, body = export(api_client)

    assert response["Content-Type"].startswith("text/csv")
    header, rows = exported_rows(body)
    with open(SAMPLES / "acled_events.csv", encoding="utf-8-sig", newline="") as handle:
        assert next(csv.reader(handle)) == ACLED_COLUMNS
    assert header == ACLED_COLUMNS
    by_id = {row["event_id_cnty"]: row for row in rows}
    assert set(by_id) == FIRST_IMPORT_IDS
    given = sample_rows("acled_events.csv")
    must_match = [
        "event_id_cnty",
        "fatalities",
        "notes",
        "actor1",
        "assoc_actor_1",
        "actor2",
        "assoc_actor_2",
        "country",
        "admin1",
        "admin2",
        "admin3",
        "location",
        "source",
        "timestamp",
        "data_id",
        "iso",
        "inter1",
        "inter2",
        "interaction",
        "time_precision",
        "event_type",
        "sub_event_type",
        "year",
        "iso3",
    ]
    for acled_id in ("AFG50101", "AFG50102", "AFG50103", "AFG50104", "AFG50105", "GHA401"):
        assert {column: by_id[acled_id][column] for column in must_match} == {
            column: given[acled_id][column] for column in must_match
        }, acled_id
    assert by_id["AFG50104"]["notes"] == SHINDAND_NOTES
    assert by_id["AFG50103"]["fatalities"] == ""
    assert (by_id["GHA401"]["latitude"], by_id["GHA401"]["longitude"]) == ("0.0", "0.0")
    assert float(by_id["AFG50101"]["latitude"]) == 36.709
    assert datetime.date.fromisoformat(by_id["AFG50101"]["event_date"]) == datetime.date(2021, 9, 4)


def test_importing_the_export_is_a_no_op(imported, api_client, tmp_path):
    _, body = export(api_client)
    path = tmp_path / "export.csv"
    path.write_bytes(body)
    before = state()

    assert import_acled(str(path)) == [summary(unchanged=10)]

    assert state() == before


def test_importing_the_export_through_the_bundles_is_a_no_op_too(imported, api_client, tmp_path):
    _, body = export(api_client)
    path = tmp_path / "export.csv"
    path.write_bytes(body)
    DatasetRecord.objects.update(digest="")
    before = state()

    assert import_acled(str(path)) == [summary(matched=10)]

    after = state()
    del before["records"], after["records"]
    assert after == before


def test_an_event_made_by_hand_exports_with_empty_acled_only_columns(api_client):
    made = EventFactory(
        title="Clash near a checkpoint",
        summary="Two groups exchanged fire.",
        event_type="battle",
        fatalities=2,
        start_date=datetime.date(2021, 9, 6),
        place=PlaceFactory(name="Bazarak", latitude=35.3, longitude=69.8),
    )
    ParticipantFactory(event=made, actor=ActorFactory(name="Hill Guards"), role="initiator")

    _, body = export(api_client)

    header, (row,) = exported_rows(body)
    assert header == ACLED_COLUMNS
    acled_only = [
        "data_id",
        "iso",
        "event_id_cnty",
        "event_id_no_cnty",
        "inter1",
        "inter2",
        "interaction",
        "region",
        "geo_precision",
        "source",
        "source_scale",
        "timestamp",
        "iso3",
    ]
    assert {column: row[column] for column in acled_only} == dict.fromkeys(acled_only, "")
    assert (row["event_type"], row["sub_event_type"], row["time_precision"]) == ("Battles", "", "1")
    assert (row["actor1"], row["actor2"], row["location"]) == ("Hill Guards", "", "Bazarak")
    assert (row["notes"], row["fatalities"], row["event_date"]) == (
        "Two groups exchanged fire.",
        "2",
        "2021-09-06",
    )


def test_the_export_costs_the_same_queries_however_many_events(
    imported, api_client, django_assert_num_queries
):
    # The events, one query per level of the place hierarchy (locality to country: 5) and
    # the participants.
    with django_assert_num_queries(7):
        _, body = export(api_client)
    assert len(exported_rows(body)[1]) == 10

    import_acled(sample("acled_events_updated.csv"))
    import_acled(sample("acled_semicolon.csv"))

    with django_assert_num_queries(7):
        _, body = export(api_client)
    assert len(exported_rows(body)[1]) == 13


# 10. Filters on imported events -------------------------------------------------------


def test_fatalities_filters(imported, api_client):
    assert listed(api_client, fatalities_min=3) == {"AFG50101", "IRN1203", "AFG50106"}
    # Zero is a count; the row with no count (AFG50103) matches neither bound.
    assert listed(api_client, fatalities_max=0) == {"AFG50102", "AFG50105", "IRN1201", "GHA401"}
    assert listed(api_client, fatalities_min=1, fatalities_max=2) == {"AFG50104", "IRN1202"}
    assert "AFG50103" not in listed(api_client, fatalities_min=0)


def test_external_id_and_sub_event_type_filters(imported, api_client):
    assert listed(api_client, external_id="acled:AFG50101") == {"AFG50101"}
    assert listed(api_client, external_id="acled:afg50101") == {"AFG50101"}
    assert listed(api_client, external_id="acled:AFG99999") == set()
    assert listed(api_client, sub_event_type="armed_clash") == {"AFG50101", "AFG50106"}
    assert listed(api_client, sub_event_type="armed_clash,air_drone_strike") == {
        "AFG50101",
        "AFG50106",
        "IRN1203",
    }


def test_a_filtered_list_costs_the_same_queries_however_many_match(
    imported, api_client, django_assert_num_queries
):
    for params, count in (({"sub_event_type": "agreement"}, 1), ({"fatalities_max": 0}, 4)):
        with django_assert_num_queries(2):
            response = api_client.get(EVENTS, params)
        assert len(response.json()["results"]) == count


def test_fatalities_min_above_fatalities_max_is_a_400_naming_the_parameter(imported, api_client):
    error = assert_validation_error(
        api_client.get(EVENTS, {"fatalities_min": 5, "fatalities_max": 2}), "fatalities_min"
    )
    assert "fatalities_max" in error["message"]


@pytest.mark.parametrize("value", ["-1", "abc", "2.5"])
def test_fatalities_bounds_must_be_whole_numbers(imported, api_client, value):
    assert_validation_error(api_client.get(EVENTS, {"fatalities_min": value}), "fatalities_min")
    assert_validation_error(api_client.get(EVENTS, {"fatalities_max": value}), "fatalities_max")
