"""Filtering the event list: every parameter of DESIGN.md's table, alone and combined."""

import datetime
import uuid

import pytest
from django.core.management import call_command

from claims.models import Stance
from events.models import DatePrecision, Event, EventType, ParticipantRole, PlaceKind
from tests.api_cases import assert_validation_error
from tests.factories import (
    ActorFactory,
    EventFactory,
    ParticipantFactory,
    PlaceFactory,
    StanceFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/events/"


def listed(client, **params) -> set[str]:
    response = client.get(EVENTS, params)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def ids(*events: Event) -> set[str]:
    return {str(event.pk) for event in events}


# Dates ---------------------------------------------------------------------------------


@pytest.fixture
def offensive():
    """A day-precision event from 2021-08-30 to 2021-09-06."""
    return EventFactory(start_date=datetime.date(2021, 8, 30), end_date=datetime.date(2021, 9, 6))


def test_a_range_ending_the_day_an_event_starts_matches_it(api_client, offensive):
    assert listed(api_client, date_from="2021-08-01", date_to="2021-08-30") == ids(offensive)


def test_a_range_ending_the_day_before_an_event_starts_does_not_match_it(api_client, offensive):
    assert listed(api_client, date_from="2021-08-01", date_to="2021-08-29") == set()


def test_a_range_starting_the_day_an_event_ends_matches_it(api_client, offensive):
    assert listed(api_client, date_from="2021-09-06", date_to="2021-09-30") == ids(offensive)


def test_a_range_starting_the_day_after_an_event_ends_does_not_match_it(api_client, offensive):
    assert listed(api_client, date_from="2021-09-07", date_to="2021-09-30") == set()


def test_a_range_inside_an_event_matches_it(api_client, offensive):
    assert listed(api_client, date_from="2021-09-01", date_to="2021-09-02") == ids(offensive)


def test_date_from_alone_matches_events_ending_on_or_after_it(api_client, offensive):
    earlier = EventFactory(start_date=datetime.date(2021, 8, 1))

    assert listed(api_client, date_from="2021-09-06") == ids(offensive)
    assert listed(api_client, date_from="2021-08-01") == ids(offensive, earlier)


def test_date_to_alone_matches_events_starting_on_or_before_it(api_client, offensive):
    later = EventFactory(start_date=datetime.date(2021, 10, 1))

    assert listed(api_client, date_to="2021-08-30") == ids(offensive)
    assert listed(api_client, date_to="2021-10-01") == ids(offensive, later)


def test_an_event_without_end_date_lasts_its_start_date(api_client):
    killing = EventFactory(start_date=datetime.date(2021, 9, 5), end_date=None)

    assert listed(api_client, date_from="2021-09-05", date_to="2021-09-05") == ids(killing)
    assert listed(api_client, date_from="2021-09-06") == set()


def test_an_event_of_month_precision_spans_the_whole_month(api_client):
    september = EventFactory(start_date=datetime.date(2021, 9, 15), date_precision=DatePrecision.MONTH)

    assert listed(api_client, date_from="2021-08-01", date_to="2021-09-01") == ids(september)
    assert listed(api_client, date_from="2021-09-30", date_to="2021-10-31") == ids(september)
    assert listed(api_client, date_from="2021-10-01") == set()
    assert listed(api_client, date_to="2021-08-31") == set()


def test_an_event_of_year_precision_spans_the_whole_year(api_client):
    year = EventFactory(start_date=datetime.date(2021, 6, 1), date_precision=DatePrecision.YEAR)

    assert listed(api_client, date_from="2020-12-01", date_to="2021-01-01") == ids(year)
    assert listed(api_client, date_from="2021-12-31") == ids(year)
    assert listed(api_client, date_from="2022-01-01") == set()


def test_date_to_matches_an_event_known_by_year_whose_start_date_is_the_years_last_day(api_client):
    # date_to also bounds start_date (by the end of date_to's year) for the index: the
    # furthest a match can lie.
    late = EventFactory(start_date=datetime.date(2021, 12, 31), date_precision=DatePrecision.YEAR)
    month = EventFactory(start_date=datetime.date(2021, 1, 31), date_precision=DatePrecision.MONTH)

    assert listed(api_client, date_to="2021-01-01") == ids(late, month)
    assert listed(api_client, date_to="2020-12-31") == set()


def test_month_precision_with_an_end_date_spans_to_the_end_of_its_month(api_client):
    autumn = EventFactory(
        start_date=datetime.date(2021, 9, 15),
        end_date=datetime.date(2021, 10, 10),
        date_precision=DatePrecision.MONTH,
    )

    assert listed(api_client, date_from="2021-10-31") == ids(autumn)
    assert listed(api_client, date_from="2021-11-01") == set()


def test_effective_dates_follow_a_change_of_precision(api_client):
    event = EventFactory(start_date=datetime.date(2021, 9, 15))
    event.date_precision = DatePrecision.MONTH
    event.save()

    assert listed(api_client, date_from="2021-09-01", date_to="2021-09-01") == ids(event)


def test_updated_since_matches_events_changed_at_or_after_it(api_client):
    old = EventFactory()
    Event.objects.filter(pk=old.pk).update(updated_at=datetime.datetime(2021, 1, 1, tzinfo=datetime.UTC))
    recent = EventFactory()
    since = (recent.updated_at - datetime.timedelta(seconds=1)).isoformat()

    assert listed(api_client, updated_since=since) == ids(recent)
    assert listed(api_client, updated_since=recent.updated_at.isoformat()) == ids(recent)


def test_updated_since_accepts_an_offset_whose_plus_sign_was_not_encoded(api_client):
    event = EventFactory()

    response = api_client.get(EVENTS + "?updated_since=2000-01-01T00:00:00+00:00")

    assert {row["id"] for row in response.json()["results"]} == ids(event)


# Location ------------------------------------------------------------------------------


@pytest.fixture
def afghanistan():
    country = PlaceFactory(name="Afghanistan", kind=PlaceKind.COUNTRY, latitude=33.0, longitude=65.0)
    panjshir = PlaceFactory(name="Panjshir", kind=PlaceKind.ADMIN1, parent=country)
    bazarak = PlaceFactory(name="Bazarak", kind=PlaceKind.ADMIN2, parent=panjshir)
    return country, panjshir, bazarak


def test_place_matches_events_in_that_place_and_every_place_within_it(api_client, afghanistan):
    country, panjshir, bazarak = afghanistan
    national = EventFactory(place=country)
    provincial = EventFactory(place=panjshir)
    local = EventFactory(place=bazarak)

    assert listed(api_client, place=str(country.pk)) == ids(national, provincial, local)
    assert listed(api_client, place=str(panjshir.pk)) == ids(provincial, local)
    assert listed(api_client, place=str(bazarak.pk)) == ids(local)


def test_place_matches_the_same_events_when_its_subtree_is_too_big_to_inline(
    api_client, afghanistan, monkeypatch
):
    # Up to SUBTREE_INLINE_LIMIT places are read first and sent as values; a bigger subtree
    # stays a recursive subquery. Both select the same events.
    country, panjshir, bazarak = afghanistan
    events = ids(EventFactory(place=country), EventFactory(place=panjshir), EventFactory(place=bazarak))
    EventFactory(place=PlaceFactory(name="Erbil", country_code="IQ"))
    inlined = listed(api_client, place=str(country.pk))

    monkeypatch.setattr("events.selectors.SUBTREE_INLINE_LIMIT", 2)

    assert listed(api_client, place=str(country.pk)) == inlined == events


def test_place_does_not_match_events_in_other_places(api_client, afghanistan):
    country, _, _ = afghanistan
    EventFactory(place=PlaceFactory(name="Erbil", country_code="IQ"))

    assert listed(api_client, place=str(country.pk)) == set()


def test_place_that_does_not_exist_matches_nothing(api_client, afghanistan):
    EventFactory(place=afghanistan[0])

    assert listed(api_client, place=str(uuid.uuid4())) == set()


def test_country_matches_events_through_their_place_in_either_case(api_client):
    afghan = EventFactory(place=PlaceFactory(country_code="AF"))
    EventFactory(place=PlaceFactory(country_code="IQ"))
    EventFactory(place=None)

    assert listed(api_client, country="AF") == ids(afghan)
    assert listed(api_client, country="af") == ids(afghan)


def test_bbox_matches_events_whose_place_lies_inside(api_client):
    panjshir = EventFactory(place=PlaceFactory(latitude=35.3, longitude=69.8))
    EventFactory(place=PlaceFactory(latitude=36.19, longitude=44.01))
    EventFactory(place=PlaceFactory(latitude=None, longitude=None))

    assert listed(api_client, bbox="69,35,70,36") == ids(panjshir)


def test_bbox_edges_are_inclusive(api_client):
    corner = EventFactory(place=PlaceFactory(latitude=35.0, longitude=69.0))

    assert listed(api_client, bbox="69,35,70,36") == ids(corner)


def test_bbox_with_min_lon_above_max_lon_crosses_the_antimeridian(api_client):
    fiji = EventFactory(place=PlaceFactory(latitude=-17.7, longitude=178.0))
    samoa = EventFactory(place=PlaceFactory(latitude=-13.8, longitude=-172.0))
    EventFactory(place=PlaceFactory(latitude=-15.0, longitude=0.0))

    assert listed(api_client, bbox="170,-20,-170,-10") == ids(fiji, samoa)


def test_near_matches_events_within_the_great_circle_radius(api_client):
    close = EventFactory(place=PlaceFactory(latitude=0.5, longitude=0.5))  # about 79 km away
    EventFactory(place=PlaceFactory(latitude=2.0, longitude=0.0))  # about 222 km away

    assert listed(api_client, near="0,0", radius_km="100") == ids(close)


def test_near_excludes_the_corners_of_the_box_around_the_circle(api_client):
    # Inside the 100 km square around the point, but about 110 km away on the diagonal.
    EventFactory(place=PlaceFactory(latitude=0.7, longitude=0.7))

    assert listed(api_client, near="0,0", radius_km="100") == set()


def test_near_reaches_across_the_antimeridian(api_client):
    over_the_line = EventFactory(place=PlaceFactory(latitude=0.0, longitude=-179.9))  # about 22 km

    assert listed(api_client, near="0,179.9", radius_km="50") == ids(over_the_line)


def test_near_the_pole_matches_every_longitude(api_client):
    other_side = EventFactory(place=PlaceFactory(latitude=89.9, longitude=-90.0))  # about 22 km

    assert listed(api_client, near="89.9,90", radius_km="50") == ids(other_side)


# Verification --------------------------------------------------------------------------


def test_verification_status_takes_one_or_more_states(api_client):
    verified = EventFactory(verification_status="verified")
    false = EventFactory(verification_status="false")
    EventFactory(verification_status="unverified")

    assert listed(api_client, verification_status="verified") == ids(verified)
    assert listed(api_client, verification_status="verified,false") == ids(verified, false)


def _contest(event: Event) -> None:
    StanceFactory(event=event, stance=Stance.SUPPORTS, statement=StatementFactory())
    StanceFactory(event=event, stance=Stance.REFUTES, statement=StatementFactory())


def test_contested_true_matches_events_both_supported_and_refuted(api_client):
    contested = EventFactory()
    _contest(contested)
    quiet = EventFactory()
    StanceFactory(event=quiet, stance=Stance.SUPPORTS)

    assert listed(api_client, contested="true") == ids(contested)
    assert listed(api_client, contested="false") == ids(quiet)


# Relations -----------------------------------------------------------------------------


def test_actor_matches_events_it_takes_part_in_in_any_role_once_each(api_client):
    taliban = ActorFactory(name="Taliban")
    battle = EventFactory()
    ParticipantFactory(event=battle, actor=taliban, role=ParticipantRole.INITIATOR)
    ParticipantFactory(event=battle, actor=taliban, role=ParticipantRole.AFFECTED)
    announcement = EventFactory()
    ParticipantFactory(event=announcement, actor=taliban, role=ParticipantRole.OTHER)
    ParticipantFactory(event=EventFactory())

    response = api_client.get(EVENTS, {"actor": str(taliban.pk)})

    rows = [row["id"] for row in response.json()["results"]]
    assert sorted(rows) == sorted(ids(battle, announcement))


def test_event_type_takes_one_or_more_types(api_client):
    battle = EventFactory(event_type=EventType.BATTLE)
    protest = EventFactory(event_type=EventType.PROTEST)
    EventFactory(event_type=EventType.POLITICAL)

    assert listed(api_client, event_type="battle") == ids(battle)
    assert listed(api_client, event_type="battle,protest") == ids(battle, protest)


@pytest.mark.parametrize("value", [",", "battle,", ",battle", "battle,,protest"])
def test_an_empty_item_in_a_comma_separated_filter_is_a_400_naming_it(api_client, value):
    response = api_client.get("/api/v1/events/", {"event_type": value})

    assert_validation_error(response, "event_type")


def test_an_empty_comma_separated_filter_is_no_filter(api_client):
    EventFactory.create_batch(2)

    assert len(listed(api_client, event_type="")) == 2


# Search --------------------------------------------------------------------------------


def test_q_finds_events_by_a_word_of_the_title_ignoring_case(api_client):
    fall = EventFactory(title="Taliban claim the fall of Panjshir")
    EventFactory(title="Government formation delayed")

    assert listed(api_client, q="PANJSHIR") == ids(fall)


def test_q_matches_the_start_of_a_word(api_client):
    fall = EventFactory(title="Taliban claim the fall of Panjshir")

    assert listed(api_client, q="panj") == ids(fall)


def test_q_finds_events_by_their_summary(api_client):
    killing = EventFactory(title="Killing", summary="Fahim Dashty was killed in the fighting.")
    EventFactory(title="Other", summary="Nothing related.")

    assert listed(api_client, q="dashty") == ids(killing)


def test_q_ignores_accents_in_the_query(api_client):
    fall = EventFactory(title="Fall of Panjshir")

    assert listed(api_client, q="Pânjshír") == ids(fall)


def test_q_needs_every_word_to_match(api_client):
    fall = EventFactory(title="Taliban claim the fall of Panjshir")
    EventFactory(title="Taliban announce a government")

    assert listed(api_client, q="taliban panjshir") == ids(fall)


def test_q_of_punctuation_alone_matches_nothing(api_client):
    EventFactory(title="Fall of Panjshir")

    assert listed(api_client, q="!!") == set()


def test_q_finds_events_of_the_panjshir_fixture(api_client):
    call_command("loaddata", "fixtures/panjshir.json", verbosity=0)

    response = api_client.get(EVENTS, {"q": "dashty killing"})

    assert [row["title"] for row in response.json()["results"]] == [
        "Killing of NRF spokesperson Fahim Dashty"
    ]


# Combinations and ordering ------------------------------------------------------------


def test_filters_combine_with_and(api_client, afghanistan):
    country, panjshir, _ = afghanistan
    match = EventFactory(
        place=panjshir, event_type=EventType.BATTLE, start_date=datetime.date(2021, 9, 6), title="Fall"
    )
    EventFactory(place=panjshir, event_type=EventType.POLITICAL, start_date=datetime.date(2021, 9, 6))
    EventFactory(place=panjshir, event_type=EventType.BATTLE, start_date=datetime.date(2021, 7, 1))
    EventFactory(
        place=PlaceFactory(country_code="IQ"),
        event_type=EventType.BATTLE,
        start_date=datetime.date(2021, 9, 6),
    )

    assert listed(
        api_client,
        place=str(country.pk),
        country="AF",
        event_type="battle",
        date_from="2021-09-01",
        date_to="2021-09-30",
        verification_status="unverified",
        contested="false",
        q="fall",
        updated_since="2000-01-01",
    ) == ids(match)


def test_ordering_by_a_documented_field_sorts_the_list(api_client):
    EventFactory(title="B", start_date=datetime.date(2021, 9, 2))
    EventFactory(title="A", start_date=datetime.date(2021, 9, 3))
    EventFactory(title="C", start_date=datetime.date(2021, 9, 1))

    response = api_client.get(EVENTS, {"ordering": "title"})

    assert [row["title"] for row in response.json()["results"]] == ["A", "B", "C"]


def test_default_ordering_is_latest_start_first(api_client):
    EventFactory(title="B", start_date=datetime.date(2021, 9, 2))
    EventFactory(title="A", start_date=datetime.date(2021, 9, 3))

    response = api_client.get(EVENTS)

    assert [row["title"] for row in response.json()["results"]] == ["A", "B"]


def test_unknown_parameters_are_left_alone(api_client):
    event = EventFactory()

    assert listed(api_client, colour="blue", date_from_typo="nonsense") == ids(event)


def test_blank_values_from_the_browsable_form_are_ignored(api_client):
    event = EventFactory()

    params = dict.fromkeys(
        ["date_from", "date_to", "place", "bbox", "near", "radius_km", "contested", "q"], ""
    )
    assert listed(api_client, **params) == ids(event)


def test_effective_dates_stay_out_of_the_api_output(api_client):
    EventFactory()

    row = api_client.get(EVENTS).json()["results"][0]

    assert "effective_start_date" not in row
    assert "effective_end_date" not in row


# Bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "2021-13-01"}, "date_from"),
        ({"date_from": "06/09/2021"}, "date_from"),
        ({"date_to": "yesterday"}, "date_to"),
        ({"date_from": "2021-09-07", "date_to": "2021-09-06"}, "date_from"),
        ({"date_from": "2021-09-07", "date_to": "2021-09-06"}, "date_to"),
        ({"updated_since": "last week"}, "updated_since"),
        ({"updated_since": "2021-09-06T25:00:00Z"}, "updated_since"),
        ({"verification_status": "verified,dubious"}, "verification_status"),
        ({"event_type": "war"}, "event_type"),
        ({"contested": "maybe"}, "contested"),
        ({"place": "panjshir"}, "place"),
        ({"actor": "123"}, "actor"),
        ({"country": "AFG"}, "country"),
        ({"country": "4F"}, "country"),
        ({"bbox": "69,35,70"}, "bbox"),
        ({"bbox": "69,35,70,36,1"}, "bbox"),
        ({"bbox": "69,west,70,36"}, "bbox"),
        ({"bbox": "69,35,70,91"}, "bbox"),
        ({"bbox": "69,36,70,35"}, "bbox"),
        ({"bbox": "-181,35,70,36"}, "bbox"),
        ({"bbox": "nan,35,70,36"}, "bbox"),
        ({"near": "91,0", "radius_km": "10"}, "near"),
        ({"near": "0,181", "radius_km": "10"}, "near"),
        ({"near": "35.3", "radius_km": "10"}, "near"),
        ({"near": "35.3,69.8"}, "radius_km"),
        ({"radius_km": "10"}, "radius_km"),
        ({"near": "35.3,69.8", "radius_km": "-5"}, "radius_km"),
        ({"near": "35.3,69.8", "radius_km": "0"}, "radius_km"),
        ({"near": "35.3,69.8", "radius_km": "far"}, "radius_km"),
        ({"near": "35.3,69.8", "radius_km": "inf"}, "radius_km"),
        ({"ordering": "colour"}, "ordering"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_a_bad_value_is_a_400_problem_naming_the_parameter(api_client, params, field):
    EventFactory()

    response = api_client.get(EVENTS, params)

    assert_validation_error(response, field)


def test_a_bad_value_is_reported_even_with_a_good_one_beside_it(api_client):
    response = api_client.get(EVENTS, {"date_from": "2021-09-01", "country": "Afghanistan"})

    assert_validation_error(response, "country")


# Schema and browsable API -------------------------------------------------------------


def test_schema_documents_every_event_filter_with_its_type(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/events/"]["get"]["parameters"]}

    assert parameters["date_from"]["schema"] == {"type": "string", "format": "date"}
    assert parameters["updated_since"]["schema"] == {"type": "string", "format": "date-time"}
    assert parameters["place"]["schema"] == {"type": "string", "format": "uuid"}
    assert parameters["contested"]["schema"] == {"type": "boolean"}
    assert parameters["radius_km"]["schema"]["type"] == "number"
    assert parameters["bbox"]["schema"]["type"] == "array"
    assert parameters["bbox"]["explode"] is False
    # The vocabulary is the named enum component SDKs share (eventsapi.api.schema).
    items = parameters["verification_status"]["schema"]["items"]
    assert items == {"$ref": "#/components/schemas/VerificationStatusEnum"}
    assert set(schema["components"]["schemas"]["VerificationStatusEnum"]["enum"]) == {
        "unverified",
        "in_review",
        "verified",
        "false",
        "misleading",
        "unverifiable",
    }
    assert "-start_date" in parameters["ordering"]["schema"]["items"]["enum"]
    expected = {
        "date_from",
        "date_to",
        "updated_since",
        "verification_status",
        "place",
        "country",
        "bbox",
        "near",
        "radius_km",
        "actor",
        "event_type",
        "contested",
        "q",
        "ordering",
    }
    assert expected <= set(parameters)
    assert all(parameters[name].get("description") for name in expected)


def test_browsable_api_shows_the_filter_form(api_client):
    response = api_client.get(EVENTS, HTTP_ACCEPT="text/html")

    html = response.content.decode()
    assert response.status_code == 200
    for name in ("date_from", "place", "bbox", "near", "contested", "q"):
        assert f'name="{name}"' in html


def test_stored_effective_dates_survive_a_raw_fixture_load():
    call_command("loaddata", "fixtures/panjshir.json", verbosity=0)

    assert Event.objects.exists()
    assert not Event.objects.filter(effective_start_date__isnull=True).exists()
    assert not Event.objects.filter(effective_end_date__isnull=True).exists()


def test_external_id_matches_an_events_id_in_another_dataset(api_client):
    acled = EventFactory(external_ids={"acled": "AFG51234"})
    EventFactory(external_ids={"ucdp": "AFG51234"})
    EventFactory()
    assert listed(api_client, external_id="acled:afg51234") == {str(acled.pk)}
    assert_validation_error(api_client.get(EVENTS, {"external_id": "acled"}), "external_id")


def test_external_ids_are_written_and_read_back(editor_client):
    created = editor_client.post(
        EVENTS,
        {
            "title": "Clashes reported near a ridge",
            "event_type": "battle",
            "start_date": "2021-09-01",
            "external_ids": {"acled": "AFG60001"},
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["external_ids"] == {"acled": "AFG60001"}
    refused = editor_client.post(
        EVENTS,
        {"title": "x", "event_type": "battle", "start_date": "2021-09-01", "external_ids": {"acled": 5}},
        format="json",
    )
    assert_validation_error(refused, "external_ids.acled")
