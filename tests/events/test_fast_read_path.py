"""The fast list read paths return exactly what the serializers return.

``events.api.fast`` and ``claims.api.fast`` build every resource list without
DRF's generic serializers (compiled from them by eventsapi.api.representation; see also
tests/eventsapi/test_representation.py), and ``ORJSONRenderer`` writes them. Over varied data (places or
none, several participants, contested events, reviews, replies, unicode, line separators)
the bytes must equal ``Serializer(many=True).data`` rendered by DRF's ``JSONRenderer``: the
same keys in the same order with the same values.
"""

import datetime
import json

import pytest
from django.core.management import call_command
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from claims.api.fast import source_representations, statement_representations
from claims.api.views import EventViewSet, SourceViewSet, StatementViewSet
from claims.models import Source, Statement, StatementEvent
from events.api.fast import actor_representations, event_representations, place_representations
from events.api.views import ActorViewSet, PlaceViewSet
from events.models import Affiliation, Event
from eventsapi.api.renderers import ORJSONRenderer
from eventsapi.api.viewsets import FastListMixin
from tests.factories import ActorFactory, PlaceFactory, SourceFactory, StatementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def varied_data():
    call_command("seed_synthetic", events=60, seed=11, verbosity=0)
    # Text that JSON encoders treat differently: non-ASCII, quotes, U+2028 and U+2029.
    Event.objects.filter(pk=Event.objects.order_by("id").first().pk).update(
        title='Kämpfe um „Bazarak" \u2028 \u2029 \\ "quoted" 😀', summary="", end_date=None
    )
    # One statement with several sources (one undated, one tombstoned), stances on several
    # events (one tombstoned) and replies (one tombstoned): the lists' content and order.
    statement = Statement.objects.order_by("id").first()
    extra = SourceFactory.create_batch(3) + [SourceFactory(published_at=None)]
    extra[0].tombstone()
    statement.sources.add(*extra)
    for stance, event in zip(["refutes", "neutral"], Event.objects.order_by("-id")[:2], strict=True):
        StatementEvent.objects.create(statement=statement, event=event, stance=stance)
    Event.objects.order_by("-id").first().tombstone()
    replies = StatementFactory.create_batch(3, responds_to=statement, speaker=statement.speaker)
    replies[1].tombstone()
    # A source citing others (one tombstoned, one undated) and one without a publisher.
    citing = extra[1]
    citing.cites.add(*extra[2:], extra[0], Source.objects.order_by("id").first())
    Source.objects.filter(pk=extra[3].pk).update(publisher=None)
    # Places without coordinates or parent, with alternate names; an actor with affiliations
    # (one to a tombstoned organisation, one open-ended) and none of its optional fields.
    PlaceFactory(latitude=None, longitude=None, parent=None, alternate_names=["Pandschir", "Panjšir"])
    organization = ActorFactory(kind="organization")
    person = ActorFactory(aliases=[], description="", country_code="", external_ids={})
    Affiliation.objects.create(actor=person, organization=organization, role="spokesperson")
    Affiliation.objects.create(
        actor=person, organization=ActorFactory(kind="organization"), start_date=datetime.date(2020, 1, 1)
    )
    organization.tombstone()


def _request():
    return Request(APIRequestFactory().get("/api/v1/events/", HTTP_HOST="testserver"))


def assert_identical(slow: bytes, fast: bytes) -> None:
    assert json.loads(fast) == json.loads(slow)

    def key_orders(value):
        if isinstance(value, dict):
            return [list(value), *(key_orders(item) for item in value.values())]
        if isinstance(value, list):
            return [key_orders(item) for item in value]
        return None

    assert key_orders(json.loads(fast)) == key_orders(json.loads(slow))
    assert fast == slow


@pytest.mark.parametrize(
    ("viewset", "representations"),
    [
        (EventViewSet, event_representations),
        (StatementViewSet, statement_representations),
        (SourceViewSet, source_representations),
        (PlaceViewSet, place_representations),
        (ActorViewSet, actor_representations),
    ],
)
def test_fast_list_representation_equals_the_serializers(varied_data, viewset, representations):
    request = _request()
    instances = list(viewset.queryset.order_by("id"))
    assert instances
    rows = list(viewset.queryset.order_by("id").values(*representations.columns))

    slow = JSONRenderer().render(
        viewset.serializer_class(instances, many=True, context={"request": request}).data
    )
    fast = ORJSONRenderer().render(representations(rows, request))

    assert_identical(slow, fast)


@pytest.mark.parametrize(
    "endpoint",
    ["/api/v1/events/", "/api/v1/statements/", "/api/v1/sources/", "/api/v1/places/", "/api/v1/actors/"],
)
def test_the_list_endpoint_serves_what_the_serializer_path_serves(
    varied_data, api_client, endpoint, monkeypatch
):
    params = {"page_size": 500}
    fast = api_client.get(endpoint, params)
    monkeypatch.setattr(
        FastListMixin, "list", lambda self, request, *args, **kwargs: super(FastListMixin, self).list(request)
    )
    monkeypatch.setattr(
        FastListMixin, "get_renderers", lambda self: super(FastListMixin, self).get_renderers()
    )
    generic = api_client.get(endpoint, params)

    assert fast.status_code == generic.status_code == 200
    assert fast["Content-Type"] == generic["Content-Type"] == "application/json"
    assert_identical(generic.content, fast.content)


def test_the_browsable_api_and_csv_still_use_the_generic_path(varied_data, api_client):
    html = api_client.get("/api/v1/events/", HTTP_ACCEPT="text/html")
    csv = api_client.get("/api/v1/events/", {"format": "csv"})

    assert html.status_code == 200
    assert b"<html" in html.content
    assert csv.status_code == 200
    assert csv["Content-Type"].startswith("text/csv")


@pytest.mark.parametrize(
    ("path", "queries"),
    [
        # The page (with its place), then the participants.
        ("/api/v1/events/", 2),
        # The page (speaker and replied-to statement joined), then sources, stances, replies.
        ("/api/v1/statements/", 4),
        # The page (publisher joined), then the sources each cites.
        ("/api/v1/sources/", 2),
        # The page, then the affiliations.
        ("/api/v1/actors/", 2),
        # The page, parents joined.
        ("/api/v1/places/", 1),
    ],
)
def test_list_query_counts_do_not_grow_with_the_page(api_client, django_assert_num_queries, path, queries):
    call_command("seed_synthetic", events=80, seed=3, verbosity=0)

    with django_assert_num_queries(queries):
        small = api_client.get(path, {"page_size": 5})
    with django_assert_num_queries(queries):
        large = api_client.get(path, {"page_size": 30})

    assert len(small.json()["results"]) == 5
    assert len(large.json()["results"]) == 30
