"""The statements API: shared CRUD tests plus stances, sources, replies and dates."""

from claims.models import Statement, StatementEvent
from tests.api_cases import ResourceAPICase, VerificationStatusCase, assert_problem, assert_validation_error
from tests.factories import (
    ActorFactory,
    EventFactory,
    OrganizationFactory,
    SourceFactory,
    StanceFactory,
    StatementFactory,
)


class TestStatementsAPI(VerificationStatusCase, ResourceAPICase):
    endpoint = "/api/v1/statements/"
    factory = StatementFactory
    brief_fields = ["id", "url", "text"]
    list_query_count = 4

    def create_data(self) -> dict:
        mujahid = ActorFactory(name="Zabihullah Mujahid")
        fall = EventFactory(title="Fall of Panjshir")
        article = SourceFactory(url="https://www.kurdistan24.net/en/story/25362")
        earlier = StatementFactory(text="We are ready to negotiate.")
        return {
            "text": "Panjshir is now under the control of the Islamic Emirate.",
            "language": "en",
            "is_direct_quote": True,
            "speaker": str(mujahid.pk),
            "stated_on": "2021-09-06",
            "stated_at": "2021-09-06T06:00:00Z",
            "sources": [str(article.pk)],
            "about": [{"event": str(fall.pk), "stance": "supports"}],
            "responds_to": str(earlier.pk),
        }

    def update_data(self) -> dict:
        nrf = OrganizationFactory(name="National Resistance Front")
        fall = EventFactory(title="Fall of Panjshir")
        tweet = SourceFactory(url="https://twitter.com/nrfafg/status/1434754382232813571")
        return {
            "text": "Claims of the fall of Panjshir are false; we hold strategic positions.",
            "language": "en",
            "is_direct_quote": False,
            "speaker": str(nrf.pk),
            "stated_on": "2021-09-06",
            "stated_at": None,
            "sources": [str(tweet.pk)],
            "about": [{"event": str(fall.pk), "stance": "refutes"}],
            "responds_to": None,
        }

    def create_row(self) -> Statement:
        statement = StatementFactory(responds_to=StatementFactory())
        statement.sources.add(SourceFactory())
        StanceFactory(statement=statement)
        StatementFactory(responds_to=statement)
        return statement

    def read_brief(self, client, instance) -> dict:
        reply = StatementFactory(responds_to=instance)
        return client.get(self.detail_path(reply.pk)).json()["responds_to"]

    def test_missing_speaker_is_rejected_as_required(self, editor_client):
        sent = self.create_data()
        del sent["speaker"]

        response = editor_client.post(self.endpoint, sent)

        assert assert_validation_error(response, "speaker")["code"] == "required"

    def test_impossible_stated_on_is_rejected_naming_stated_on(self, editor_client):
        response = editor_client.post(self.endpoint, self.create_data() | {"stated_on": "2021-09-31"})

        assert_validation_error(response, "stated_on")

    def test_stated_at_on_another_day_than_stated_on_is_rejected_naming_stated_at(self, editor_client):
        response = editor_client.post(
            self.endpoint, self.create_data() | {"stated_at": "2021-09-05T23:30:00Z"}
        )

        assert_validation_error(response, "stated_at")
        assert not Statement.objects.filter(text__startswith="Panjshir is now").exists()

    def test_unknown_language_tag_shape_is_rejected_naming_language(self, editor_client):
        response = editor_client.post(self.endpoint, self.create_data() | {"language": "pashto language"})

        assert_validation_error(response, "language")

    def test_unknown_stance_is_rejected_naming_the_row(self, editor_client):
        sent = self.create_data()
        sent["about"][0]["stance"] = "maybe"

        response = editor_client.post(self.endpoint, sent)

        assert assert_validation_error(response, "about[0].stance")["code"] == "invalid_choice"

    def test_two_stances_on_one_event_are_rejected_naming_the_repeat(self, editor_client):
        sent = self.create_data()
        sent["about"].append({"event": sent["about"][0]["event"], "stance": "refutes"})

        response = editor_client.post(self.endpoint, sent)

        assert assert_validation_error(response, "about[1]")["code"] == "unique"
        assert not StatementEvent.objects.exists()

    def test_sending_about_replaces_the_stances(self, editor_client):
        stance = StanceFactory()
        other_event = EventFactory()

        response = editor_client.patch(
            self.detail_path(stance.statement.pk),
            {"about": [{"event": str(other_event.pk), "stance": "neutral"}]},
        )

        assert response.status_code == 200, response.json()
        assert [(item["event"]["id"], item["stance"]) for item in response.json()["about"]] == [
            (str(other_event.pk), "neutral")
        ]
        assert list(StatementEvent.objects.values_list("statement", "event", "stance")) == [
            (stance.statement.pk, other_event.pk, "neutral")
        ]

    def test_an_update_without_about_keeps_the_stances(self, editor_client):
        stance = StanceFactory()

        response = editor_client.patch(self.detail_path(stance.statement.pk), {"text": "Reworded."})

        assert response.status_code == 200, response.json()
        assert len(response.json()["about"]) == 1
        assert StatementEvent.objects.filter(pk=stance.pk).exists()

    def test_sending_sources_replaces_them(self, editor_client):
        statement = self.create_row()
        video = SourceFactory(kind="video")

        response = editor_client.patch(self.detail_path(statement.pk), {"sources": [str(video.pk)]})

        assert response.status_code == 200, response.json()
        assert [source["id"] for source in response.json()["sources"]] == [str(video.pk)]
        assert list(statement.sources.all()) == [video]

    def test_unknown_source_is_rejected_naming_sources(self, editor_client):
        response = editor_client.post(
            self.endpoint, self.create_data() | {"sources": ["00000000-0000-4000-8000-000000000000"]}
        )

        assert_validation_error(response, "sources")

    def test_a_statement_responding_to_itself_is_rejected_naming_responds_to(self, editor_client):
        statement = StatementFactory()

        response = editor_client.patch(self.detail_path(statement.pk), {"responds_to": str(statement.pk)})

        assert_validation_error(response, "responds_to")
        statement.refresh_from_db()
        assert statement.responds_to is None

    def test_replies_are_listed_on_the_statement_they_answer(self, api_client):
        claim = StatementFactory()
        denial = StatementFactory(responds_to=claim)

        body = api_client.get(self.detail_path(claim.pk)).json()

        assert [reply["id"] for reply in body["replies"]] == [str(denial.pk)]

    def test_deleting_a_statement_that_has_replies_is_a_409_naming_the_reply(self, editor_client):
        claim = StatementFactory()
        denial = StatementFactory(responds_to=claim)

        response = editor_client.delete(self.detail_path(claim.pk))

        body = assert_problem(response, 409)
        assert f"statement {denial.pk}" in body["detail"]
        assert Statement.objects.filter(pk=claim.pk).exists()
