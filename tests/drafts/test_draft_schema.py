"""A draft as served matches its OpenAPI components (the proposals are kept as JSON, so the
schema's description of them is checked against real drafts, the seed article's included)."""

import copy
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from tests.drafts.test_api_drafts import commit, post_draft
from tests.test_fixture_panjshir import ARTICLE as SEED_ARTICLE

pytestmark = pytest.mark.django_db

SPEC = yaml.safe_load((Path(__file__).resolve().parents[2] / "openapi.yaml").read_text(encoding="utf-8"))


def _json_schema(node):
    """OpenAPI 3.0's ``nullable`` as JSON Schema's null type."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


def validator(component: str) -> Draft202012Validator:
    components = _json_schema(copy.deepcopy(SPEC["components"]))
    return Draft202012Validator({"$ref": f"#/components/schemas/{component}", "components": components})


def assert_valid(component: str, body: dict) -> None:
    errors = sorted(validator(component).iter_errors(body), key=lambda error: list(error.path))
    assert not errors, [f"{list(error.path)}: {error.message}" for error in errors[:5]]


def test_a_draft_and_its_commit_match_the_schema(editor_client):
    draft = post_draft(editor_client)
    assert draft["statements"]
    assert_valid("Draft", draft)
    assert_valid("DraftCommitResponse", commit(editor_client, draft).json())


def test_the_seed_articles_draft_matches_the_schema(editor_client):
    draft = post_draft(
        editor_client,
        url="https://www.kurdistan24.net/en/story/25297",
        text=SEED_ARTICLE.read_text(encoding="utf-8"),
        published_at="2021-09-06",
        publisher="Kurdistan 24",
    )
    assert any(statement["post_source"] for statement in draft["statements"] if "post_source" in statement)
    assert_valid("Draft", draft)
