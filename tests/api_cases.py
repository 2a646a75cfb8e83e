"""Reusable API test classes: the tests every resource shares.

A resource's test class subclasses ``ResourceAPICase`` and declares what differs:

- ``endpoint``: the list URL, e.g. ``/api/v1/places/``;
- ``factory``: the factory_boy factory of the model;
- ``create_data()`` and ``update_data()``: complete request bodies (methods, since they
  need related objects), written in the form the API reads back (upper-case country
  codes, normalised URLs), so a response can be compared with what was sent;
- ``brief_fields``: the keys of the brief form other resources nest;
- ``read_brief(client, instance)``: reads ``instance`` nested in another resource;
- ``list_query_count``: the queries one list page costs, whatever the number of rows;
- ``create_row()``: one row with the relations a list prefetches (for the query count).

The shared tests cover list, retrieve, create, update, partial update, delete, the
problem documents for unknown ids, permissions and the list's query count.
``VerificationStatusCase`` adds the read-only ``verification_status`` checks.
"""

import uuid
from typing import Any, ClassVar

import pytest
from django.db import models
from factory.django import DjangoModelFactory
from rest_framework.test import APIClient

PROBLEM_CONTENT_TYPE = "application/problem+json"
TESTSERVER = "http://testserver"


def assert_problem(response, status: int) -> dict:
    """Assert ``response`` is an RFC 9457 problem document with ``status``; return its body."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("urn:eventsapi:problem:")
    assert body["title"]
    assert body["detail"]
    return body


def assert_validation_error(response, field: str | None) -> dict:
    """Assert a 400 problem document whose ``errors`` name ``field``; return that error."""
    body = assert_problem(response, 400)
    for error in body["errors"]:
        assert set(error) == {"field", "code", "message"}, error
    named = [error for error in body["errors"] if error["field"] == field]
    assert named, f"no error names {field!r}: {body['errors']}"
    assert named[0]["code"]
    assert named[0]["message"]
    return named[0]


def as_written(value: Any) -> Any:
    """The write form of a value read from the API: brief objects become their ids."""
    if isinstance(value, dict) and "id" in value:
        return value["id"]
    if isinstance(value, dict):
        return {key: as_written(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_written(item) for item in value]
    return value


def assert_body_matches(body: dict, sent: dict) -> None:
    """Every field sent reads back with the value sent."""
    for field, value in sent.items():
        assert as_written(body[field]) == value, field


@pytest.mark.django_db
class ResourceAPICase:
    endpoint: ClassVar[str]
    factory: ClassVar[type[DjangoModelFactory]]
    brief_fields: ClassVar[list[str]]
    list_query_count: ClassVar[int]
    # The field holding the resource's own API link (sources use `url` for their web address).
    link_field: ClassVar[str] = "url"

    def create_data(self) -> dict:
        raise NotImplementedError

    def update_data(self) -> dict:
        raise NotImplementedError

    def read_brief(self, client: APIClient, instance: models.Model) -> dict:
        raise NotImplementedError

    def create_row(self) -> models.Model:
        return self.factory()

    @property
    def model(self) -> type[models.Model]:
        return self.factory._meta.model

    def detail_path(self, pk) -> str:
        return f"{self.endpoint}{pk}/"

    # Reads

    def test_list_returns_a_cursor_page_of_every_row(self, api_client):
        rows = [self.create_row() for _ in range(3)]

        response = api_client.get(self.endpoint)

        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"next", "previous", "results"}
        assert body["next"] is None
        assert body["previous"] is None
        listed = {item["id"] for item in body["results"]}
        assert {str(row.pk) for row in rows} <= listed
        assert len(listed) == self.model.objects.count()

    def test_retrieve_returns_the_row_with_its_link_version_and_timestamps(self, api_client):
        row = self.create_row()

        response = api_client.get(self.detail_path(row.pk))

        assert response.status_code == 200
        body = response.json()
        assert body["id"] == str(row.pk)
        assert body[self.link_field] == TESTSERVER + self.detail_path(row.pk)
        assert body["version"] == 1
        assert body["created_at"]
        assert body["updated_at"]

    def test_other_resources_nest_the_brief_form(self, api_client):
        row = self.factory()

        brief = self.read_brief(api_client, row)

        assert list(brief) == self.brief_fields
        assert brief["id"] == str(row.pk)
        assert brief[self.link_field] == TESTSERVER + self.detail_path(row.pk)

    def test_unknown_id_is_a_404_problem(self, api_client):
        response = api_client.get(self.detail_path(uuid.uuid4()))

        assert_problem(response, 404)

    def test_id_that_is_not_a_uuid_is_a_404_problem(self, api_client):
        response = api_client.get(self.detail_path("not-a-uuid"))

        assert_problem(response, 404)

    def test_list_query_count_does_not_grow_with_the_rows(self, api_client, django_assert_num_queries):
        for size in (2, 12):
            while self.model.objects.count() < size:
                self.create_row()

            with django_assert_num_queries(self.list_query_count):
                response = api_client.get(self.endpoint, {"page_size": 100})

            assert response.status_code == 200
            assert len(response.json()["results"]) == self.model.objects.count()

    # Writes

    def test_create_returns_201_with_location_and_version_1(self, editor_client):
        sent = self.create_data()

        response = editor_client.post(self.endpoint, sent)

        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["version"] == 1
        assert_body_matches(body, sent)
        assert response["Location"] == body[self.link_field]
        assert editor_client.get(response["Location"]).json() == body

    def test_full_update_replaces_the_fields_and_increments_the_version_each_time(self, editor_client):
        row = self.create_row()
        sent = self.update_data()

        first = editor_client.put(self.detail_path(row.pk), sent)
        second = editor_client.put(self.detail_path(row.pk), sent)

        assert first.status_code == 200, first.json()
        assert first.json()["version"] == 2
        assert_body_matches(first.json(), sent)
        assert second.status_code == 200, second.json()
        assert second.json()["version"] == 3
        assert editor_client.get(self.detail_path(row.pk)).json()["version"] == 3

    def test_partial_update_changes_only_the_sent_field_and_increments_the_version(self, editor_client):
        row = self.create_row()
        before = editor_client.get(self.detail_path(row.pk)).json()
        field, value = next(iter(self.update_data().items()))

        response = editor_client.patch(self.detail_path(row.pk), {field: value})

        assert response.status_code == 200, response.json()
        after = response.json()
        assert after["version"] == before["version"] + 1
        assert after[field] == value
        unchanged = set(before) - {field, "version", "updated_at"}
        assert {name: after[name] for name in unchanged} == {name: before[name] for name in unchanged}

    def test_delete_returns_204_and_the_row_then_answers_410_and_leaves_the_list(self, editor_client):
        row = self.factory()

        response = editor_client.delete(self.detail_path(row.pk))

        assert response.status_code == 204
        # DESIGN.md, "Nothing vanishes": a deleted row leaves a tombstone, so GET says 410 Gone.
        assert_problem(editor_client.get(self.detail_path(row.pk)), 410)
        listed = {item["id"] for item in editor_client.get(self.endpoint).json()["results"]}
        assert str(row.pk) not in listed

    # Permissions

    def test_anonymous_create_is_a_401_and_writes_nothing(self, api_client):
        sent = self.create_data()
        rows_before = self.model.objects.count()

        response = api_client.post(self.endpoint, sent)

        assert_problem(response, 401)
        assert self.model.objects.count() == rows_before

    def test_anonymous_delete_is_a_401_and_keeps_the_row(self, api_client):
        row = self.factory()

        response = api_client.delete(self.detail_path(row.pk))

        assert_problem(response, 401)
        assert self.model.objects.filter(pk=row.pk).exists()

    @pytest.mark.parametrize("client_fixture", ["reader_client", "verifier_client"])
    def test_authenticated_user_outside_editors_cannot_create_403(self, request, client_fixture):
        client = request.getfixturevalue(client_fixture)
        sent = self.create_data()
        rows_before = self.model.objects.count()

        response = client.post(self.endpoint, sent)

        assert_problem(response, 403)
        assert self.model.objects.count() == rows_before

    def test_authenticated_user_outside_editors_cannot_update_403(self, reader_client):
        row = self.create_row()

        response = reader_client.put(self.detail_path(row.pk), self.update_data())

        assert_problem(response, 403)
        row.refresh_from_db()
        assert row.version == 1

    def test_superuser_can_write_without_being_an_editor(self, superuser_client):
        created = superuser_client.post(self.endpoint, self.create_data())

        assert created.status_code == 201, created.json()
        deleted = superuser_client.delete(self.detail_path(created.json()["id"]))
        assert deleted.status_code == 204


class VerificationStatusCase:
    """For events, statements and sources: only a review changes ``verification_status``."""

    def test_creating_with_a_verification_status_other_than_unverified_is_rejected(self, editor_client):
        sent = self.create_data() | {"verification_status": "verified"}
        rows_before = self.model.objects.count()

        response = editor_client.post(self.endpoint, sent)

        assert assert_validation_error(response, "verification_status")["code"] == "read_only"
        assert self.model.objects.count() == rows_before

    def test_a_write_does_not_change_the_verification_status(self, editor_client):
        row = self.create_row()

        response = editor_client.patch(self.detail_path(row.pk), {"verification_status": "false"})

        assert_validation_error(response, "verification_status")
        row.refresh_from_db()
        assert (row.verification_status, row.version) == ("unverified", 1)

    def test_a_write_may_send_the_current_verification_status_back(self, editor_client):
        row = self.create_row()

        response = editor_client.patch(self.detail_path(row.pk), {"verification_status": "unverified"})

        assert response.status_code == 200, response.json()
        assert response.json()["verification_status"] == "unverified"
