"""Events' dataset fields through the API: fatalities, sub_event_type, dataset_attributes."""

import pytest

from tests.factories import EventFactory

EVENTS = "/api/v1/events/"
pytestmark = pytest.mark.django_db

BASE = {"title": "Clash near the bazaar", "event_type": "battle", "start_date": "2021-09-04"}


def error_fields(response) -> set[str]:
    assert response.status_code == 400, response.content
    return {error["field"] for error in response.json()["errors"]}


def test_an_event_takes_and_gives_back_the_dataset_fields(editor_client):
    body = {
        **BASE,
        "fatalities": 0,
        "sub_event_type": "armed_clash",
        "dataset_attributes": {"acled": {"inter1": "1", "geo_precision": 2, "civilian_targeting": None}},
    }

    created = editor_client.post(EVENTS, body, format="json")

    assert created.status_code == 201, created.content
    item = created.json()
    assert (item["fatalities"], item["sub_event_type"]) == (0, "armed_clash")
    assert item["dataset_attributes"] == body["dataset_attributes"]
    assert editor_client.get(item["url"]).json()["dataset_attributes"] == body["dataset_attributes"]


def test_without_them_an_event_has_no_report_and_no_attributes(editor_client):
    item = editor_client.post(EVENTS, BASE, format="json").json()

    assert (item["fatalities"], item["sub_event_type"], item["dataset_attributes"]) == (None, "", {})


@pytest.mark.parametrize("fatalities", [-1, "3", 2.5, True, 2**31])
def test_fatalities_is_a_whole_number_of_zero_or_more(editor_client, fatalities):
    response = editor_client.post(EVENTS, {**BASE, "fatalities": fatalities}, format="json")

    assert error_fields(response) == {"fatalities"}


def test_a_sub_event_type_belongs_to_its_event_type(editor_client):
    response = editor_client.post(EVENTS, {**BASE, "sub_event_type": "peaceful_protest"}, format="json")

    assert error_fields(response) == {"sub_event_type"}
    assert "protest" in response.json()["errors"][0]["message"]
    unknown = editor_client.post(EVENTS, {**BASE, "sub_event_type": "skirmish"}, format="json")
    assert error_fields(unknown) == {"sub_event_type"}


def test_our_own_event_types_take_no_sub_event_type_of_acleds(editor_client):
    # political and other are ours: no ACLED sub-event type belongs to them.
    body = {**BASE, "event_type": "political", "sub_event_type": "agreement"}

    assert error_fields(editor_client.post(EVENTS, body, format="json")) == {"sub_event_type"}
    assert editor_client.post(EVENTS, {**body, "sub_event_type": ""}, format="json").status_code == 201


@pytest.mark.parametrize(
    "attributes",
    [["acled"], {"acled": "inter1=1"}, {"acled": {"actors": ["a", "b"]}}, {"acled": {"notes": "a\x00b"}}],
)
def test_dataset_attributes_are_objects_of_scalars_by_dataset(editor_client, attributes):
    response = editor_client.post(EVENTS, {**BASE, "dataset_attributes": attributes}, format="json")

    (field,) = error_fields(response)
    assert field.split(".")[0] == "dataset_attributes"


def test_a_patch_of_fatalities_bumps_the_version_and_keeps_the_rest(editor_client):
    event = EventFactory(fatalities=3, dataset_attributes={"ucdp": {"low": 2, "high": 5}})

    response = editor_client.patch(f"{EVENTS}{event.pk}/", {"fatalities": 4}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["fatalities"] == 4
    assert response.json()["dataset_attributes"] == {"ucdp": {"low": 2, "high": 5}}
    assert response.json()["version"] == event.version + 1


def test_the_list_pins_its_queries_with_the_new_fields(api_client, django_assert_num_queries):
    for number in range(5):
        EventFactory(fatalities=number, sub_event_type="armed_clash", event_type="battle")

    with django_assert_num_queries(2):
        response = api_client.get(EVENTS, {"fatalities_min": 1, "sub_event_type": "armed_clash"})

    assert response.status_code == 200
    assert sorted(item["fatalities"] for item in response.json()["results"]) == [1, 2, 3, 4]
