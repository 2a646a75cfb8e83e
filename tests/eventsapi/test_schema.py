"""The OpenAPI schema and its offline documentation pages."""

import json
import re

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db

RESOURCE_PATHS = ["places", "actors", "events", "sources", "statements"]
ASSET = re.compile(r"""(?:src|href)=["']([^"']+)["']""")


def test_spectacular_validates_the_schema_without_warnings(tmp_path):
    schema_file = tmp_path / "openapi.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(schema_file))

    assert yaml.safe_load(schema_file.read_text())["openapi"].startswith("3.")


def test_schema_is_served_as_yaml_listing_every_resource(client):
    response = client.get("/api/schema/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    schema = yaml.safe_load(response.content)
    for resource in RESOURCE_PATHS:
        assert f"/api/v1/{resource}/" in schema["paths"]
        assert f"/api/v1/{resource}/{{id}}/" in schema["paths"]


def test_schema_is_served_as_json_on_request(client):
    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert json.loads(response.content)["info"]["title"] == "eventsapi"


def test_schema_documents_errors_as_problem_documents(client):
    schema = yaml.safe_load(client.get("/api/schema/").content)

    create = schema["paths"]["/api/v1/events/"]["post"]["responses"]
    for status in ("400", "401", "403"):
        assert list(create[status]["content"]) == ["application/problem+json"], status
    retrieve = schema["paths"]["/api/v1/events/{id}/"]["get"]["responses"]
    assert list(retrieve["404"]["content"]) == ["application/problem+json"]


def test_schema_names_every_enum_after_its_meaning(client):
    schema = yaml.safe_load(client.get("/api/schema/").content)

    components = schema["components"]["schemas"]
    enums = {name for name, component in components.items() if "enum" in component}
    named = {"VerificationStatusEnum", "StanceEnum", "EventTypeEnum", "PlaceKindEnum", "SourceKindEnum"}
    assert named <= enums
    # drf-spectacular falls back to names like Kind5eaEnum when two enums collide.
    assert not [name for name in enums if re.search(r"[0-9a-f]{3}Enum$", name)]


def test_schema_takes_ids_on_write_and_gives_brief_objects_on_read(client):
    components = yaml.safe_load(client.get("/api/schema/").content)["components"]["schemas"]

    assert components["EventRequest"]["properties"]["place"]["format"] == "uuid"
    assert components["Event"]["properties"]["place"]["allOf"][0]["$ref"].endswith("/PlaceBrief")


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_documentation_page_loads_only_local_static_files(client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assets = ASSET.findall(page)
    assert assets
    assert not re.search(r"https?://", page)
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert client.get(asset).status_code == 200, asset
