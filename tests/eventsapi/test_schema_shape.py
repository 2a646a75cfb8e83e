"""The OpenAPI schema's shape (not its wording) is pinned by a committed fixture.

openapi_shape.json is the schema with its prose taken out: every `description` and `summary`,
the info `title`, and every `example`/`examples`. What stays is the shape an SDK is built from:
paths, operations and their ids, parameters, request bodies, response codes and content types,
headers, links, components, properties with their types, formats, enums, refs, required lists,
readOnly and nullable. Rewording a description leaves it unchanged; renaming a field, dropping a
response or changing a type does not.

A deliberate change of shape regenerates the fixture (and `make schema` the openapi.yaml):

    .venv/bin/python -m tests.eventsapi.test_schema_shape
"""

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).with_name("openapi_shape.json")
# Prose: removed wherever it occurs as a keyword (not as the name of a property, path, ...).
TEXT_KEYS = frozenset({"description", "summary"})
EXAMPLE_KEYS = frozenset({"example", "examples"})
# Mappings whose keys are names chosen by the API (a property called `description`, a link, a
# header), not OpenAPI keywords: their keys are kept whatever they are.
NAMED_MAPS = frozenset(
    {
        "properties",
        "schemas",
        "paths",
        "headers",
        "links",
        "responses",
        "content",
        "securitySchemes",
        "parameters",  # as a mapping: a link's parameters (an operation's are a list)
        "mapping",
        "variables",
    }
)


def shape(node, key: str | None = None):
    """The schema without its prose: a new structure, the argument untouched."""
    if isinstance(node, list):
        return [shape(item) for item in node]
    if not isinstance(node, dict):
        return node
    if key in NAMED_MAPS:
        return {name: shape(value) for name, value in node.items()}
    stripped = {}
    for name, value in node.items():
        if name in EXAMPLE_KEYS or (name in TEXT_KEYS and isinstance(value, str)):
            continue
        if key == "info" and name == "title":
            continue
        stripped[name] = shape(value, name)
    return stripped


def live_schema() -> dict:
    """The schema as `make schema` writes it (public reads declared), as plain JSON values."""
    from django.test import override_settings
    from drf_spectacular.generators import SchemaGenerator

    with override_settings(EVENTSAPI_PUBLIC_READ=True):
        schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(json.dumps(schema, default=str))


def write_fixture(schema: dict | None = None) -> Path:
    """Rewrite openapi_shape.json from the live schema (or the one given)."""
    data = shape(live_schema() if schema is None else schema)
    FIXTURE.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    return FIXTURE


def test_schema_shape_matches_the_committed_fixture(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        live = shape(live_schema())
    committed = json.loads(FIXTURE.read_text())

    assert live == committed, (
        "The OpenAPI schema changed shape, not only wording. If that is deliberate, regenerate "
        "the fixture with `.venv/bin/python -m tests.eventsapi.test_schema_shape` and `make schema`."
    )


def test_shape_keeps_names_that_look_like_prose_keywords():
    schema = {
        "info": {"title": "eventsapi", "version": "1"},
        "components": {
            "schemas": {
                "Event": {
                    "type": "object",
                    "description": "An event.",
                    "properties": {
                        "title": {"type": "string", "description": "A short headline."},
                        "summary": {"type": "string", "example": "Fighting."},
                    },
                    "required": ["title", "summary"],
                }
            }
        },
    }

    assert shape(schema) == {
        "info": {"version": "1"},
        "components": {
            "schemas": {
                "Event": {
                    "type": "object",
                    "properties": {"title": {"type": "string"}, "summary": {"type": "string"}},
                    "required": ["title", "summary"],
                }
            }
        },
    }


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eventsapi.settings")
    os.environ.pop("EVENTSAPI_PUBLIC_READ", None)
    django.setup()
    print(f"wrote {write_fixture()}")
