"""No lost updates: ETags, If-Match (412, 428) and If-None-Match (304)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.api_cases import assert_problem
from tests.factories import PlaceFactory
from tests.live_server import live_api_on_suite_database

pytestmark = pytest.mark.django_db

RENAME = {"name": "Bazarak"}
FULL = {"name": "Bazarak", "kind": "locality", "country_code": "AF"}
RACE_ROUNDS = 20


@pytest.fixture
def place():
    return PlaceFactory(name="Panjshir")


def detail(place) -> str:
    return f"/api/v1/places/{place.pk}/"


def test_a_detail_response_carries_the_version_as_its_etag(api_client, place):
    response = api_client.get(detail(place))

    assert response["ETag"] == '"1"'


def test_a_write_response_carries_the_new_etag(editor_client, place):
    response = editor_client.patch(detail(place), RENAME, HTTP_IF_MATCH='"1"')

    assert response.status_code == 200, response.json()
    assert response["ETag"] == '"2"'
    assert editor_client.get(detail(place))["ETag"] == '"2"'


def test_a_created_item_carries_its_first_etag(editor_client):
    response = editor_client.post("/api/v1/places/", FULL)

    assert response["ETag"] == '"1"'


@pytest.mark.parametrize(("method", "body"), [("put", FULL), ("patch", RENAME)])
def test_a_write_with_the_current_if_match_succeeds(editor_client, place, method, body):
    response = getattr(editor_client, method)(detail(place), body, HTTP_IF_MATCH='"1"')

    assert response.status_code == 200, response.json()
    place.refresh_from_db()
    assert (place.name, place.version) == ("Bazarak", 2)


@pytest.mark.parametrize(("method", "body"), [("put", FULL), ("patch", RENAME)])
def test_a_stale_if_match_is_a_412_problem_and_changes_nothing(editor_client, place, method, body):
    editor_client.patch(detail(place), {"name": "Panjshir Valley"})  # now at version 2

    response = getattr(editor_client, method)(detail(place), body, HTTP_IF_MATCH='"1"')

    body = assert_problem(response, 412)
    assert '"2"' in body["detail"]
    place.refresh_from_db()
    assert (place.name, place.version) == ("Panjshir Valley", 2)


def test_a_delete_with_a_stale_if_match_is_a_412_problem_and_keeps_the_item(editor_client, place):
    editor_client.patch(detail(place), RENAME)

    response = editor_client.delete(detail(place), HTTP_IF_MATCH='"1"')

    assert_problem(response, 412)
    assert editor_client.get(detail(place)).status_code == 200


def test_a_delete_with_the_current_if_match_succeeds(editor_client, place):
    response = editor_client.delete(detail(place), HTTP_IF_MATCH='"1"')

    assert response.status_code == 204


def test_a_weak_etag_in_if_match_is_compared_by_its_value(editor_client, place):
    response = editor_client.patch(detail(place), RENAME, HTTP_IF_MATCH='W/"1"')

    assert response.status_code == 200, response.json()


def test_if_match_star_matches_any_version(editor_client, place):
    editor_client.patch(detail(place), {"name": "Panjshir Valley"})

    response = editor_client.patch(detail(place), RENAME, HTTP_IF_MATCH="*")

    assert response.status_code == 200, response.json()


def test_if_match_with_a_list_matches_when_any_tag_is_current(editor_client, place):
    response = editor_client.patch(detail(place), RENAME, HTTP_IF_MATCH='"7", "1"')

    assert response.status_code == 200, response.json()


def test_a_get_with_the_current_etag_in_if_none_match_is_a_304_without_a_body(api_client, place):
    response = api_client.get(detail(place), HTTP_IF_NONE_MATCH='"1"')

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == '"1"'


def test_a_get_with_a_stale_etag_in_if_none_match_is_a_200_with_the_item(editor_client, place):
    editor_client.patch(detail(place), RENAME)

    response = editor_client.get(detail(place), HTTP_IF_NONE_MATCH='"1"')

    assert response.status_code == 200
    assert response.json()["name"] == "Bazarak"
    assert response["ETag"] == '"2"'


@pytest.mark.parametrize(("method", "body"), [("put", FULL), ("patch", RENAME), ("delete", None)])
def test_a_write_without_if_match_is_a_428_problem_when_if_match_is_required(
    editor_client, place, settings, method, body
):
    settings.EVENTSAPI_REQUIRE_IF_MATCH = True

    response = getattr(editor_client, method)(detail(place), body)

    assert_problem(response, 428)
    place.refresh_from_db()
    assert (place.name, place.version, place.deleted_at) == ("Panjshir", 1, None)


def test_a_write_with_if_match_succeeds_when_if_match_is_required(editor_client, place, settings):
    settings.EVENTSAPI_REQUIRE_IF_MATCH = True

    response = editor_client.patch(detail(place), RENAME, HTTP_IF_MATCH='"1"')

    assert response.status_code == 200, response.json()


def test_a_write_without_if_match_succeeds_when_if_match_is_not_required(editor_client, place, settings):
    settings.EVENTSAPI_REQUIRE_IF_MATCH = False

    response = editor_client.patch(detail(place), RENAME)

    assert response.status_code == 200, response.json()


def test_permission_is_checked_before_the_if_match_precondition(reader_client, place):
    response = reader_client.patch(detail(place), RENAME, HTTP_IF_MATCH='"9"')

    assert_problem(response, 403)


@pytest.fixture
def live(transactional_db, tmp_path):
    with live_api_on_suite_database(tmp_path) as (server, token):
        yield server, token


def test_of_two_writers_holding_the_same_etag_exactly_one_wins_every_time(live):
    server, token = live
    created = server.request("POST", "/api/v1/places/", {"name": "Round 0", "kind": "locality"}, token=token)
    path = created.headers["Location"].removeprefix(server.url)
    outcomes = []

    for round_number in range(1, RACE_ROUNDS + 1):
        etag = server.request("GET", path).headers["ETag"]
        start = threading.Barrier(2)

        def write(writer: int, etag=etag, start=start, round_number=round_number):
            start.wait()
            return server.request(
                "PATCH",
                path,
                {"name": f"Round {round_number} writer {writer}"},
                token=token,
                headers={"If-Match": etag},
            ).status

        with ThreadPoolExecutor(max_workers=2) as pool:
            outcomes.append(sorted(pool.map(write, (1, 2))))

    assert outcomes == [[200, 412]] * RACE_ROUNDS
    final = server.request("GET", path)
    assert final.headers["ETag"] == f'"{RACE_ROUNDS + 1}"'
    history = server.request("GET", f"{path}history/?page_size=100").json()["results"]
    assert len(history) == RACE_ROUNDS + 1
    assert "database is locked" not in server.log()


def test_the_race_leaves_the_row_at_one_version_per_round(live):
    """The winner's write is the only one: the version grows by exactly one per round."""
    server, token = live
    created = server.request("POST", "/api/v1/places/", {"name": "Start", "kind": "locality"}, token=token)
    path = created.headers["Location"].removeprefix(server.url)
    start = threading.Barrier(8)

    def write(writer: int):
        start.wait()
        return server.request(
            "PATCH", path, {"name": f"Writer {writer}"}, token=token, headers={"If-Match": '"1"'}
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(write, range(8)))

    winners = [response for response in responses if response.status == 200]
    assert len(winners) == 1
    assert sorted(response.status for response in responses) == [200] + [412] * 7
    final = server.request("GET", path)
    assert final.headers["ETag"] == '"2"'
    assert final.json()["name"] == winners[0].json()["name"]
