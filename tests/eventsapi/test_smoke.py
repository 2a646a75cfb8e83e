import pytest

pytestmark = pytest.mark.django_db


def test_event_can_be_created_and_read_back(editor_client):
    place = editor_client.post(
        "/api/v1/places/",
        {"name": "Panjshir", "kind": "admin1", "country_code": "af", "latitude": 35.3, "longitude": 69.8},
    )
    assert place.status_code == 201, place.json()
    actor = editor_client.post("/api/v1/actors/", {"name": "Taliban", "kind": "organization"})
    assert actor.status_code == 201, actor.json()
    event = editor_client.post(
        "/api/v1/events/",
        {
            "title": "Fall of Panjshir",
            "event_type": "strategic_development",
            "start_date": "2021-09-06",
            "place": place.json()["id"],
            "participants": [{"actor": actor.json()["id"], "role": "initiator"}],
        },
    )
    assert event.status_code == 201, event.json()
    body = event.json()
    assert body["place"]["name"] == "Panjshir"
    assert body["participants"][0]["actor"]["name"] == "Taliban"
    assert body["contested"] is False
    listing = editor_client.get("/api/v1/events/")
    assert listing.status_code == 200
    assert listing.json()["results"][0]["id"] == body["id"]
