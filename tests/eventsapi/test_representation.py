"""The list representations are compiled from the serializers, and the compiler refuses what
it does not know (eventsapi.api.representation); export columns default from the same
fields (eventsapi.api.export.serializer_columns).

tests/events/test_fast_read_path.py holds each compiled list to its serializer's bytes.
"""

import csv
import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from claims.api.serializers import StatementSerializer
from events.api.fast import PARTICIPANTS
from events.api.serializers import ActorSerializer, EventSerializer, PlaceSerializer
from eventsapi.api.export import ExportMixin, serializer_columns
from eventsapi.api.renderers import ORJSONRenderer
from eventsapi.api.representation import TupleRead, compile_list
from eventsapi.api.viewsets import FastListMixin
from tests.factories import PlaceFactory


def _routed_viewsets() -> set[type]:
    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and hasattr(pattern.callback, "cls"):
                yield pattern.callback.cls

    return set(walk(get_resolver().url_patterns))


FAST_LISTS = sorted(
    (viewset for viewset in _routed_viewsets() if issubclass(viewset, FastListMixin)),
    key=lambda viewset: viewset.__name__,
)
EXPORTS = sorted(
    (viewset for viewset in _routed_viewsets() if issubclass(viewset, ExportMixin) and viewset.export),
    key=lambda viewset: viewset.__name__,
)


def test_every_resource_list_takes_the_fast_path():
    assert {viewset.__name__ for viewset in FAST_LISTS} >= {
        "EventViewSet",
        "StatementViewSet",
        "SourceViewSet",
        "PlaceViewSet",
        "ActorViewSet",
    }


@pytest.mark.parametrize("viewset", FAST_LISTS, ids=lambda viewset: viewset.__name__)
def test_every_list_is_compiled_from_its_own_serializer(viewset):
    represent = viewset.list_representations

    # Compiled, not written by hand: from the serializer the viewset reads and writes with,
    # every field it writes a key of the compiled dictionary.
    assert represent.serializer_class is viewset.serializer_class
    readable = [name for name, field in viewset.serializer_class().fields.items() if not field.write_only]
    assert all(f"            {name!r}: " in represent.source for name in readable)


class _Headline(EventSerializer):
    headline = serializers.SerializerMethodField()

    class Meta(EventSerializer.Meta):
        fields = EventSerializer.Meta.fields + ["headline"]

    def get_headline(self, event) -> str:
        return event.title.upper()


def test_a_serializer_field_without_a_compiled_accessor_fails_to_compile():
    with pytest.raises(ImproperlyConfigured, match=r"_Headline\.headline \(SerializerMethodField\)"):
        compile_list(_Headline, reads={"participants": PARTICIPANTS})


class _Decimal(PlaceSerializer):
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)


class _Shouting(serializers.CharField):
    def to_representation(self, value):
        return super().to_representation(value).upper()


class _Custom(PlaceSerializer):
    name = _Shouting()


@pytest.mark.parametrize(
    ("serializer_class", "field"),
    [(_Decimal, r"_Decimal\.latitude \(DecimalField\)"), (_Custom, r"_Custom\.name \(_Shouting\)")],
)
def test_a_field_kind_the_compiler_does_not_know_fails_to_compile(serializer_class, field):
    # A decimal is written as text by DRF; a field with its own to_representation is not
    # the attribute as it is. Neither may be read raw.
    with pytest.raises(ImproperlyConfigured, match=field):
        compile_list(serializer_class)


def test_a_many_valued_field_needs_a_tuple_read():
    with pytest.raises(ImproperlyConfigured, match=r"ActorSerializer\.affiliations .*TupleRead"):
        compile_list(ActorSerializer)
    with pytest.raises(ImproperlyConfigured, match=r"StatementSerializer\.sources .*TupleRead"):
        compile_list(StatementSerializer, reads={"about": PARTICIPANTS, "replies": PARTICIPANTS})


def test_a_read_or_accessor_for_a_field_the_serializer_lacks_fails_to_compile():
    with pytest.raises(ImproperlyConfigured, match="PlaceSerializer has no field participants"):
        compile_list(PlaceSerializer, reads={"participants": PARTICIPANTS})
    with pytest.raises(ImproperlyConfigured, match="PlaceSerializer has no field headline"):
        compile_list(PlaceSerializer, accessors={"headline": str})


class _WithSecret(PlaceSerializer):
    secret = serializers.CharField(write_only=True)
    upper_name = serializers.SerializerMethodField()

    class Meta(PlaceSerializer.Meta):
        fields = PlaceSerializer.Meta.fields + ["secret", "upper_name"]

    def get_upper_name(self, place) -> str:
        return place.name.upper()


@pytest.mark.django_db
def test_an_accessor_computes_its_field_and_write_only_fields_stay_out():
    PlaceFactory.create_batch(2, name="Kābul")
    PlaceFactory(parent=PlaceFactory())
    represent = compile_list(_WithSecret, accessors={"upper_name": lambda place: place.name.upper()})
    request = Request(APIRequestFactory().get("/api/v1/places/", HTTP_HOST="testserver"))
    rows = list(PlaceSerializer.Meta.model.objects.select_related("parent").order_by("id"))

    slow = JSONRenderer().render(_WithSecret(rows, many=True, context={"request": request}).data)
    fast = ORJSONRenderer().render(represent(rows, request))

    assert fast == slow
    assert b"secret" not in fast
    assert represent([], request) == []


def test_a_tuple_read_columns_come_from_the_item_serializer():
    represent = compile_list(EventSerializer, reads={"participants": PARTICIPANTS})

    assert "('actor__id', 'actor__name', 'role')" in represent.source
    assert isinstance(PARTICIPANTS, TupleRead)


# Today's export headers: the serializers' fields flattened, as spreadsheets already read them.
EXPORT_HEADERS = {
    "places": "id,name,alternate_names,kind,country_code,parent_id,parent_name,latitude,longitude,"
    "external_ids,version,created_at,updated_at",
    "actors": "id,name,kind,aliases,description,country_code,external_ids,affiliations,version,"
    "created_at,updated_at",
    "events": "id,title,summary,event_type,start_date,end_date,date_precision,place_id,place_name,"
    "country_code,latitude,longitude,participants,fatalities,sub_event_type,external_ids,dataset_attributes,"
    "verification_status,contested,statement_count,"
    "version,created_at,updated_at",
    "sources": "id,url,kind,title,publisher_id,publisher_name,author,published_at,language,"
    "archived_url,verification_status,cites,version,created_at,updated_at",
    "statements": "id,text,language,is_direct_quote,speaker_id,speaker_name,stated_on,stated_at,"
    "sources,about,responds_to_id,verification_status,channel,source_spans,version,created_at,updated_at",
}


@pytest.mark.parametrize("viewset", EXPORTS, ids=lambda viewset: viewset.__name__)
def test_export_columns_default_from_the_serializer(viewset):
    header = next(csv.reader(io.StringIO(EXPORT_HEADERS[viewset.export.name])))

    assert [name for name, _ in viewset.export.columns] == header


def test_a_nested_list_needs_declared_export_columns():
    with pytest.raises(ImproperlyConfigured, match=r"EventSerializer\.participants \(ListSerializer\)"):
        serializer_columns(EventSerializer)
    with pytest.raises(ImproperlyConfigured, match="EventSerializer has no field nothing"):
        serializer_columns(EventSerializer, omit=("participants", "nothing"))
