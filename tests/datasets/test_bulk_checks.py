"""The bulk path's record checks (datasets.bulk._checked): at least as strict as full_clean."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from claims.models import Source, Statement
from datasets import bulk
from datasets.models import DatasetRecord
from events.models import Event, Place

URLS = [
    "https://acleddata.com/data/?event=AFG1&cited=Tolo+News",
    "http://localhost/path",
    "http://localhost?x@example.com/",
    "https://user:secret@example.org:8443/a/b#frag",
    "https://[2001:db8::1]/path",
    "https://[2001:db8::zz]/path",
    "https://example.com/with space",
    "https://example.com/tab\there",
    "https://example.com\n/",
    "https://exa mple.com/",
    "https://example",
    "ftp://example.com/file",
    "example.com/no-scheme",
    "https://",
    "https://-bad-.com/",
    "https://" + "a" * 250 + ".com/",
    "https://example.com/" + "p" * 2100,
    "https://bücher.example/straße",
    "https://example.com?q=1",
    "https://example.com#top",
    "HTTPS://EXAMPLE.COM/",
    "https://example.com:99999/",
    "https://example.com./trailing-dot",
]


def accepted(validator, url: str) -> bool:
    try:
        validator(url)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("url", URLS)
def test_the_url_check_by_host_accepts_exactly_what_djangos_validator_accepts(url):
    django_validator = URLValidator(schemes=["http", "https"])
    by_host = bulk._HostOnceURLValidator(URLValidator(schemes=["http", "https"]))

    assert accepted(by_host, url) is accepted(django_validator, url)
    assert accepted(by_host, url) is accepted(by_host, url)  # and again, from its cache


def event(**fields) -> Event:
    values = {"title": "Clash", "event_type": "battle", "start_date": datetime.date(2021, 9, 4)}
    return Event(**{**values, **fields})


@pytest.mark.parametrize(
    ("instance", "given"),
    [
        (event(event_type="picnic"), ("title", "event_type", "start_date")),
        (event(title=""), ("title", "event_type", "start_date")),
        (event(title="x" * 301), ("title", "event_type", "start_date")),
        (event(fatalities=-1), ("title", "event_type", "start_date", "fatalities")),
        (event(dataset_attributes={"acled": "not a mapping"}), ("title", "event_type", "dataset_attributes")),
        (event(end_date=datetime.date(2021, 9, 1)), ("title", "event_type", "start_date", "end_date")),
        (Source(url="https://example.com/a b", kind="article"), ("url", "kind")),
        (Source(url="https://example.com/", kind="leaflet"), ("url", "kind")),
        (Statement(text="", stated_on=datetime.date(2021, 9, 4)), ("text", "stated_on")),
    ],
)
def test_what_full_clean_refuses_the_bulk_check_refuses(instance, given):
    exclude = [field.name for field in type(instance)._meta.concrete_fields if field.name not in given]
    with pytest.raises(ValidationError):
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)

    with pytest.raises(bulk.NotBulk):
        bulk._checked(instance, given)


def test_what_full_clean_accepts_the_bulk_check_accepts_with_the_same_values():
    instance = event(fatalities=3, summary="", dataset_attributes={"acled": {"inter1": "1"}})
    given = ("title", "event_type", "start_date", "fatalities", "summary", "dataset_attributes")

    assert bulk._checked(instance, given) is instance
    assert (instance.title, instance.fatalities, instance.start_date) == (
        "Clash",
        3,
        datetime.date(2021, 9, 4),
    )


@pytest.mark.django_db
def test_a_new_places_check_reads_nothing_and_refuses_itself_as_parent(django_assert_num_queries):
    country = Place.objects.create(name="Afghanistan", kind="country")
    new = Place(name="Panjshir", kind="admin1", parent_id=country.pk)
    with django_assert_num_queries(0):
        new.clean()

    own = uuid.uuid4()
    with pytest.raises(ValidationError, match="within itself"):
        Place(id=own, name="Loop", kind="admin1", parent_id=own).clean()


@pytest.mark.parametrize(
    ("model", "values"),
    [
        (Event, {"title": "Clash", "event_type": "battle", "place_id": uuid.uuid4(), "fatalities": 2}),
        (Source, {"url": "https://example.com/a", "kind": "article", "publisher_id": None}),
        (Statement, {"text": "It fell.", "stated_on": datetime.date(2021, 9, 6), "speaker_id": uuid.uuid4()}),
        (DatasetRecord, {"scheme": "acled", "record_id": "AFG1", "digest": "d", "event_id": uuid.uuid4()}),
    ],
)
def test_a_new_instance_is_what_the_models_constructor_makes(model, values):
    made, constructed = bulk.new_instance(model, **values), model(**values)

    fresh = {"id"} | {name for name, value in vars(constructed).items() if isinstance(value, (dict, list))}
    assert {k: v for k, v in vars(made).items() if k not in ("_state", "id")} == {
        k: v for k, v in vars(constructed).items() if k not in ("_state", "id")
    }
    assert (made.pk, constructed.pk) == (None, None) or made.pk != constructed.pk  # a UUID each
    assert made._state.adding
    assert made._state.db is None
    for name in fresh - {"id"}:
        assert getattr(made, name) is not getattr(model(**values), name)  # not shared between rows
