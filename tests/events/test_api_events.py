"""The events API: shared CRUD tests plus dates, participants and the computed claim summary."""

from events.models import Event, Participant, ParticipantRole
from tests.api_cases import ResourceAPICase, VerificationStatusCase, assert_problem, assert_validation_error
from tests.factories import (
    ActorFactory,
    EventFactory,
    OrganizationFactory,
    ParticipantFactory,
    PlaceFactory,
    StanceFactory,
)


class TestEventsAPI(VerificationStatusCase, ResourceAPICase):
    endpoint = "/api/v1/events/"
    factory = EventFactory
    brief_fields = ["id", "url", "title"]
    list_query_count = 2

    def create_data(self) -> dict:
        taliban = OrganizationFactory(name="Taliban")
        nrf = OrganizationFactory(name="National Resistance Front")
        panjshir = PlaceFactory(name="Panjshir")
        return {
            "title": "Taliban offensive on the Panjshir Valley",
            "summary": "Fighting between the Taliban and the NRF for the valley.",
            "event_type": "battle",
            "start_date": "2021-08-30",
            "end_date": "2021-09-06",
            "date_precision": "day",
            "place": str(panjshir.pk),
            "participants": [
                {"actor": str(taliban.pk), "role": "initiator"},
                {"actor": str(nrf.pk), "role": "target"},
            ],
        }

    def update_data(self) -> dict:
        dashty = ActorFactory(name="Fahim Dashty")
        return {
            "title": "Killing of Fahim Dashty",
            "summary": "",
            "event_type": "violence_against_civilians",
            "start_date": "2021-09-05",
            "end_date": None,
            "date_precision": "day",
            "place": None,
            "participants": [{"actor": str(dashty.pk), "role": "affected"}],
        }

    def create_row(self) -> Event:
        event = EventFactory()
        ParticipantFactory(event=event, role=ParticipantRole.INITIATOR)
        ParticipantFactory(event=event, role=ParticipantRole.TARGET)
        StanceFactory(event=event)
        return event

    def read_brief(self, client, instance) -> dict:
        stance = StanceFactory(event=instance)
        return client.get(f"/api/v1/statements/{stance.statement.pk}/").json()["about"][0]["event"]

    def test_end_date_before_start_date_is_rejected_naming_end_date(self, editor_client):
        response = editor_client.post(self.endpoint, self.create_data() | {"end_date": "2021-08-01"})

        assert_validation_error(response, "end_date")
        assert not Event.objects.exists()

    def test_moving_the_end_date_before_the_stored_start_date_is_rejected_naming_end_date(
        self, editor_client
    ):
        event = EventFactory()

        response = editor_client.patch(self.detail_path(event.pk), {"end_date": "2021-01-01"})

        assert_validation_error(response, "end_date")
        event.refresh_from_db()
        assert event.end_date is None

    def test_impossible_date_is_rejected_naming_start_date(self, editor_client):
        response = editor_client.post(self.endpoint, self.create_data() | {"start_date": "2021-02-30"})

        assert assert_validation_error(response, "start_date")["code"] == "invalid"

    def test_missing_start_date_is_rejected_as_required(self, editor_client):
        sent = self.create_data()
        del sent["start_date"]

        response = editor_client.post(self.endpoint, sent)

        assert assert_validation_error(response, "start_date")["code"] == "required"

    def test_unknown_event_type_is_rejected_naming_event_type(self, editor_client):
        response = editor_client.post(self.endpoint, self.create_data() | {"event_type": "earthquake"})

        assert assert_validation_error(response, "event_type")["code"] == "invalid_choice"

    def test_unknown_date_precision_is_rejected_naming_date_precision(self, editor_client):
        response = editor_client.post(self.endpoint, self.create_data() | {"date_precision": "decade"})

        assert_validation_error(response, "date_precision")

    def test_unknown_place_is_rejected_naming_place(self, editor_client):
        response = editor_client.post(
            self.endpoint, self.create_data() | {"place": "00000000-0000-4000-8000-000000000000"}
        )

        assert assert_validation_error(response, "place")["code"] == "does_not_exist"

    def test_place_that_is_not_a_uuid_is_rejected_naming_place(self, editor_client):
        response = editor_client.post(self.endpoint, self.create_data() | {"place": "Panjshir"})

        assert_validation_error(response, "place")

    def test_unknown_participant_role_is_rejected_naming_the_row(self, editor_client):
        sent = self.create_data()
        sent["participants"][1]["role"] = "bystander"

        response = editor_client.post(self.endpoint, sent)

        assert_validation_error(response, "participants[1].role")

    def test_unknown_participant_actor_is_rejected_naming_the_row(self, editor_client):
        sent = self.create_data()
        sent["participants"][0]["actor"] = "00000000-0000-4000-8000-000000000000"

        response = editor_client.post(self.endpoint, sent)

        assert_validation_error(response, "participants[0].actor")

    def test_duplicate_participant_rows_are_rejected_naming_the_repeat(self, editor_client):
        sent = self.create_data()
        sent["participants"].append(dict(sent["participants"][0]))
        sent["participants"][1], sent["participants"][2] = sent["participants"][2], sent["participants"][1]

        response = editor_client.post(self.endpoint, sent)

        error = assert_validation_error(response, "participants[1]")
        assert error["code"] == "unique"
        assert not Event.objects.exists()
        assert not Participant.objects.exists()

    def test_the_same_actor_in_two_roles_is_accepted(self, editor_client):
        sent = self.create_data()
        sent["participants"][1]["actor"] = sent["participants"][0]["actor"]

        response = editor_client.post(self.endpoint, sent)

        assert response.status_code == 201, response.json()
        assert len(response.json()["participants"]) == 2

    def test_sending_participants_replaces_them(self, editor_client):
        event = self.create_row()
        newcomer = ActorFactory()

        response = editor_client.patch(
            self.detail_path(event.pk), {"participants": [{"actor": str(newcomer.pk), "role": "affected"}]}
        )

        assert response.status_code == 200, response.json()
        assert response.json()["participants"] == [
            {
                "actor": {
                    "id": str(newcomer.pk),
                    "url": f"http://testserver/api/v1/actors/{newcomer.pk}/",
                    "name": newcomer.name,
                },
                "role": "affected",
            }
        ]
        assert list(Participant.objects.filter(event=event).values_list("actor", "role")) == [
            (newcomer.pk, "affected")
        ]

    def test_an_update_without_participants_keeps_them(self, editor_client):
        event = self.create_row()

        response = editor_client.patch(self.detail_path(event.pk), {"title": "Renamed"})

        assert response.status_code == 200, response.json()
        assert len(response.json()["participants"]) == 2
        assert Participant.objects.filter(event=event).count() == 2

    def test_sending_an_empty_participant_list_removes_them(self, editor_client):
        event = self.create_row()

        response = editor_client.patch(self.detail_path(event.pk), {"participants": []})

        assert response.status_code == 200, response.json()
        assert response.json()["participants"] == []
        assert not Participant.objects.filter(event=event).exists()

    def test_rejected_participants_leave_the_event_and_its_participants_unchanged(self, editor_client):
        event = self.create_row()
        actor = ActorFactory()
        duplicate = {"actor": str(actor.pk), "role": "other"}

        response = editor_client.patch(
            self.detail_path(event.pk), {"title": "Renamed", "participants": [duplicate, duplicate]}
        )

        assert_validation_error(response, "participants[1]")
        stored = Event.objects.get(pk=event.pk)
        assert (stored.title, stored.version) == (event.title, 1)
        assert Participant.objects.filter(event=event).count() == 2

    def test_statements_by_different_speakers_for_and_against_make_it_contested(self, api_client):
        event = EventFactory()
        StanceFactory(event=event, stance="supports")
        StanceFactory(event=event, stance="refutes")
        StanceFactory(event=event, stance="neutral")

        body = api_client.get(self.detail_path(event.pk)).json()

        assert body["contested"] is True
        assert (body["statement_count"], body["supporting_count"], body["refuting_count"]) == (3, 1, 1)

    def test_an_event_only_supported_is_not_contested(self, api_client):
        event = EventFactory()
        StanceFactory(event=event, stance="supports")

        body = api_client.get(self.detail_path(event.pk)).json()

        assert body["contested"] is False
        assert body["statement_count"] == 1

    def test_contested_and_statement_count_cannot_be_written(self, editor_client):
        event = EventFactory()

        response = editor_client.patch(self.detail_path(event.pk), {"contested": True, "statement_count": 9})

        assert response.status_code == 200, response.json()
        assert response.json()["contested"] is False
        assert response.json()["statement_count"] == 0

    def test_deleting_an_event_a_statement_is_about_is_a_409_naming_the_link(self, editor_client):
        stance = StanceFactory()

        response = editor_client.delete(self.detail_path(stance.event.pk))

        body = assert_problem(response, 409)
        assert f"statement event {stance.pk}" in body["detail"]
        assert Event.objects.filter(pk=stance.event.pk).exists()

    def test_an_event_with_participants_can_be_deleted(self, editor_client):
        participant = ParticipantFactory()

        response = editor_client.delete(self.detail_path(participant.event.pk))

        assert response.status_code == 204
        assert not Event.objects.filter(pk=participant.event.pk).exists()
