"""factory_boy factories for every model."""

import datetime

import factory

from claims.models import Source, SourceKind, Stance, Statement, StatementEvent
from events.models import (
    Actor,
    ActorKind,
    Affiliation,
    Event,
    EventType,
    Participant,
    ParticipantRole,
    Place,
    PlaceKind,
)


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    name = factory.Sequence(lambda n: f"Place {n}")
    kind = PlaceKind.LOCALITY
    country_code = "AF"
    latitude = 35.3
    longitude = 69.8


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor

    name = factory.Sequence(lambda n: f"Actor {n}")
    kind = ActorKind.PERSON


class OrganizationFactory(ActorFactory):
    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = ActorKind.ORGANIZATION


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affiliation

    actor = factory.SubFactory(ActorFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = "spokesperson"


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Event {n}")
    event_type = EventType.BATTLE
    start_date = datetime.date(2021, 9, 6)
    place = factory.SubFactory(PlaceFactory)


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    event = factory.SubFactory(EventFactory)
    actor = factory.SubFactory(ActorFactory)
    role = ParticipantRole.INITIATOR


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    url = factory.Sequence(lambda n: f"https://news.example.org/story/{n}")
    kind = SourceKind.ARTICLE
    title = factory.Sequence(lambda n: f"Story {n}")
    language = "en"


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement

    text = factory.Sequence(lambda n: f"Statement number {n}.")
    language = "en"
    speaker = factory.SubFactory(ActorFactory)
    stated_on = datetime.date(2021, 9, 6)


class StanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatementEvent

    statement = factory.SubFactory(StatementFactory)
    event = factory.SubFactory(EventFactory)
    stance = Stance.SUPPORTS
