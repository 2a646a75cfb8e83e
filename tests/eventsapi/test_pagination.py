"""Cursor pagination and ordering, the same on every list endpoint."""

import pytest

from claims.models import Source
from events.models import Place, PlaceKind
from tests.api_cases import assert_validation_error
from tests.factories import ActorFactory, EventFactory, PlaceFactory, SourceFactory, StatementFactory

pytestmark = pytest.mark.django_db

LISTS = [
    ("/api/v1/places/", PlaceFactory),
    ("/api/v1/actors/", ActorFactory),
    ("/api/v1/events/", EventFactory),
    ("/api/v1/sources/", SourceFactory),
    ("/api/v1/statements/", StatementFactory),
]


def _walk(client, url: str) -> list[str]:
    """Follow ``next`` from ``url`` to the end; return the ids in the order served."""
    ids = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.json()
        ids.extend(item["id"] for item in response.json()["results"])
        url = response.json()["next"]
    return ids


def test_a_list_is_a_page_with_next_previous_and_results(api_client):
    PlaceFactory.create_batch(3)

    body = api_client.get("/api/v1/places/", {"page_size": 2}).json()

    assert set(body) == {"next", "previous", "results"}
    assert len(body["results"]) == 2
    assert body["next"].startswith("http://testserver/api/v1/places/?")
    assert "page_size=2" in body["next"]
    assert body["previous"] is None


def test_following_next_then_previous_returns_to_the_first_page(api_client):
    PlaceFactory.create_batch(5)
    first = api_client.get("/api/v1/places/", {"page_size": 2}).json()

    second = api_client.get(first["next"]).json()
    back = api_client.get(second["previous"]).json()

    assert [item["id"] for item in back["results"]] == [item["id"] for item in first["results"]]
    assert not {item["id"] for item in second["results"]} & {item["id"] for item in first["results"]}


@pytest.mark.parametrize(("endpoint", "factory"), LISTS)
def test_walking_every_page_returns_every_row_once(api_client, endpoint, factory):
    # Rows made by one factory share most values, so the ordering alone does not separate them.
    factory.create_batch(7)
    expected = {str(pk) for pk in factory._meta.model.objects.values_list("pk", flat=True)}

    served = _walk(api_client, f"{endpoint}?page_size=2")

    assert sorted(served) == sorted(expected)


def test_walking_pages_of_an_ordering_with_ties_returns_every_row_once(api_client):
    for _ in range(3):
        for kind in (PlaceKind.COUNTRY, PlaceKind.LOCALITY, PlaceKind.FEATURE):
            PlaceFactory(kind=kind)

    served = _walk(api_client, "/api/v1/places/?ordering=-kind&page_size=2")

    assert sorted(served) == sorted(str(pk) for pk in Place.objects.values_list("pk", flat=True))


def test_page_size_above_500_is_capped_at_500(api_client):
    Source.objects.bulk_create(
        Source(url=f"https://news.example.org/story/{number}", kind="article") for number in range(501)
    )

    body = api_client.get("/api/v1/sources/", {"page_size": 1000}).json()

    assert len(body["results"]) == 500
    assert body["next"] is not None


def test_default_page_is_50_rows(api_client):
    Source.objects.bulk_create(
        Source(url=f"https://news.example.org/story/{number}", kind="article") for number in range(51)
    )

    body = api_client.get("/api/v1/sources/").json()

    assert len(body["results"]) == 50


@pytest.mark.parametrize("page_size", ["abc", "0", "-3", "2.5"])
def test_page_size_that_is_not_a_positive_whole_number_is_a_400_naming_page_size(api_client, page_size):
    response = api_client.get("/api/v1/places/", {"page_size": page_size})

    assert_validation_error(response, "page_size")


# "bz1hYmM=" is base64 for "o=abc": well-formed, but its offset is not a number.
@pytest.mark.parametrize("cursor", ["garbage", "bz1hYmM="])
def test_malformed_cursor_is_a_400_naming_cursor(api_client, cursor):
    response = api_client.get("/api/v1/places/", {"cursor": cursor})

    assert_validation_error(response, "cursor")


@pytest.mark.parametrize(("endpoint", "factory"), LISTS)
def test_ordering_by_an_unknown_field_is_a_400_naming_ordering(api_client, endpoint, factory):
    response = api_client.get(endpoint, {"ordering": "secret_field"})

    error = assert_validation_error(response, "ordering")
    assert "secret_field" in error["message"]


@pytest.mark.parametrize("ordering", ["name,-name", "name,kind,name"])
def test_ordering_by_a_field_twice_is_a_400_naming_ordering(api_client, ordering):
    response = api_client.get("/api/v1/places/", {"ordering": ordering})

    error = assert_validation_error(response, "ordering")
    assert "name is repeated" in error["message"]


def test_ordering_by_an_allowed_field_orders_the_list(api_client):
    for name in ("Bazarak", "Anaba", "Charikar"):
        PlaceFactory(name=name)

    body = api_client.get("/api/v1/places/", {"ordering": "-name"}).json()

    assert [item["name"] for item in body["results"]] == ["Charikar", "Bazarak", "Anaba"]
