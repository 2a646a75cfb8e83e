"""Each FilterSet gets filter objects of its own (shallow copies of the declared ones)."""

import datetime

import pytest

from events.filtersets import EventFilterSet
from events.models import Event
from tests.factories import EventFactory


def test_two_filtersets_share_no_filter_object_and_method_filters_call_their_own_set():
    first, second = EventFilterSet(data={}), EventFilterSet(data={})

    for name, declared in EventFilterSet.base_filters.items():
        assert first.filters[name] is not second.filters[name] is not declared
        assert first.filters[name].parent is first
        assert first.filters[name].label == name
    assert first.filters["date_from"].filter.f is first.filters["date_from"]
    assert getattr(EventFilterSet.base_filters["date_from"], "parent", None) is None


@pytest.mark.django_db
def test_filtersets_used_one_after_another_keep_their_own_values():
    early = EventFactory(start_date=datetime.date(2020, 1, 1))
    late = EventFactory(start_date=datetime.date(2024, 1, 1))

    before = EventFilterSet(data={"date_to": "2021-01-01"}, queryset=Event.objects.all())
    after = EventFilterSet(data={"date_from": "2023-01-01"}, queryset=Event.objects.all())

    assert list(after.qs) == [late]
    assert list(before.qs) == [early]
