"""Merging a duplicate actor into the one that survives."""

import uuid
from unittest import mock

import pytest

from claims.models import Source, Statement
from events.models import Actor, ActorKind, Affiliation, Participant
from events.services import actor_merge
from tests.api_cases import TESTSERVER, assert_problem, assert_validation_error
from tests.factories import (
    ActorFactory,
    AffiliationFactory,
    OrganizationFactory,
    ParticipantFactory,
    SourceFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def survivor():
    return ActorFactory(name="Zabihullah Mujahid", aliases=["Zabiullah Mujahid"])


@pytest.fixture
def duplicate():
    return ActorFactory(name="Zabihullah Mojaheed", aliases=["Z. Mojaheed"])


@pytest.fixture
def duplicate_org():
    return OrganizationFactory(name="Taleban")


@pytest.fixture
def surviving_org():
    return OrganizationFactory(name="Taliban")


def merge(client, merged, into):
    return client.post(f"/api/v1/actors/{merged.pk}/merge/", {"into": str(into.pk)})


def test_merging_answers_200_with_the_surviving_actor(editor_client, duplicate, survivor):
    response = merge(editor_client, duplicate, survivor)

    assert response.status_code == 200, response.json()
    assert response.json()["id"] == str(survivor.pk)


def test_merging_moves_the_statements_to_the_survivor(editor_client, duplicate, survivor):
    statement = StatementFactory(speaker=duplicate)

    merge(editor_client, duplicate, survivor)

    statement.refresh_from_db()
    assert statement.speaker == survivor


def test_merging_moves_the_event_participations(editor_client, duplicate, survivor):
    participant = ParticipantFactory(actor=duplicate)

    merge(editor_client, duplicate, survivor)

    participant.refresh_from_db()
    assert participant.actor == survivor


def test_a_participation_both_actors_share_is_kept_once(editor_client, duplicate, survivor):
    shared = ParticipantFactory(actor=survivor)
    ParticipantFactory(actor=duplicate, event=shared.event, role=shared.role)

    response = merge(editor_client, duplicate, survivor)

    assert response.status_code == 200, response.json()
    actors = Participant.objects.filter(event=shared.event).values_list("actor", flat=True)
    assert list(actors) == [survivor.pk]


def test_merging_moves_the_affiliations_of_the_merged_member(
    editor_client, duplicate, survivor, surviving_org
):
    affiliation = AffiliationFactory(actor=duplicate, organization=surviving_org)

    merge(editor_client, duplicate, survivor)

    affiliation.refresh_from_db()
    assert affiliation.actor == survivor


def test_merging_an_organisation_moves_its_members(editor_client, duplicate_org, surviving_org, survivor):
    affiliation = AffiliationFactory(actor=survivor, organization=duplicate_org)

    merge(editor_client, duplicate_org, surviving_org)

    affiliation.refresh_from_db()
    assert affiliation.organization == surviving_org


def test_an_affiliation_between_the_two_merged_actors_is_dropped(editor_client, duplicate_org, surviving_org):
    AffiliationFactory(actor=duplicate_org, organization=surviving_org)

    response = merge(editor_client, duplicate_org, surviving_org)

    assert response.status_code == 200, response.json()
    assert not Affiliation.objects.filter(actor=surviving_org, organization=surviving_org).exists()


def test_merging_an_organisation_moves_the_sources_it_published(editor_client, duplicate_org, surviving_org):
    source = SourceFactory(publisher=duplicate_org)

    merge(editor_client, duplicate_org, surviving_org)

    source.refresh_from_db()
    assert source.publisher == surviving_org


def test_merging_moves_references_held_by_deleted_statements_too(editor_client, duplicate, survivor):
    statement = StatementFactory(speaker=duplicate)
    statement.tombstone()

    merge(editor_client, duplicate, survivor)

    assert Statement.all_objects.get(pk=statement.pk).speaker == survivor


def test_merging_moves_references_held_by_deleted_sources_too(editor_client, duplicate_org, surviving_org):
    source = SourceFactory(publisher=duplicate_org)
    source.tombstone()

    merge(editor_client, duplicate_org, surviving_org)

    assert Source.all_objects.get(pk=source.pk).publisher == surviving_org


def test_the_merged_name_and_aliases_become_aliases_of_the_survivor(editor_client, duplicate, survivor):
    response = merge(editor_client, duplicate, survivor)

    assert response.json()["aliases"] == ["Zabiullah Mujahid", "Zabihullah Mojaheed", "Z. Mojaheed"]


def test_a_name_the_survivor_already_has_is_not_repeated(editor_client, survivor):
    twin = ActorFactory(name="Zabihullah Mujahid", aliases=["Zabiullah Mujahid"])

    response = merge(editor_client, twin, survivor)

    assert response.json()["aliases"] == ["Zabiullah Mujahid"]


def test_the_merged_actor_redirects_308_to_the_survivor(editor_client, api_client, duplicate, survivor):
    merge(editor_client, duplicate, survivor)

    response = api_client.get(f"/api/v1/actors/{duplicate.pk}/")

    assert response.status_code == 308
    assert response["Location"] == f"{TESTSERVER}/api/v1/actors/{survivor.pk}/"


def test_the_merged_actor_leaves_the_actors_list(editor_client, api_client, duplicate, survivor):
    merge(editor_client, duplicate, survivor)

    listed = {item["id"] for item in api_client.get("/api/v1/actors/").json()["results"]}

    assert str(duplicate.pk) not in listed
    assert str(survivor.pk) in listed


def test_actors_merged_earlier_into_the_merged_one_redirect_to_the_survivor(
    editor_client, duplicate, survivor
):
    earlier = ActorFactory(name="Zabihulla Mujahed")
    merge(editor_client, earlier, duplicate)

    merge(editor_client, duplicate, survivor)

    earlier.refresh_from_db()
    assert earlier.merged_into == survivor


def test_merging_an_actor_into_itself_is_rejected_naming_into(editor_client, duplicate):
    response = merge(editor_client, duplicate, duplicate)

    assert_validation_error(response, "into")
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None


def test_merging_into_an_already_merged_actor_is_rejected_naming_into(editor_client, duplicate, survivor):
    merge(editor_client, duplicate, survivor)
    third = ActorFactory(name="Mujahid")

    response = merge(editor_client, third, duplicate)

    assert_validation_error(response, "into")
    third.refresh_from_db()
    assert third.merged_into is None


def test_merging_an_already_merged_actor_again_is_rejected(editor_client, duplicate, survivor):
    merge(editor_client, duplicate, survivor)

    response = merge(editor_client, duplicate, ActorFactory())

    assert_problem(response, 400)
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor


def test_merging_into_an_unknown_actor_is_rejected_naming_into(editor_client, duplicate):
    response = editor_client.post(f"/api/v1/actors/{duplicate.pk}/merge/", {"into": str(uuid.uuid4())})

    assert_validation_error(response, "into")


def test_merging_into_something_that_is_not_an_id_is_rejected_naming_into(editor_client, duplicate):
    response = editor_client.post(f"/api/v1/actors/{duplicate.pk}/merge/", {"into": "not-a-uuid"})

    assert_validation_error(response, "into")


def test_merging_without_into_is_rejected_naming_into(editor_client, duplicate):
    response = editor_client.post(f"/api/v1/actors/{duplicate.pk}/merge/", {})

    assert_validation_error(response, "into")


def test_merging_an_unknown_actor_is_a_404_problem(editor_client, survivor):
    response = editor_client.post(f"/api/v1/actors/{uuid.uuid4()}/merge/", {"into": str(survivor.pk)})

    assert_problem(response, 404)


@pytest.mark.parametrize(
    ("client_fixture", "expected_status"),
    [
        ("api_client", 401),
        ("reader_client", 403),
        ("verifier_client", 403),
        ("editor_client", 200),
        ("superuser_client", 200),
    ],
)
def test_only_editors_and_superusers_may_merge(request, duplicate, survivor, client_fixture, expected_status):
    statement = StatementFactory(speaker=duplicate)
    client = request.getfixturevalue(client_fixture)

    response = merge(client, duplicate, survivor)

    statement.refresh_from_db()
    duplicate.refresh_from_db()
    if expected_status == 200:
        assert response.status_code == 200, response.json()
        assert (statement.speaker, duplicate.merged_into) == (survivor, survivor)
    else:
        assert_problem(response, expected_status)
        assert (statement.speaker, duplicate.merged_into) == (duplicate, None)


def test_a_failure_midway_moves_nothing(duplicate, survivor, surviving_org):
    statement = StatementFactory(speaker=duplicate)
    source = SourceFactory(publisher=duplicate)
    affiliation = AffiliationFactory(actor=duplicate, organization=surviving_org)

    with (
        mock.patch("events.services._move_affiliations", side_effect=RuntimeError("connection lost")),
        pytest.raises(RuntimeError),
    ):
        actor_merge(merged=duplicate, into=survivor)

    for row in (statement, source, affiliation, duplicate, survivor):
        row.refresh_from_db()
    assert statement.speaker == duplicate
    assert source.publisher == duplicate
    assert affiliation.actor == duplicate
    assert duplicate.merged_into is None
    assert survivor.aliases == ["Zabiullah Mujahid"]
    assert Actor.objects.get(pk=survivor.pk).version == 1


def test_merging_an_organization_into_a_person_is_rejected(editor_client):
    person = ActorFactory(kind=ActorKind.PERSON)
    organization = OrganizationFactory()

    response = editor_client.post(f"/api/v1/actors/{organization.pk}/merge/", {"into": str(person.pk)})

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "into"
    organization.refresh_from_db()
    assert organization.merged_into_id is None
