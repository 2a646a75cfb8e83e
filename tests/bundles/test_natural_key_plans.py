"""On PostgreSQL an external-id match reads the GIN index over external_ids (events 0012), and a
name match the case-insensitive indexes (events 0018)."""

import pytest
from django.db import connection

from bundles.natural_keys import with_external_id_exactly
from events.models import Actor, Event, Place

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN indexes are PostgreSQL's"),
]


@pytest.mark.parametrize(
    ("model", "index"),
    [(Event, "event_external_ids_gin"), (Actor, "actor_external_ids_gin"), (Place, "place_external_ids_gin")],
)
def test_an_external_id_match_uses_the_gin_index(model, index):
    queryset = with_external_id_exactly(model.all_objects.order_by(), scheme="acled", value="AFG1")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table: ask whether the index serves
        plan = queryset.explain()
    assert index in plan, plan


@pytest.mark.parametrize(
    ("key", "index"),
    [
        ({"name": "Omar Haidari", "kind": "person"}, "actor_name_ci_kind_idx"),
        ({"name": "Stone Valley", "kind": "feature", "parent": None}, "place_name_ci_kind_idx"),
    ],
)
def test_a_name_match_uses_the_case_insensitive_index(key, index):
    from bundles.natural_keys import _alive, _by_name

    model = Actor if index.startswith("actor") else Place
    queryset = _by_name(_alive(model), key["name"]).filter(**{k: v for k, v in key.items() if k != "name"})
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.order_by("created_at", "id").explain()
    assert index in plan, plan
