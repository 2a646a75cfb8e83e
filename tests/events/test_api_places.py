"""The places API: shared CRUD tests plus coordinates, codes, containment and deletion."""

from events.models import Place, PlaceKind
from tests.api_cases import ResourceAPICase, assert_problem, assert_validation_error
from tests.factories import EventFactory, PlaceFactory


class TestPlacesAPI(ResourceAPICase):
    endpoint = "/api/v1/places/"
    factory = PlaceFactory
    brief_fields = ["id", "url", "name"]
    list_query_count = 1

    def create_data(self) -> dict:
        afghanistan = PlaceFactory(name="Afghanistan", kind=PlaceKind.COUNTRY)
        return {
            "name": "Panjshir",
            "alternate_names": ["Panjsher", "Panjshēr"],
            "kind": "admin1",
            "country_code": "AF",
            "parent": str(afghanistan.pk),
            "latitude": 35.3,
            "longitude": 69.8,
            "external_ids": {"geonames": "1131461"},
        }

    def update_data(self) -> dict:
        return {
            "name": "Bazarak",
            "alternate_names": [],
            "kind": "locality",
            "country_code": "AF",
            "parent": None,
            "latitude": 35.31,
            "longitude": 69.52,
            "external_ids": {},
        }

    def create_row(self) -> Place:
        return PlaceFactory(parent=PlaceFactory(kind=PlaceKind.COUNTRY))

    def read_brief(self, client, instance) -> dict:
        event = EventFactory(place=instance)
        return client.get(f"/api/v1/events/{event.pk}/").json()["place"]

    def test_latitude_91_is_rejected_naming_latitude(self, editor_client):
        response = editor_client.post(self.endpoint, self.create_data() | {"latitude": 91})

        assert_validation_error(response, "latitude")
        assert not Place.objects.filter(name="Panjshir").exists()

    def test_longitude_below_minus_180_is_rejected_naming_longitude(self, editor_client):
        response = editor_client.post(self.endpoint, self.create_data() | {"longitude": -180.5})

        assert_validation_error(response, "longitude")

    def test_latitude_without_longitude_is_rejected_naming_longitude(self, editor_client):
        response = editor_client.post(self.endpoint, self.create_data() | {"longitude": None})

        assert_validation_error(response, "longitude")

    def test_unknown_kind_is_rejected_naming_kind(self, editor_client):
        response = editor_client.post(self.endpoint, self.create_data() | {"kind": "planet"})

        error = assert_validation_error(response, "kind")
        assert error["code"] == "invalid_choice"

    def test_three_letter_country_code_is_rejected_naming_country_code(self, editor_client):
        response = editor_client.post(self.endpoint, self.create_data() | {"country_code": "AFG"})

        assert_validation_error(response, "country_code")

    def test_lower_case_country_code_is_stored_in_capitals(self, editor_client):
        response = editor_client.post(self.endpoint, self.create_data() | {"country_code": "af"})

        assert response.status_code == 201, response.json()
        assert Place.objects.get(pk=response.json()["id"]).country_code == "AF"

    def test_alternate_names_that_are_not_a_list_are_rejected_naming_alternate_names(self, editor_client):
        response = editor_client.post(self.endpoint, self.create_data() | {"alternate_names": "Panjsher"})

        assert_validation_error(response, "alternate_names")

    def test_missing_name_is_rejected_as_required(self, editor_client):
        sent = self.create_data()
        del sent["name"]

        response = editor_client.post(self.endpoint, sent)

        assert assert_validation_error(response, "name")["code"] == "required"

    def test_unknown_parent_is_rejected_naming_parent(self, editor_client):
        response = editor_client.post(
            self.endpoint, self.create_data() | {"parent": "2f1d8a54-5b8e-4b5e-9a55-0d8c1b1e0f00"}
        )

        assert assert_validation_error(response, "parent")["code"] == "does_not_exist"

    def test_place_within_its_own_child_is_rejected_naming_parent(self, editor_client):
        province = PlaceFactory(kind=PlaceKind.ADMIN1)
        district = PlaceFactory(kind=PlaceKind.ADMIN2, parent=province)

        response = editor_client.patch(self.detail_path(province.pk), {"parent": str(district.pk)})

        assert_validation_error(response, "parent")
        province.refresh_from_db()
        assert province.parent is None

    def test_deleting_a_place_an_event_happens_in_is_a_409_naming_the_event(self, editor_client):
        place = PlaceFactory()
        event = EventFactory(place=place)

        response = editor_client.delete(self.detail_path(place.pk))

        body = assert_problem(response, 409)
        assert f"event {event.pk}" in body["detail"]
        assert Place.objects.filter(pk=place.pk).exists()

    def test_deleting_a_place_that_contains_other_places_is_a_409_naming_them(self, editor_client):
        country = PlaceFactory(kind=PlaceKind.COUNTRY)
        province = PlaceFactory(kind=PlaceKind.ADMIN1, parent=country)

        response = editor_client.delete(self.detail_path(country.pk))

        body = assert_problem(response, 409)
        assert f"place {province.pk}" in body["detail"]
