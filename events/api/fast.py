"""The event, place and actor lists' fast path: their serializers compiled
(eventsapi.api.representation), with the grouped reads of their many-valued fields.

Each read keeps what the serializer's prefetch would select and its order.
"""

from events.api.serializers import ActorSerializer, EventSerializer, PlaceSerializer
from events.models import Affiliation, Participant
from eventsapi.api.representation import TupleRead, compile_list

PARTICIPANTS = TupleRead(Participant.objects.order_by("id"), key="event_id")
AFFILIATIONS = TupleRead(Affiliation.objects.order_by(*Affiliation._meta.ordering), key="actor_id")

event_representations = compile_list(EventSerializer, reads={"participants": PARTICIPANTS})
place_representations = compile_list(PlaceSerializer)
actor_representations = compile_list(ActorSerializer, reads={"affiliations": AFFILIATIONS})
