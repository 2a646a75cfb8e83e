"""Filtering the place and actor lists."""

import uuid

import pytest
from django.core.management import call_command

from events.models import ActorKind, PlaceKind
from tests.api_cases import assert_validation_error
from tests.factories import ActorFactory, AffiliationFactory, OrganizationFactory, PlaceFactory

pytestmark = pytest.mark.django_db

PLACES = "/api/v1/places/"
ACTORS = "/api/v1/actors/"


def listed(client, path: str, **params) -> set[str]:
    response = client.get(path, params)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def ids(*records) -> set[str]:
    return {str(record.pk) for record in records}


# Places --------------------------------------------------------------------------------


def test_within_matches_places_inside_a_place_to_any_depth_but_not_itself(api_client):
    afghanistan = PlaceFactory(name="Afghanistan", kind=PlaceKind.COUNTRY)
    panjshir = PlaceFactory(name="Panjshir", kind=PlaceKind.ADMIN1, parent=afghanistan)
    bazarak = PlaceFactory(name="Bazarak", kind=PlaceKind.ADMIN2, parent=panjshir)
    PlaceFactory(name="Erbil", country_code="IQ")

    assert listed(api_client, PLACES, within=str(afghanistan.pk)) == ids(panjshir, bazarak)
    assert listed(api_client, PLACES, within=str(bazarak.pk)) == set()


def test_within_an_unknown_place_matches_nothing(api_client):
    PlaceFactory()

    assert listed(api_client, PLACES, within=str(uuid.uuid4())) == set()


def test_place_kind_takes_one_or_more_kinds(api_client):
    country = PlaceFactory(kind=PlaceKind.COUNTRY)
    province = PlaceFactory(kind=PlaceKind.ADMIN1)
    PlaceFactory(kind=PlaceKind.LOCALITY)

    assert listed(api_client, PLACES, kind="country") == ids(country)
    assert listed(api_client, PLACES, kind="country,admin1") == ids(country, province)


def test_place_country_matches_the_country_code(api_client):
    afghan = PlaceFactory(country_code="AF")
    PlaceFactory(country_code="IQ")

    assert listed(api_client, PLACES, country="af") == ids(afghan)


def test_place_bbox_matches_places_inside_the_box(api_client):
    panjshir = PlaceFactory(latitude=35.3, longitude=69.8)
    PlaceFactory(latitude=36.19, longitude=44.01)
    PlaceFactory(latitude=None, longitude=None)

    assert listed(api_client, PLACES, bbox="69,35,70,36") == ids(panjshir)


def test_place_near_matches_places_within_the_radius(api_client):
    panjshir = PlaceFactory(name="Panjshir", latitude=35.3, longitude=69.8)
    kabul = PlaceFactory(name="Kabul", latitude=34.53, longitude=69.17)  # about 100 km from Panjshir
    PlaceFactory(name="Erbil", latitude=36.19, longitude=44.01)
    PlaceFactory(name="Nowhere", latitude=None, longitude=None)

    assert listed(api_client, PLACES, near="35.3,69.8", radius_km="50") == ids(panjshir)
    assert listed(api_client, PLACES, near="35.3,69.8", radius_km="120") == ids(panjshir, kabul)


def test_place_q_finds_places_by_alternate_name(api_client):
    panjshir = PlaceFactory(name="Panjshir Province", alternate_names=["Panjsher", "Panjshir Valley"])
    PlaceFactory(name="Kabul")

    assert listed(api_client, PLACES, q="panjsher") == ids(panjshir)


def test_place_q_folds_accents_of_the_query(api_client):
    erbil = PlaceFactory(name="Erbil", alternate_names=["Arbil"])

    assert listed(api_client, PLACES, q="Érbil") == ids(erbil)


def test_place_q_folds_accents_of_stored_alternate_names(api_client):
    erbil = PlaceFactory(name="Erbil", alternate_names=["Arbil", "Hewlêr"])

    assert listed(api_client, PLACES, q="hewler") == ids(erbil)


@pytest.mark.parametrize(("query", "name"), [("macuacua", "Macuácua"), ("MOCAMBIQUE", "Moçambique")])
def test_place_q_folds_case_and_accents_of_stored_names_on_every_database(api_client, query, name):
    place = PlaceFactory(name=name)
    PlaceFactory(name="Maputo")

    assert listed(api_client, PLACES, q=query) == ids(place)


def test_place_q_finds_a_non_ascii_alternate_name_as_written(api_client):
    erbil = PlaceFactory(name="Erbil", alternate_names=["Arbil", "Hewlêr"])
    PlaceFactory(name="Kabul")

    assert listed(api_client, PLACES, q="Hewlêr") == ids(erbil)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"within": "afghanistan"}, "within"),
        ({"kind": "city"}, "kind"),
        ({"country": "Afghanistan"}, "country"),
        ({"bbox": "1,2,3"}, "bbox"),
        ({"near": "0,0", "radius_km": "-1"}, "radius_km"),
        ({"near": "-91,0", "radius_km": "1"}, "near"),
        ({"updated_since": "2021-02-30"}, "updated_since"),
        ({"ordering": "latitude"}, "ordering"),
    ],
)
def test_a_bad_place_filter_is_a_400_problem_naming_the_parameter(api_client, params, field):
    assert_validation_error(api_client.get(PLACES, params), field)


# Actors --------------------------------------------------------------------------------


def test_actor_q_finds_a_spelling_variant_among_the_aliases(api_client):
    mujahid = ActorFactory(name="Zabihullah Mujahid", aliases=["Zabihullah Mojaheed", "Zabiullah Mujahid"])
    ActorFactory(name="Ahmad Massoud")

    assert listed(api_client, ACTORS, q="Mojaheed") == ids(mujahid)
    assert listed(api_client, ACTORS, q="mojaheed") == ids(mujahid)


def test_actor_q_finds_zabihullah_mujahid_in_the_panjshir_fixture(api_client):
    call_command("loaddata", "fixtures/panjshir.json", verbosity=0)

    response = api_client.get(ACTORS, {"q": "Mojaheed"})

    assert [row["name"] for row in response.json()["results"]] == ["Zabihullah Mujahid"]


def test_actor_q_finds_actors_by_name(api_client):
    massoud = ActorFactory(name="Ahmad Massoud")
    ActorFactory(name="Fahim Dashty")

    assert listed(api_client, ACTORS, q="MASSOUD") == ids(massoud)


def test_actor_kind_filters_people_from_organisations(api_client):
    person = ActorFactory(kind=ActorKind.PERSON)
    organisation = OrganizationFactory()

    assert listed(api_client, ACTORS, kind="person") == ids(person)
    assert listed(api_client, ACTORS, kind="organization") == ids(organisation)


def test_actor_country_matches_the_country_code(api_client):
    afghan = ActorFactory(country_code="AF")
    ActorFactory(country_code="")

    assert listed(api_client, ACTORS, country="AF") == ids(afghan)


def test_affiliated_with_matches_members_of_the_organisation_once_each(api_client):
    taliban = OrganizationFactory(name="Taliban")
    mujahid = ActorFactory(name="Zabihullah Mujahid")
    AffiliationFactory(actor=mujahid, organization=taliban, role="spokesperson")
    AffiliationFactory(actor=mujahid, organization=taliban, role="deputy minister")
    AffiliationFactory(actor=ActorFactory(), organization=OrganizationFactory())

    response = api_client.get(ACTORS, {"affiliated_with": str(taliban.pk)})

    assert [row["id"] for row in response.json()["results"]] == [str(mujahid.pk)]


def test_external_id_matches_scheme_and_value(api_client):
    nrf = OrganizationFactory(external_ids={"twitter": "nrfafg"})
    OrganizationFactory(external_ids={"wikidata": "nrfafg"})
    OrganizationFactory(external_ids={})

    assert listed(api_client, ACTORS, external_id="twitter:nrfafg") == ids(nrf)


def test_external_id_value_ignores_case(api_client):
    massoud = ActorFactory(external_ids={"twitter": "AhmadMassoud01"})

    assert listed(api_client, ACTORS, external_id="twitter:ahmadmassoud01") == ids(massoud)


def test_actor_filters_combine(api_client):
    taliban = OrganizationFactory(name="Taliban")
    mujahid = ActorFactory(name="Zabihullah Mujahid", country_code="AF")
    AffiliationFactory(actor=mujahid, organization=taliban)
    AffiliationFactory(actor=ActorFactory(name="Zabihullah Other", country_code="PK"), organization=taliban)

    assert listed(
        api_client, ACTORS, affiliated_with=str(taliban.pk), country="AF", kind="person", q="zabihullah"
    ) == ids(mujahid)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "group"}, "kind"),
        ({"affiliated_with": "taliban"}, "affiliated_with"),
        ({"external_id": "nrfafg"}, "external_id"),
        ({"external_id": "twitter:"}, "external_id"),
        ({"external_id": ":nrfafg"}, "external_id"),
        ({"country": "A"}, "country"),
    ],
)
def test_a_bad_actor_filter_is_a_400_problem_naming_the_parameter(api_client, params, field):
    assert_validation_error(api_client.get(ACTORS, params), field)
