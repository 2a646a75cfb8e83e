"""bench/bundles.py's pure parts: the bundles it posts, and its report."""

from collections import Counter
from pathlib import Path

from bench.bundles import (
    BUNDLE_PATH,
    OPERATIONS,
    BundleSample,
    expected_statuses,
    local_references,
    make_bundle,
    operation_shape,
    profile_summary,
    sql_summary,
    story,
    summarize,
    write_report,
)
from bundles.api.operations import parse_bundle

DEFINES = ("create", "upsert")
NAMED = ("name", "title", "url", "text", "external_id")


def names_in(value) -> list[str]:
    """Every name, title, url, text and external id in ``value``, nested ones included."""
    if isinstance(value, dict):
        found = [item for key, item in value.items() if key in NAMED and isinstance(item, str)]
        return found + [name for item in value.values() for name in names_in(item)]
    if isinstance(value, list):
        return [name for item in value for name in names_in(item)]
    return []


def test_a_bundle_has_200_operations_of_every_kind():
    bundle = make_bundle("run", 0)

    assert len(bundle["operations"]) == OPERATIONS == 200
    assert len(story("tag", "p.")) == 40
    assert {operation["op"] for operation in bundle["operations"]} == {
        "create",
        "upsert",
        "update",
        "delete",
        "review",
    }
    shape = operation_shape(bundle)
    assert shape["upsert sources"] == 25
    assert shape["create statements"] == 55
    assert shape["review statements"] == 10
    assert expected_statuses(bundle) == Counter(created=165, updated=15, reviewed=15, deleted=5)


def test_every_lid_is_defined_once_before_it_is_used():
    defined: set[str] = set()
    for index, operation in enumerate(make_bundle("run", 0)["operations"]):
        used = local_references(operation.get("data")) + local_references(operation.get("match"))
        if operation["op"] not in DEFINES:
            used.append(operation["lid"])  # the target of an update, delete or review
        assert set(used) <= defined, (index, set(used) - defined)
        if operation["op"] in DEFINES:
            assert operation["lid"] not in defined, index
            defined.add(operation["lid"])


def test_names_urls_and_ids_are_new_in_every_bundle():
    bundles = [make_bundle("run", number) for number in range(3)] + [make_bundle("other-run", 0)]
    per_bundle = [names_in(bundle["operations"]) for bundle in bundles]
    # Within a bundle only the upsert that finds the story's own organisation repeats a name.
    for names in per_bundle:
        assert len(names) > 150
    seen = [set(names) for names in per_bundle]
    for index, names in enumerate(seen):
        for other in seen[index + 1 :]:
            assert not names & other


def test_a_shorter_bundle_is_still_valid():
    bundle = make_bundle("run", 0, operations=57)

    assert len(parse_bundle(bundle, max_operations=1000).operations) == 57


def test_a_bundle_posted_as_a_superuser_creates_everything(api_client, superuser):
    api_client.force_authenticate(superuser)
    bundle = make_bundle("test", 0)

    response = api_client.post(BUNDLE_PATH, bundle, format="json")

    assert response.status_code == 201, response.content[:2000]
    results = response.json()["results"]
    assert len(results) == 200
    assert Counter(result["status"] for result in results) == expected_statuses(bundle)


def test_the_report_has_a_row_per_database(tmp_path: Path):
    samples = [BundleSample(float(ms), 201) for ms in range(100, 1100, 100)]
    samples.append(BundleSample(5000.0, 400, error="bad"))
    facts = {"version": "SQLite 3.40", "events": 0}
    run = summarize(
        "SQLite", facts, samples, wall_s=10.0, client_cpu_s=0.5, server_ms=[90.0], operations=200, warmup=3
    )

    assert (run.p50_ms, run.p95_ms, run.max_ms, run.failed) == (600.0, 5000.0, 5000.0, 1)
    assert run.ops_per_s == 200 * 10 / 10.0
    assert not run.meets_target
    text = write_report(tmp_path / "BUNDLES.md", [run], {"cores": 2}, Counter({"create actors": 200}))
    assert "| SQLite (SQLite 3.40) | 0 | 11 x 200 ops | 600 | 5,000 | 5,000 | 200 |" in text
    assert "**no**" in text
    assert "- `400: bad`" in text


def test_the_profile_names_the_costliest_operation_kind():
    profile = {
        "total_ms": 1000.0,
        "ops": {
            "upsert events": {"operations": 5, "queries": 100, "sql_ms": 700.0, "ms": 800.0},
            "create actors": {"operations": 195, "queries": 3900, "sql_ms": 50.0, "ms": 195.0},
            "after the operations": {"operations": 0, "queries": 0, "sql_ms": 0.0, "ms": 5.0},
        },
    }

    lines = profile_summary(profile, 200)

    assert lines[0] == (
        "- Costliest: **upsert events**, 5 operations taking 800 ms (80% of the bundle), 700 ms of it in SQL."
    )
    assert lines[1] == (
        "- The other 195 operations: 1.0 ms and 20.0 queries each on average (26% of it in SQL)."
    )
    assert lines[2].endswith("leaves 5.0 ms per operation.")


def test_a_select_list_is_elided_from_the_sql_shown():
    sql = 'SELECT "t"."id", "t"."name"\n  FROM "t" WHERE "t"."id" = %s'

    assert sql_summary(sql) == 'SELECT … FROM "t" WHERE "t"."id" = %s'
