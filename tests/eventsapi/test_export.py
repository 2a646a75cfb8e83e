"""?format=csv on every list and ?format=geojson on events and places."""

import csv
import datetime
import io
import json

import pytest

from tests.api_cases import assert_validation_error
from tests.factories import (
    ActorFactory,
    EventFactory,
    ParticipantFactory,
    PlaceFactory,
    SourceFactory,
    StanceFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db

FACTORIES = {
    "/api/v1/places/": PlaceFactory,
    "/api/v1/actors/": ActorFactory,
    "/api/v1/events/": EventFactory,
    "/api/v1/sources/": SourceFactory,
    "/api/v1/statements/": StatementFactory,
}


def body(response) -> str:
    return b"".join(response.streaming_content).decode()


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(body(response))))


def geojson(response) -> dict:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json; charset=utf-8"
    return json.loads(body(response))


@pytest.mark.parametrize("path", list(FACTORIES))
def test_every_list_exports_csv_with_one_row_per_record(api_client, path):
    records = FACTORIES[path].create_batch(3)

    response = api_client.get(path, {"format": "csv"})

    rows = csv_rows(response)
    assert sorted(row["id"] for row in rows) == sorted(str(record.pk) for record in records)
    assert response.streaming
    assert response["Content-Disposition"].startswith("attachment; filename=")


@pytest.mark.parametrize("path", list(FACTORIES))
def test_csv_export_holds_the_whole_list_not_one_page(api_client, path):
    FACTORIES[path].create_batch(3)

    response = api_client.get(path, {"format": "csv", "page_size": "1"})

    assert len(csv_rows(response)) == 3


def test_csv_export_applies_the_filters_and_ordering(api_client):
    EventFactory(title="B", event_type="battle")
    EventFactory(title="A", event_type="battle")
    EventFactory(title="C", event_type="protest")

    rows = csv_rows(
        api_client.get("/api/v1/events/", {"format": "csv", "event_type": "battle", "ordering": "title"})
    )

    assert [row["title"] for row in rows] == ["A", "B"]


def test_csv_columns_are_flat(api_client):
    event = EventFactory(title="Fall of Panjshir", place=PlaceFactory(name="Panjshir", country_code="AF"))
    ParticipantFactory(event=event, actor=ActorFactory(name="Taliban"), role="initiator")

    (row,) = csv_rows(api_client.get("/api/v1/events/", {"format": "csv"}))

    assert row["place_name"] == "Panjshir"
    assert row["country_code"] == "AF"
    assert row["participants"] == "Taliban (initiator)"
    assert row["contested"] == "false"
    assert row["statement_count"] == "0"
    assert row["start_date"] == event.start_date.isoformat()


def test_csv_cells_that_look_like_formulas_are_defused(api_client):
    EventFactory(title='=HYPERLINK("http://evil.example")')

    (row,) = csv_rows(api_client.get("/api/v1/events/", {"format": "csv"}))

    assert row["title"].startswith("'=")


def test_csv_is_also_chosen_by_the_accept_header(api_client):
    EventFactory()

    response = api_client.get("/api/v1/events/", HTTP_ACCEPT="text/csv")

    assert len(csv_rows(response)) == 1


def test_export_query_count_does_not_grow_with_the_rows(api_client, django_assert_max_num_queries):
    def export_events() -> int:
        return len(csv_rows(api_client.get("/api/v1/events/", {"format": "csv"})))

    for _ in range(2):
        ParticipantFactory(event=EventFactory())
    with django_assert_max_num_queries(2) as few:
        export_events()
    for _ in range(6):
        ParticipantFactory(event=EventFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert export_events() == 8


def test_a_bad_filter_on_an_export_is_a_json_problem(api_client):
    response = api_client.get("/api/v1/events/", {"format": "csv", "date_from": "soon"})

    assert_validation_error(response, "date_from")


def test_geojson_export_of_events_uses_their_place_coordinates(api_client):
    event = EventFactory(place=PlaceFactory(latitude=35.3, longitude=69.8))

    collection = geojson(api_client.get("/api/v1/events/", {"format": "geojson"}))

    assert collection["type"] == "FeatureCollection"
    (feature,) = collection["features"]
    assert feature["type"] == "Feature"
    assert feature["id"] == str(event.pk)
    assert feature["geometry"] == {"type": "Point", "coordinates": [69.8, 35.3]}
    assert feature["properties"]["title"] == event.title


def test_geojson_features_without_coordinates_have_null_geometry(api_client):
    EventFactory(place=None)
    EventFactory(place=PlaceFactory(latitude=None, longitude=None))

    collection = geojson(api_client.get("/api/v1/events/", {"format": "geojson"}))

    assert [feature["geometry"] for feature in collection["features"]] == [None, None]


def test_geojson_export_of_places_applies_the_filters(api_client):
    panjshir = PlaceFactory(name="Panjshir", latitude=35.3, longitude=69.8)
    PlaceFactory(name="Erbil", latitude=36.19, longitude=44.01)

    collection = geojson(api_client.get("/api/v1/places/", {"format": "geojson", "bbox": "69,35,70,36"}))

    assert [feature["id"] for feature in collection["features"]] == [str(panjshir.pk)]
    assert collection["features"][0]["properties"]["name"] == "Panjshir"


def test_geojson_of_an_empty_list_is_an_empty_collection(api_client):
    assert geojson(api_client.get("/api/v1/places/", {"format": "geojson"})) == {
        "type": "FeatureCollection",
        "features": [],
    }


@pytest.mark.parametrize("path", ["/api/v1/statements/", "/api/v1/sources/", "/api/v1/actors/"])
def test_geojson_is_not_offered_where_records_have_no_place(api_client, path):
    response = api_client.get(path, {"format": "geojson"})

    # An unknown format is a bad parameter (400 naming it), as the schema declares.
    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == ["format"]


def test_statement_csv_lists_its_stances(api_client):
    link = StanceFactory(stance="refutes")

    (row,) = csv_rows(api_client.get("/api/v1/statements/", {"format": "csv"}))

    assert row["about"] == f"{link.event_id}:refutes"


def test_schema_documents_both_export_formats(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    events = schema["paths"]["/api/v1/events/"]["get"]
    statements = schema["paths"]["/api/v1/statements/"]["get"]

    content = events["responses"]["200"]["content"]
    assert content["text/csv"]["schema"]["type"] == "string"
    assert content["application/geo+json"]["schema"]["properties"]["type"]["enum"] == ["FeatureCollection"]
    formats = {p["name"]: p for p in events["parameters"]}["format"]["schema"]["enum"]
    assert set(formats) == {"json", "csv", "geojson", "acled"}
    assert "application/geo+json" not in statements["responses"]["200"]["content"]


def test_csv_export_refuses_a_malformed_page_size_naming_it(api_client, db):
    response = api_client.get("/api/v1/statements/", {"format": "csv", "page_size": "true"})

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "page_size"


def test_csv_export_refuses_a_malformed_cursor_naming_it(api_client, db):
    response = api_client.get("/api/v1/events/", {"format": "csv", "cursor": "garbage"})

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "cursor"


def test_csv_export_walks_every_row_once_in_order_across_chunks(api_client, monkeypatch):
    # Chunks of two over seven events, several sharing a start date: the keyset walk must
    # neither repeat nor skip rows at chunk edges, and keep the requested order.
    monkeypatch.setattr("eventsapi.api.export.CHUNK_SIZE", 2)
    same_day = datetime.date(2021, 9, 6)
    events = [EventFactory(start_date=same_day) for _ in range(4)]
    events += [EventFactory(start_date=same_day - datetime.timedelta(days=n)) for n in (1, 2, 3)]
    expected = sorted(events, key=lambda event: (-event.start_date.toordinal(), str(event.pk)))

    rows = csv_rows(api_client.get("/api/v1/events/", {"format": "csv"}))

    assert [row["id"] for row in rows] == [str(event.pk) for event in expected]


def test_geojson_export_joins_chunks_into_one_valid_collection(api_client, monkeypatch):
    monkeypatch.setattr("eventsapi.api.export.CHUNK_SIZE", 2)
    places = [PlaceFactory(latitude=1.0 + n, longitude=2.0) for n in range(5)]

    collection = geojson(api_client.get("/api/v1/places/", {"format": "geojson"}))

    assert sorted(feature["id"] for feature in collection["features"]) == sorted(
        str(place.pk) for place in places
    )


def test_export_streams_a_chunk_of_rows_per_write_not_a_row(api_client, monkeypatch):
    monkeypatch.setattr("eventsapi.api.export.CHUNK_SIZE", 3)
    EventFactory.create_batch(7)

    response = api_client.get("/api/v1/events/", {"format": "csv"})

    pieces = list(response.streaming_content)
    # The header, then chunks of 3, 3 and 1 rows.
    assert [piece.count(b"\n") for piece in pieces] == [1, 3, 3, 1]


def test_statement_csv_lists_its_sources_and_speaker(api_client):
    statement = StatementFactory(speaker=ActorFactory(name="Ahmad Massoud"))
    sources = SourceFactory.create_batch(2)
    statement.sources.set(sources)

    (row,) = csv_rows(api_client.get("/api/v1/statements/", {"format": "csv"}))

    assert sorted(row["sources"].split("; ")) == sorted(str(source.pk) for source in sources)
    assert row["speaker_name"] == "Ahmad Massoud"
