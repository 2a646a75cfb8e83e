"""The actors API: shared CRUD tests plus affiliations and deletion of referenced actors."""

from events.models import Actor, Affiliation
from tests.api_cases import ResourceAPICase, assert_problem, assert_validation_error
from tests.factories import (
    ActorFactory,
    AffiliationFactory,
    OrganizationFactory,
    ParticipantFactory,
    StatementFactory,
)


class TestActorsAPI(ResourceAPICase):
    endpoint = "/api/v1/actors/"
    factory = ActorFactory
    brief_fields = ["id", "url", "name"]
    list_query_count = 2

    def create_data(self) -> dict:
        taliban = OrganizationFactory(name="Taliban")
        return {
            "name": "Zabihullah Mujahid",
            "kind": "person",
            "aliases": ["Zabihullah Mojaheed"],
            "description": "Spokesperson of the Taliban.",
            "country_code": "AF",
            "external_ids": {"wikidata": "Q25214337"},
            "affiliations": [
                {
                    "organization": str(taliban.pk),
                    "role": "spokesperson",
                    "start_date": None,
                    "end_date": None,
                }
            ],
        }

    def update_data(self) -> dict:
        nrf = OrganizationFactory(name="National Resistance Front")
        return {
            "name": "Fahim Dashty",
            "kind": "person",
            "aliases": [],
            "description": "Journalist; NRF spokesperson.",
            "country_code": "AF",
            "external_ids": {"twitter": "FahimDashty"},
            "affiliations": [
                {
                    "organization": str(nrf.pk),
                    "role": "spokesperson",
                    "start_date": "2021-08-20",
                    "end_date": "2021-09-05",
                }
            ],
        }

    def create_row(self) -> Actor:
        return AffiliationFactory().actor

    def read_brief(self, client, instance) -> dict:
        participant = ParticipantFactory(actor=instance)
        return client.get(f"/api/v1/events/{participant.event.pk}/").json()["participants"][0]["actor"]

    def test_unknown_kind_is_rejected_naming_kind(self, editor_client):
        response = editor_client.post(self.endpoint, self.create_data() | {"kind": "robot"})

        assert assert_validation_error(response, "kind")["code"] == "invalid_choice"

    def test_external_id_that_is_not_a_string_is_rejected_naming_the_scheme(self, editor_client):
        response = editor_client.post(
            self.endpoint, self.create_data() | {"external_ids": {"twitter": ["a"]}}
        )

        assert_validation_error(response, "external_ids.twitter")

    def test_sending_affiliations_replaces_them(self, editor_client):
        affiliation = AffiliationFactory()
        nrf = OrganizationFactory(name="National Resistance Front")

        response = editor_client.patch(
            self.detail_path(affiliation.actor.pk),
            {"affiliations": [{"organization": str(nrf.pk), "role": "head of foreign relations"}]},
        )

        assert response.status_code == 200, response.json()
        assert [item["organization"]["name"] for item in response.json()["affiliations"]] == [
            "National Resistance Front"
        ]
        assert list(
            Affiliation.objects.filter(actor=affiliation.actor).values_list("organization", flat=True)
        ) == [nrf.pk]

    def test_an_update_without_affiliations_keeps_them(self, editor_client):
        affiliation = AffiliationFactory()

        response = editor_client.patch(
            self.detail_path(affiliation.actor.pk), {"description": "Spokesperson."}
        )

        assert response.status_code == 200, response.json()
        assert len(response.json()["affiliations"]) == 1
        assert Affiliation.objects.filter(pk=affiliation.pk).exists()

    def test_sending_an_empty_affiliation_list_removes_them(self, editor_client):
        affiliation = AffiliationFactory()

        response = editor_client.patch(self.detail_path(affiliation.actor.pk), {"affiliations": []})

        assert response.status_code == 200, response.json()
        assert response.json()["affiliations"] == []
        assert not Affiliation.objects.filter(actor=affiliation.actor).exists()

    def test_affiliation_with_a_person_is_rejected_naming_the_organization(self, editor_client):
        person = ActorFactory()
        sent = self.create_data()
        sent["affiliations"][0]["organization"] = str(person.pk)

        response = editor_client.post(self.endpoint, sent)

        assert_validation_error(response, "affiliations[0].organization")
        assert not Actor.objects.filter(name="Zabihullah Mujahid").exists()

    def test_affiliation_ending_before_it_starts_is_rejected_naming_its_end_date(self, editor_client):
        sent = self.create_data()
        sent["affiliations"][0] |= {"start_date": "2021-09-01", "end_date": "2021-08-01"}

        response = editor_client.post(self.endpoint, sent)

        assert_validation_error(response, "affiliations[0].end_date")

    def test_affiliation_with_a_bad_date_is_rejected_naming_it(self, editor_client):
        sent = self.create_data()
        sent["affiliations"][0]["start_date"] = "2021-02-30"

        response = editor_client.post(self.endpoint, sent)

        assert_validation_error(response, "affiliations[0].start_date")

    def test_organization_affiliated_with_itself_is_rejected_naming_the_organization(self, editor_client):
        organization = OrganizationFactory()

        response = editor_client.patch(
            self.detail_path(organization.pk), {"affiliations": [{"organization": str(organization.pk)}]}
        )

        assert_validation_error(response, "affiliations[0].organization")
        assert not Affiliation.objects.exists()

    def test_an_invalid_affiliation_leaves_the_actor_unchanged(self, editor_client):
        affiliation = AffiliationFactory()
        person = ActorFactory()

        response = editor_client.patch(
            self.detail_path(affiliation.actor.pk),
            {"name": "Renamed", "affiliations": [{"organization": str(person.pk)}]},
        )

        assert_validation_error(response, "affiliations[0].organization")
        actor = Actor.objects.get(pk=affiliation.actor.pk)
        assert (actor.name, actor.version) == (affiliation.actor.name, 1)
        assert Affiliation.objects.filter(pk=affiliation.pk).exists()

    def test_deleting_an_event_participant_is_a_409_naming_the_participation(self, editor_client):
        participant = ParticipantFactory()

        response = editor_client.delete(self.detail_path(participant.actor.pk))

        body = assert_problem(response, 409)
        assert f"participant {participant.pk}" in body["detail"]
        assert Actor.objects.filter(pk=participant.actor.pk).exists()

    def test_deleting_a_speaker_is_a_409_naming_the_statement(self, editor_client):
        statement = StatementFactory()

        response = editor_client.delete(self.detail_path(statement.speaker.pk))

        body = assert_problem(response, 409)
        assert f"statement {statement.pk}" in body["detail"]

    def test_deleting_an_organization_with_members_is_a_409_naming_the_affiliation(self, editor_client):
        affiliation = AffiliationFactory()

        response = editor_client.delete(self.detail_path(affiliation.organization.pk))

        body = assert_problem(response, 409)
        assert f"affiliation {affiliation.pk}" in body["detail"]

    def test_a_member_of_an_organization_can_be_deleted(self, editor_client):
        affiliation = AffiliationFactory()

        response = editor_client.delete(self.detail_path(affiliation.actor.pk))

        assert response.status_code == 204
        assert not Actor.objects.filter(pk=affiliation.actor.pk).exists()
