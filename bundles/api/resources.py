"""What a bundle can write: each resource's model, its endpoint's serializer, and its keys."""

from dataclasses import dataclass

from django.db.models import Model
from rest_framework.serializers import Serializer

from claims.api.serializers import SourceSerializer, StatementSerializer
from claims.models import Source, Statement
from events.api.serializers import ActorSerializer, EventSerializer, PlaceSerializer
from events.models import Actor, Event, Place


@dataclass(frozen=True)
class BundleResource:
    name: str
    model: type[Model]
    serializer: type[Serializer]
    # The sets of fields a `match` may name; `parent` (places) is optional.
    match_keys: tuple[frozenset[str], ...]
    reviewable: bool

    @property
    def detail_view(self) -> str:
        return f"{self.model._meta.model_name}-detail"

    @property
    def verbose_name(self) -> str:
        return str(self.model._meta.verbose_name)


EXTERNAL_ID_KEY = frozenset({"external_id"})

RESOURCES: dict[str, BundleResource] = {
    resource.name: resource
    for resource in (
        BundleResource(
            "places",
            Place,
            PlaceSerializer,
            (EXTERNAL_ID_KEY, frozenset({"name", "kind"}), frozenset({"name", "kind", "parent"})),
            reviewable=False,
        ),
        BundleResource(
            "actors",
            Actor,
            ActorSerializer,
            (EXTERNAL_ID_KEY, frozenset({"name", "kind"})),
            reviewable=False,
        ),
        BundleResource("events", Event, EventSerializer, (EXTERNAL_ID_KEY,), reviewable=True),
        BundleResource("sources", Source, SourceSerializer, (frozenset({"url"}),), reviewable=True),
        BundleResource(
            "statements",
            Statement,
            StatementSerializer,
            (frozenset({"speaker", "text", "stated_on"}),),
            reviewable=True,
        ),
    )
}
RESOURCE_BY_MODEL = {resource.model: resource for resource in RESOURCES.values()}
