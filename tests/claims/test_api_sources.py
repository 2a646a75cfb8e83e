"""The sources API: shared CRUD tests plus URL normalisation, uniqueness and citations."""

from claims.models import Source
from tests.api_cases import ResourceAPICase, VerificationStatusCase, assert_validation_error
from tests.factories import OrganizationFactory, SourceFactory, StatementFactory

ARTICLE_URL = "https://www.kurdistan24.net/en/story/25362"


class TestSourcesAPI(VerificationStatusCase, ResourceAPICase):
    endpoint = "/api/v1/sources/"
    factory = SourceFactory
    brief_fields = ["id", "api_url", "url", "title"]
    list_query_count = 2
    link_field = "api_url"

    def create_data(self) -> dict:
        kurdistan24 = OrganizationFactory(name="Kurdistan 24")
        tweet = SourceFactory(url="https://twitter.com/alinazary/status/1434736377364090883")
        return {
            "url": ARTICLE_URL,
            "kind": "article",
            "title": "Taliban claim victory in Panjshir, resistance denies",
            "publisher": str(kurdistan24.pk),
            "author": "Kurdistan 24",
            "published_at": "2021-09-06T10:00:00Z",
            "language": "en",
            "archived_url": "https://web.archive.org/web/2021/https://www.kurdistan24.net/en/story/25362",
            "cites": [str(tweet.pk)],
        }

    def update_data(self) -> dict:
        return {
            "url": "https://twitter.com/nrfafg/status/1434754382232813571",
            "kind": "social_post",
            "title": "NRF denies the fall of Panjshir",
            "publisher": None,
            "author": "@nrfafg",
            "published_at": "2021-09-06T07:30:00Z",
            "language": "en",
            "archived_url": "",
            "cites": [],
        }

    def create_row(self) -> Source:
        source = SourceFactory(publisher=OrganizationFactory())
        source.cites.add(SourceFactory())
        return source

    def read_brief(self, client, instance) -> dict:
        statement = StatementFactory()
        statement.sources.add(instance)
        return client.get(f"/api/v1/statements/{statement.pk}/").json()["sources"][0]

    def test_url_is_stored_normalised(self, editor_client):
        sent = self.create_data() | {
            "url": "HTTPS://WWW.Kurdistan24.NET:443/en/story/25362?utm_source=twitter&page=2&UTM_medium=x#top"
        }

        response = editor_client.post(self.endpoint, sent)

        assert response.status_code == 201, response.json()
        assert response.json()["url"] == ARTICLE_URL + "?page=2"
        assert Source.objects.get(pk=response.json()["id"]).url == ARTICLE_URL + "?page=2"

    def test_url_differing_only_in_spelling_from_a_stored_one_is_rejected_naming_url(self, editor_client):
        SourceFactory(url=ARTICLE_URL)
        sent = self.create_data() | {
            "url": "HTTPS://WWW.Kurdistan24.net:443/en/story/25362?utm_campaign=share#comments"
        }

        response = editor_client.post(self.endpoint, sent)

        assert assert_validation_error(response, "url")["code"] == "unique"
        assert Source.objects.filter(url=ARTICLE_URL).count() == 1

    def test_changing_the_url_to_another_sources_url_is_rejected_naming_url(self, editor_client):
        SourceFactory(url=ARTICLE_URL)
        other = SourceFactory()

        response = editor_client.patch(self.detail_path(other.pk), {"url": ARTICLE_URL + "#top"})

        assert_validation_error(response, "url")
        other.refresh_from_db()
        assert other.url != ARTICLE_URL

    def test_sending_a_sources_own_url_back_is_not_a_duplicate(self, editor_client):
        source = SourceFactory(url=ARTICLE_URL)

        response = editor_client.patch(
            self.detail_path(source.pk), {"url": ARTICLE_URL.upper().replace("/EN/STORY", "/en/story")}
        )

        assert response.status_code == 200, response.json()
        assert response.json()["url"] == ARTICLE_URL

    def test_url_that_is_not_http_is_rejected_naming_url(self, editor_client):
        response = editor_client.post(
            self.endpoint, self.create_data() | {"url": "ftp://example.org/clip.mp4"}
        )

        assert_validation_error(response, "url")

    def test_unknown_kind_is_rejected_naming_kind(self, editor_client):
        response = editor_client.post(self.endpoint, self.create_data() | {"kind": "rumour"})

        assert assert_validation_error(response, "kind")["code"] == "invalid_choice"

    def test_language_that_is_not_a_bcp47_tag_is_rejected_naming_language(self, editor_client):
        response = editor_client.post(self.endpoint, self.create_data() | {"language": "English!"})

        assert_validation_error(response, "language")

    def test_bad_publication_time_is_rejected_naming_published_at(self, editor_client):
        response = editor_client.post(self.endpoint, self.create_data() | {"published_at": "yesterday"})

        assert_validation_error(response, "published_at")

    def test_unknown_publisher_is_rejected_naming_publisher(self, editor_client):
        response = editor_client.post(
            self.endpoint, self.create_data() | {"publisher": "00000000-0000-4000-8000-000000000000"}
        )

        assert assert_validation_error(response, "publisher")["code"] == "does_not_exist"

    def test_unknown_cited_source_is_rejected_naming_cites(self, editor_client):
        response = editor_client.post(
            self.endpoint, self.create_data() | {"cites": ["00000000-0000-4000-8000-000000000000"]}
        )

        assert_validation_error(response, "cites")

    def test_a_source_citing_itself_is_rejected_naming_cites(self, editor_client):
        source = SourceFactory()

        response = editor_client.patch(self.detail_path(source.pk), {"cites": [str(source.pk)]})

        assert_validation_error(response, "cites")
        assert not source.cites.exists()

    def test_sending_cites_replaces_them(self, editor_client):
        source = self.create_row()
        video = SourceFactory(kind="video")

        response = editor_client.patch(self.detail_path(source.pk), {"cites": [str(video.pk)]})

        assert response.status_code == 200, response.json()
        assert [cited["id"] for cited in response.json()["cites"]] == [str(video.pk)]
        assert list(source.cites.all()) == [video]

    def test_an_update_without_cites_keeps_them(self, editor_client):
        source = self.create_row()

        response = editor_client.patch(self.detail_path(source.pk), {"title": "Renamed"})

        assert response.status_code == 200, response.json()
        assert len(response.json()["cites"]) == 1
        assert source.cites.count() == 1

    def test_url_is_the_web_address_and_api_url_the_link_to_the_resource(self, api_client):
        source = SourceFactory(url=ARTICLE_URL)

        body = api_client.get(self.detail_path(source.pk)).json()

        assert body["url"] == ARTICLE_URL
        assert body["api_url"] == f"http://testserver/api/v1/sources/{source.pk}/"
