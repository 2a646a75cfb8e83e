"""The OpenAPI schema and its offline documentation pages."""

import json
import re
from pathlib import Path

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


# -- SDK-grade schema ------------------------------------------------------------------------------

PROJECT_DIR = Path(__file__).resolve().parents[2]
COMMITTED_SCHEMA = PROJECT_DIR / "openapi.yaml"
METHODS = ("get", "post", "put", "patch", "delete")
PROBLEM_REF = "#/components/schemas/Problem"


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker) -> dict:
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema: dict):
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def test_committed_openapi_yaml_is_current(tmp_path, settings):
    """openapi.yaml at the repository root is what `make schema` generates now."""
    settings.EVENTSAPI_PUBLIC_READ = True
    generated = tmp_path / "openapi.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(generated))

    assert COMMITTED_SCHEMA.exists(), "openapi.yaml is missing: run `make schema`"
    assert COMMITTED_SCHEMA.read_text() == generated.read_text(), (
        "openapi.yaml is out of date: run `make schema` and commit it"
    )


def test_operation_ids_are_unique_and_readable(schema):
    ids = [operation["operationId"] for _, _, operation in _operations(schema)]

    assert len(ids) == len(set(ids))
    assert [name for name in ids if not re.fullmatch(r"[a-z]+(_[a-z]+)*", name)] == []
    assert {"events_timeline", "actors_merge", "events_history", "statements_claimreview"} <= set(ids)


def test_every_operation_parameter_and_field_is_described(schema):
    missing = []
    for path, method, operation in _operations(schema):
        if not operation.get("summary") or not operation.get("description"):
            missing.append(f"{method.upper()} {path}")
        missing += [
            f"{method.upper()} {path} parameter {parameter['name']}"
            for parameter in operation.get("parameters", [])
            if not parameter.get("description")
        ]
        missing += [
            f"{method.upper()} {path} response {code}"
            for code, response in operation["responses"].items()
            if not response.get("description")
        ]
    for name, component in schema["components"]["schemas"].items():
        if not component.get("description"):
            missing.append(f"component {name}")
        missing += [
            f"{name}.{field}"
            for field, prop in component.get("properties", {}).items()
            if not prop.get("description")
        ]

    assert missing == []


def test_requests_and_responses_are_separate_components(schema):
    components = schema["components"]["schemas"]

    for resource in ("Place", "Actor", "Event", "Source", "Statement"):
        assert {resource, f"{resource}Request", f"Patched{resource}Request"} <= set(components)
        assert "id" not in components[f"{resource}Request"]["properties"]
    assert not [name for name in components if name.endswith("RequestRequest")]


def _error_codes(operation: dict) -> set[str]:
    codes = set()
    for code, response in operation["responses"].items():
        content = response.get("content", {})
        if int(code) >= 400:
            assert list(content) == ["application/problem+json"], code
            assert content["application/problem+json"]["schema"]["$ref"] == PROBLEM_REF
            codes.add(code)
    return codes


@pytest.mark.parametrize("resource", RESOURCE_PATHS)
def test_every_error_an_operation_can_return_is_a_problem_document(schema, resource):
    collection = schema["paths"][f"/api/v1/{resource}/"]
    detail = schema["paths"][f"/api/v1/{resource}/{{id}}/"]

    assert _error_codes(collection["get"]) >= {"400", "401", "429"}
    assert _error_codes(collection["post"]) >= {"400", "401", "403", "409", "415", "422", "429"}
    assert _error_codes(detail["get"]) >= {"400", "401", "404", "410", "429"}
    for method in ("put", "patch", "delete"):
        assert _error_codes(detail[method]) >= {"401", "403", "404", "409", "410", "412", "428", "429"}
    assert "304" in detail["get"]["responses"]


def test_merged_actors_redirect_is_declared(schema):
    response = schema["paths"]["/api/v1/actors/{id}/"]["get"]["responses"]["308"]

    assert response["headers"]["Location"]["required"] is True


def test_etag_location_if_match_and_idempotency_key_are_declared(schema):
    events, event = schema["paths"]["/api/v1/events/"], schema["paths"]["/api/v1/events/{id}/"]

    created = events["post"]["responses"]["201"]["headers"]
    assert created["ETag"]["required"]
    assert created["Location"]["required"]
    assert "Idempotent-Replayed" in created
    assert "ETag" in event["get"]["responses"]["200"]["headers"]
    assert "ETag" in event["patch"]["responses"]["200"]["headers"]

    def headers(operation):
        return {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}

    assert "Idempotency-Key" in headers(events["post"])
    assert "If-None-Match" in headers(event["get"])
    for method in ("put", "patch", "delete"):
        assert "If-Match" in headers(event[method])


def test_security_schemes_for_token_and_session_auth(schema):
    schemes = schema["components"]["securitySchemes"]

    assert schemes["tokenAuth"] == {**schemes["tokenAuth"], "type": "apiKey", "in": "header"}
    assert schemes["cookieAuth"]["in"] == "cookie"
    assert all(scheme.get("description") for scheme in schemes.values())
    # Reading is public by default: anonymous access is declared beside the schemes.
    assert {} in schema["paths"]["/api/v1/events/"]["get"]["security"]
    assert {} not in schema["paths"]["/api/v1/events/"]["post"]["security"]


@pytest.mark.parametrize("resource", RESOURCE_PATHS)
def test_create_responses_link_to_detail_and_history(schema, resource):
    links = schema["paths"][f"/api/v1/{resource}/"]["post"]["responses"]["201"]["links"]
    targets = {link["operationId"] for link in links.values()}

    assert {f"{resource}_retrieve", f"{resource}_history"} <= targets
    if resource in ("events", "statements", "sources"):
        assert f"{resource}_reviews_list" in targets
    operation_ids = {operation["operationId"] for _, _, operation in _operations(schema)}
    for link in links.values():
        assert link["operationId"] in operation_ids
        assert link["parameters"]["id"] == "$response.body#/id"


@pytest.mark.parametrize(
    "path",
    ["/api/v1/events/", "/api/v1/statements/", "/api/v1/sources/", "/api/v1/places/", "/api/v1/actors/"],
)
def test_main_operations_have_examples(schema, path):
    body = schema["paths"][path]["post"]["requestBody"]["content"]["application/json"]

    assert body["examples"]
