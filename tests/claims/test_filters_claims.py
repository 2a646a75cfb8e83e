"""Filtering the statement and source lists."""

import datetime
import uuid

import pytest

from claims.models import SourceKind, Stance, Statement
from events.models import PlaceKind
from tests.api_cases import assert_validation_error
from tests.factories import (
    ActorFactory,
    EventFactory,
    PlaceFactory,
    SourceFactory,
    StanceFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db

STATEMENTS = "/api/v1/statements/"
SOURCES = "/api/v1/sources/"


def listed(client, path: str, **params) -> set[str]:
    response = client.get(path, params)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def ids(*records) -> set[str]:
    return {str(record.pk) for record in records}


# Statements ----------------------------------------------------------------------------


def test_statement_dates_filter_on_stated_on_inclusively(api_client):
    sunday = StatementFactory(stated_on=datetime.date(2021, 9, 5))
    monday = StatementFactory(stated_on=datetime.date(2021, 9, 6))

    assert listed(api_client, STATEMENTS, date_from="2021-09-06") == ids(monday)
    assert listed(api_client, STATEMENTS, date_to="2021-09-05") == ids(sunday)
    assert listed(api_client, STATEMENTS, date_from="2021-09-05", date_to="2021-09-06") == ids(sunday, monday)
    assert listed(api_client, STATEMENTS, date_from="2021-09-07") == set()


def test_statement_updated_since_matches_statements_changed_at_or_after_it(api_client):
    old = StatementFactory()
    Statement.objects.filter(pk=old.pk).update(updated_at=datetime.datetime(2021, 1, 1, tzinfo=datetime.UTC))
    recent = StatementFactory()

    assert listed(api_client, STATEMENTS, updated_since="2021-06-01T00:00:00Z") == ids(recent)


def test_statement_verification_status_takes_one_or_more_states(api_client):
    verified = StatementFactory(verification_status="verified")
    misleading = StatementFactory(verification_status="misleading")
    StatementFactory()

    assert listed(api_client, STATEMENTS, verification_status="verified,misleading") == ids(
        verified, misleading
    )


def test_speaker_matches_statements_by_that_actor(api_client):
    mujahid = ActorFactory(name="Zabihullah Mujahid")
    claim = StatementFactory(speaker=mujahid)
    StatementFactory()

    assert listed(api_client, STATEMENTS, speaker=str(mujahid.pk)) == ids(claim)


def test_event_matches_statements_about_it(api_client):
    fall = EventFactory()
    claim = StanceFactory(event=fall, stance=Stance.SUPPORTS).statement
    denial = StanceFactory(event=fall, stance=Stance.REFUTES).statement
    StanceFactory()

    assert listed(api_client, STATEMENTS, event=str(fall.pk)) == ids(claim, denial)


def test_stance_narrows_event_to_that_stance_on_that_event(api_client):
    fall, killing = EventFactory(), EventFactory()
    denial = StatementFactory()
    StanceFactory(statement=denial, event=fall, stance=Stance.REFUTES)
    mixed = StatementFactory()
    StanceFactory(statement=mixed, event=fall, stance=Stance.SUPPORTS)
    StanceFactory(statement=mixed, event=killing, stance=Stance.REFUTES)

    assert listed(api_client, STATEMENTS, event=str(fall.pk), stance="refutes") == ids(denial)
    assert listed(api_client, STATEMENTS, event=str(fall.pk), stance="supports") == ids(mixed)


def test_stance_alone_matches_statements_taking_it_on_any_event(api_client):
    denial = StanceFactory(stance=Stance.REFUTES).statement
    StanceFactory(stance=Stance.SUPPORTS)

    assert listed(api_client, STATEMENTS, stance="refutes") == ids(denial)


def test_source_matches_statements_that_appeared_in_it(api_client):
    tweet = SourceFactory(kind=SourceKind.SOCIAL_POST)
    quoted = StatementFactory()
    quoted.sources.add(tweet)
    StatementFactory()

    assert listed(api_client, STATEMENTS, source=str(tweet.pk)) == ids(quoted)


def test_language_matches_the_tag_and_its_more_specific_forms_ignoring_case(api_client):
    english = StatementFactory(language="en")
    british = StatementFactory(language="en-GB")
    StatementFactory(language="ps")

    assert listed(api_client, STATEMENTS, language="en") == ids(english, british)
    assert listed(api_client, STATEMENTS, language="EN-gb") == ids(british)


def test_statement_place_matches_statements_about_events_within_the_place(api_client):
    afghanistan = PlaceFactory(kind=PlaceKind.COUNTRY)
    panjshir = PlaceFactory(kind=PlaceKind.ADMIN1, parent=afghanistan)
    about_panjshir = StanceFactory(event=EventFactory(place=panjshir)).statement
    StanceFactory(event=EventFactory(place=PlaceFactory(country_code="IQ")))
    StatementFactory()

    assert listed(api_client, STATEMENTS, place=str(afghanistan.pk)) == ids(about_panjshir)


def test_statement_country_goes_through_the_places_of_its_events_once_each(api_client):
    statement = StatementFactory()
    StanceFactory(statement=statement, event=EventFactory(place=PlaceFactory(country_code="AF")))
    StanceFactory(statement=statement, event=EventFactory(place=PlaceFactory(country_code="AF")))
    StanceFactory(event=EventFactory(place=PlaceFactory(country_code="IQ")))

    response = api_client.get(STATEMENTS, {"country": "af"})

    assert [row["id"] for row in response.json()["results"]] == [str(statement.pk)]


def test_statement_q_searches_the_text(api_client):
    claim = StatementFactory(text="With this victory, our country is completely out of the quagmire of war.")
    StatementFactory(text="The Taliban's claim of occupying Panjshir is false.")

    assert listed(api_client, STATEMENTS, q="quagmire victory") == ids(claim)


def test_statement_filters_combine(api_client):
    mujahid = ActorFactory()
    fall = EventFactory(place=PlaceFactory(country_code="AF"))
    match = StatementFactory(speaker=mujahid, stated_on=datetime.date(2021, 9, 6), text="Victory")
    StanceFactory(statement=match, event=fall, stance=Stance.SUPPORTS)
    other_day = StatementFactory(speaker=mujahid, stated_on=datetime.date(2021, 9, 1), text="Victory")
    StanceFactory(statement=other_day, event=fall, stance=Stance.SUPPORTS)

    assert listed(
        api_client,
        STATEMENTS,
        speaker=str(mujahid.pk),
        event=str(fall.pk),
        stance="supports",
        country="AF",
        date_from="2021-09-05",
        language="en",
        q="victory",
    ) == ids(match)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "2021-9-6x"}, "date_from"),
        ({"date_from": "2021-09-07", "date_to": "2021-09-06"}, "date_to"),
        ({"speaker": "mujahid"}, "speaker"),
        ({"event": "1"}, "event"),
        ({"stance": "denies"}, "stance"),
        ({"source": "tweet"}, "source"),
        ({"language": "english!"}, "language"),
        ({"place": "x"}, "place"),
        ({"country": "AFG"}, "country"),
        ({"verification_status": "true"}, "verification_status"),
        ({"ordering": "text"}, "ordering"),
    ],
)
def test_a_bad_statement_filter_is_a_400_problem_naming_the_parameter(api_client, params, field):
    assert_validation_error(api_client.get(STATEMENTS, params), field)


# Sources -------------------------------------------------------------------------------


def _published(day: int, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(2021, 9, day, hour, tzinfo=datetime.UTC)


def test_source_dates_filter_on_published_at_by_utc_day(api_client):
    late_sunday = SourceFactory(published_at=_published(5, 23))
    early_monday = SourceFactory(published_at=_published(6, 0))
    SourceFactory(published_at=None)

    assert listed(api_client, SOURCES, date_to="2021-09-05") == ids(late_sunday)
    assert listed(api_client, SOURCES, date_from="2021-09-06") == ids(early_monday)
    assert listed(api_client, SOURCES, date_from="2021-09-05", date_to="2021-09-06") == ids(
        late_sunday, early_monday
    )


def test_source_kind_takes_one_or_more_kinds(api_client):
    article = SourceFactory(kind=SourceKind.ARTICLE)
    video = SourceFactory(kind=SourceKind.VIDEO)
    SourceFactory(kind=SourceKind.SOCIAL_POST)

    assert listed(api_client, SOURCES, kind="article,video") == ids(article, video)


def test_publisher_matches_sources_of_that_actor(api_client):
    kurdistan24 = ActorFactory(name="Kurdistan 24")
    article = SourceFactory(publisher=kurdistan24)
    SourceFactory()

    assert listed(api_client, SOURCES, publisher=str(kurdistan24.pk)) == ids(article)


def test_url_matches_after_the_same_normalisation_as_on_write(api_client):
    article = SourceFactory(url="https://www.kurdistan24.net/en/story/25485")
    SourceFactory(url="https://www.kurdistan24.net/en/story/1")

    spelled_otherwise = "HTTPS://WWW.Kurdistan24.net:443/en/story/25485?utm_source=twitter#comments"
    assert listed(api_client, SOURCES, url=spelled_otherwise) == ids(article)


def test_source_verification_status_filters_on_authenticity(api_client):
    fake = SourceFactory(verification_status="false")
    SourceFactory()

    assert listed(api_client, SOURCES, verification_status="false") == ids(fake)


def test_source_q_searches_title_and_author(api_client):
    clip = SourceFactory(title="Video clips shared on social media")
    interview = SourceFactory(title="Interview", author="Fahim Dashty")

    assert listed(api_client, SOURCES, q="clips") == ids(clip)
    assert listed(api_client, SOURCES, q="dashty") == ids(interview)


def test_source_unknown_publisher_matches_nothing(api_client):
    SourceFactory(publisher=ActorFactory())

    assert listed(api_client, SOURCES, publisher=str(uuid.uuid4())) == set()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"url": "ftp://example.org/file"}, "url"),
        ({"url": "not a url"}, "url"),
        ({"kind": "podcast"}, "kind"),
        ({"publisher": "kurdistan24"}, "publisher"),
        ({"date_to": "2021-09-31"}, "date_to"),
        ({"updated_since": "yesterday"}, "updated_since"),
    ],
)
def test_a_bad_source_filter_is_a_400_problem_naming_the_parameter(api_client, params, field):
    assert_validation_error(api_client.get(SOURCES, params), field)
