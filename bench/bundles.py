"""Bundles: how long a 200-operation story takes to commit through ``POST /api/v1/bundles/``.

    .venv/bin/python -m bench.bundles [--database-url URL ...] [--rounds 30] [--warmup 3]

Each bundle is the Panjshir story (fixtures/panjshir.json) told again with new names: five
copies of a 40-operation story, each copy with names, urls and external ids of its own, so
nothing in the database matches and every bundle writes new records. A story has places
(a country upserted by external id, its province, a locality, and a draft place deleted at
the end), actors (organisations upserted by name and kind, people with affiliations),
events with participants (one upserted by an ACLED id), sources upserted by url (one citing
the others), statements with sources and stances on the events (one upserted by speaker,
text and day), reviews of a source and two statements, two updates and an upsert that finds
the organisation the story created earlier. Every reference between them is a local id.

For each database (``--database-url``, repeatable; default the 1M-event PostgreSQL database
of bench/run.py and ``sqlite``, a fresh migrated SQLite file) it starts a production-like
gunicorn (``tests.live_server.live_api``: DEBUG off, gunicorn.conf.py) and posts the bundles
one after the other on one connection from this process, after ``--warmup`` that are not
counted. The PostgreSQL database is created and seeded as bench/run.py does when it has no
events. Per bundle: the latency at the client (request sent to last byte), and the server's
own duration from gunicorn's access log; operations per second are operations / the measured
wall time. Then one more bundle goes through Django's test client in a separate process with
every SQL query counted and timed per operation type (``profile_bundle``).

Results: bench/BUNDLES.md and bench/results/bundles/bundles.json (not bench/results/*.json,
which bench/run.py reads as its own runs). What the bundles write stays in the PostgreSQL
database: a default run (35 bundles with the profile's two) adds about 1,400 actors, 700
events, 700 places, 875 sources and 2,100 statements, all named "... <run id>", none sorting
before the seeded names that bench/run.py picks its parameters from.
"""

import argparse
import datetime
import http.client
import json
import multiprocessing
import os
import platform
import re
import sqlite3
import time
import uuid
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench.run import DEFAULT_DATABASE_URL, ensure_database, percentile
from bench.sqlite_writers import cpu_busy, scratch_folder, server_write_latencies

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "bench" / "BUNDLES.md"
RESULTS_JSON = ROOT / "bench" / "results" / "bundles" / "bundles.json"
SQLITE = "sqlite"
BUNDLE_PATH = "/api/v1/bundles/"
OPERATIONS = 200
STORY_OPERATIONS = 40
TARGET_P95_MS = 1000.0
BENCH_USERNAME = "bench-bundles"
CLIENT_TIMEOUT = 300
# Throttling is not what is measured.
SERVER_ENV = {"EVENTSAPI_THROTTLE_ANON": "1000000/minute", "EVENTSAPI_THROTTLE_USER": "1000000/minute"}


# The bundle (pure) ---------------------------------------------------------------------------


# (lid, url path, kind, title, published_at, publisher lid or None, extra data)
SOURCES = [
    ("src_nrf", "twitter.com/nrfafg/status", "social_post", "NRF: claim of occupying Panjshir is false",
     "2021-09-06T07:12:43Z", "nrf", {"author": "@nrfafg"}),
    ("src_nazary", "twitter.com/alinazary/status", "social_post", "Ali Maisam Nazary: my leader is safe",
     "2021-09-06T09:41:05Z", "nazary", {"author": "@alinazary"}),
    ("src_video", "twitter.com/search/panjshir-governor-office", "video",
     "Clips of Taliban fighters in front of the governor's office", "2021-09-06T06:00:00Z", None, {}),
    ("src_interview", "www.kurdistan24.net/en/story/nrf-spokesperson-interview", "article",
     "Kurdistan 24 interview with NRF spokesperson Fahim Dashty", "2021-08-28T12:00:00Z", "k24", {}),
    ("src_article", "www.kurdistan24.net/en/story/conflicting-claims-panjshir", "article",
     "Conflicting claims on the fall of Panjshir Valley arise again", "2021-09-06T12:00:00Z", "k24",
     {"cites": ["src_nrf", "src_nazary", "src_video", "src_interview"]}),
]  # fmt: skip
# (lid, speaker lid, text, source lids, [(event lid, stance)], stated_on, is_direct_quote);
# st_victory is upserted by its natural key (speaker, text, stated_on), the others created.
STATEMENTS = [
    ("st_conflicting", "k24", "Conflicting claims on the fall of the valley arose again.",
     ["src_article"], [("offensive", "supports"), ("fall", "neutral")], "2021-09-06", False),
    ("st_victory", "mujahid", "The Taliban announced the victory of completely controlling the valley.",
     ["src_article", "src_video"], [("fall", "supports"), ("offensive", "supports")], "2021-09-06", False),
    ("st_denial", "nrf", "The NRF denied the claims, saying it still holds strategic positions.",
     ["src_article"], [("fall", "refutes")], "2021-09-06", False),
    ("st_false", "nrf", "The Taliban's claim of occupying Panjshir is false.",
     ["src_nrf", "src_article"], [("fall", "refutes"), ("offensive", "supports")], "2021-09-06", True),
    ("st_struggle", "nrf", "The struggle against the Taliban will continue until justice prevails.",
     ["src_article"], [("fall", "neutral")], "2021-09-06", True),
    ("st_footage", "k24", "Video clips show the Taliban in front of the governor's office.",
     ["src_article", "src_video"], [("fall", "supports")], "2021-09-06", False),
    ("st_unverified", "k24", "Kurdistan 24 could not independently verify the footage.",
     ["src_article", "src_video"], [("fall", "neutral")], "2021-09-06", True),
    ("st_killed", "nrf", "The NRF announced that its spokesperson Fahim Dashty was killed.",
     ["src_article"], [("killing", "supports"), ("offensive", "supports")], "2021-09-05", False),
    ("st_government", "k24", "The Taliban has not announced the formation of its government yet.",
     ["src_article"], [("government", "supports"), ("offensive", "supports")], "2021-09-06", False),
    ("st_safe", "nazary", "Ahmad Massoud is safe and will very soon address the Afghan people.",
     ["src_article"], [("fall", "neutral")], "2021-09-06", False),
    ("st_message", "nazary", "My leader and brother is safe and will be giving a message very soon!",
     ["src_article", "src_nazary"], [("fall", "neutral")], "2021-09-06", True),
    ("st_peace", "dashty", "The only way to lasting peace is through constructive talks.",
     ["src_interview"], [("offensive", "neutral")], "2021-08-28", True),
]  # fmt: skip
UPSERTED_STATEMENT = "st_victory"
# (lid, name, organisation lid, role, extra data)
PEOPLE = [
    ("mujahid", "Zabihullah Mujahid", "taliban", "spokesperson", {"aliases": ["Zabihullah Mojaheed"]}),
    ("massoud", "Ahmad Massoud", "nrf", "leader", {}),
    ("shah_massoud", "Ahmad Shah Massoud", None, "", {"aliases": ["Lion of Panjshir"]}),
    ("nazary", "Ali Maisam Nazary", "nrf", "head of foreign relations", {}),
    ("dashty", "Fahim Dashty", "nrf", "spokesperson", {}),
]


def story(tag: str, prefix: str) -> list[dict]:
    """The Panjshir story as 40 operations; ``tag`` makes every name, url and external id new,
    ``prefix`` every local id (unique within the bundle)."""

    def ref(name: str) -> dict:
        return {"lid": prefix + name}

    def create(resource: str, name: str, data: dict) -> dict:
        return {"op": "create", "resource": resource, "lid": prefix + name, "data": data}

    def upsert(resource: str, name: str, match: dict, data: dict) -> dict:
        return {"op": "upsert", "resource": resource, "lid": prefix + name, "match": match, "data": data}

    def on(op: str, resource: str, name: str, data: dict | None = None) -> dict:
        """An update, review or delete of the record an earlier operation named ``name``."""
        return {"op": op, "resource": resource, "lid": prefix + name, **({"data": data} if data else {})}

    places = [
        upsert(
            "places",
            "country",
            {"external_id": f"geonames:bench-{tag}"},
            {
                "name": f"Afghanistan {tag}",
                "kind": "country",
                "country_code": "AF",
                "latitude": 33.0,
                "longitude": 65.0,
                "alternate_names": ["Islamic Republic of Afghanistan"],
            },
        ),
        create(
            "places",
            "province",
            {
                "name": f"Panjshir Province {tag}",
                "kind": "admin1",
                "country_code": "AF",
                "parent": ref("country"),
                "latitude": 35.3,
                "longitude": 69.8,
                "alternate_names": ["Panjshir", "Panjsher", "Panjshir Valley"],
            },
        ),
        create(
            "places",
            "erbil",
            {
                "name": f"Erbil {tag}",
                "kind": "locality",
                "country_code": "IQ",
                "latitude": 36.19,
                "longitude": 44.01,
            },
        ),
        # A draft, deleted at the end of the story.
        create("places", "draft", {"name": f"Bazarak {tag}", "kind": "locality", "parent": ref("province")}),
    ]
    actors = [
        upsert(
            "actors",
            "taliban",
            {"name": f"Taliban {tag}", "kind": "organization"},
            {"aliases": ["Taleban"], "description": "Afghan Islamist movement.", "country_code": "AF"},
        ),
        upsert(
            "actors",
            "nrf",
            {"name": f"National Resistance Front of Afghanistan {tag}", "kind": "organization"},
            {"aliases": ["NRF"], "description": "Armed front in the Panjshir Valley.", "country_code": "AF"},
        ),
        create(
            "actors", "k24", {"name": f"Kurdistan 24 {tag}", "kind": "organization", "country_code": "IQ"}
        ),
    ]
    for name, full_name, organization, role, extra in PEOPLE:
        data = {"name": f"{full_name} {tag}", "kind": "person", "country_code": "AF", **extra}
        if organization:
            data["affiliations"] = [{"organization": ref(organization), "role": role}]
        actors.append(create("actors", name, data))

    def participants(*pairs) -> list[dict]:
        return [{"actor": ref(actor), "role": role} for actor, role in pairs]

    events = [
        create(
            "events",
            "offensive",
            {
                "title": f"Taliban offensive on the Panjshir Valley ({tag})",
                "summary": "Weeks of Taliban-launched offensives on the Panjshir Valley.",
                "event_type": "battle",
                "start_date": "2021-08-23",
                "end_date": "2021-09-06",
                "date_precision": "week",
                "place": ref("province"),
                "participants": participants(("taliban", "initiator"), ("nrf", "target")),
            },
        ),
        upsert(
            "events",
            "fall",
            {"external_id": f"acled:BENCH-{tag}"},
            {
                "title": f"Claimed fall of the Panjshir Valley to the Taliban ({tag})",
                "summary": "The Taliban claimed control of the valley; the NRF denied it.",
                "event_type": "strategic_development",
                "start_date": "2021-09-06",
                "place": ref("province"),
                "participants": participants(("taliban", "initiator"), ("nrf", "target")),
            },
        ),
        create(
            "events",
            "killing",
            {
                "title": f"Killing of NRF spokesperson Fahim Dashty ({tag})",
                "event_type": "battle",
                "start_date": "2021-09-05",
                "place": ref("province"),
                "participants": participants(("dashty", "affected"), ("taliban", "other")),
            },
        ),
        create(
            "events",
            "government",
            {
                "title": f"Taliban yet to announce the formation of its government ({tag})",
                "event_type": "political",
                "start_date": "2021-09-06",
                "place": ref("country"),
                "participants": participants(("taliban", "initiator")),
            },
        ),
    ]
    sources = []
    for name, path, kind, title, published_at, publisher, extra in SOURCES:
        data = {"kind": kind, "title": f"{title} ({tag})", "published_at": published_at, "language": "en"}
        if publisher:
            data["publisher"] = ref(publisher)
        if "author" in extra:
            data["author"] = extra["author"]
        if "cites" in extra:
            data["cites"] = [ref(cited) for cited in extra["cites"]]
        sources.append(upsert("sources", name, {"url": f"https://{path}/bench-{tag}"}, data))
    statements = []
    for name, speaker, text, source_names, about, stated_on, direct in STATEMENTS:
        key = {"speaker": ref(speaker), "text": f"{text} [{tag}]", "stated_on": stated_on}
        data = {
            "language": "en",
            "is_direct_quote": direct,
            "sources": [ref(source) for source in source_names],
            "about": [{"event": ref(event), "stance": stance} for event, stance in about],
        }
        if name == UPSERTED_STATEMENT:
            statements.append(upsert("statements", name, key, data))
        else:
            statements.append(create("statements", name, {**key, **data}))
    reviews = [
        on(
            "review",
            "sources",
            "src_video",
            {
                "verdict": "unverifiable",
                "rationale": "Kurdistan 24 could not independently verify the footage.",
                "evidence": [ref("src_article")],
            },
        ),
        on(
            "review",
            "statements",
            "st_victory",
            {
                "verdict": "in_review",
                "rationale": "Disputed by the NRF.",
                "evidence": [ref("src_article"), ref("src_nrf")],
            },
        ),
        on("review", "statements", "st_denial", {"verdict": "in_review", "rationale": "Not confirmed."}),
    ]
    corrections = [
        on(
            "update",
            "events",
            "fall",
            {"summary": "The Taliban claimed the valley on 2021-09-06; the NRF denied it."},
        ),
        on("update", "actors", "massoud", {"description": "Leader of the National Resistance Front."}),
        # The organisation created above, found again by name and kind (case and spaces differ).
        upsert(
            "actors",
            "k24_again",
            {"name": f"  KURDISTAN 24  {tag.upper()}", "kind": "organization"},
            {"aliases": ["Kurdistan24", "K24"]},
        ),
        on("delete", "places", "draft"),
    ]
    return places + actors + events + sources + statements + reviews + corrections


def make_bundle(run_id: str, number: int, operations: int = OPERATIONS) -> dict:
    """Bundle ``number`` of run ``run_id``: stories with names of their own, ``operations`` long.

    Operations refer only to earlier ones, so cutting the last story short keeps it valid."""
    ops: list[dict] = []
    copy = 0
    while len(ops) < operations:
        ops += story(f"{run_id}-{number}-{copy}", prefix=f"s{copy}.")
        copy += 1
    return {"operations": ops[:operations]}


def local_references(value) -> list[str]:
    """Every ``{"lid": ...}`` reference inside ``value`` (an operation's data or match)."""
    if isinstance(value, dict):
        if set(value) == {"lid"}:
            return [value["lid"]]
        return [found for item in value.values() for found in local_references(item)]
    if isinstance(value, list):
        return [found for item in value for found in local_references(item)]
    return []


def expected_statuses(bundle: dict) -> Counter:
    """What the results of a bundle that matches nothing in the database say, op by op."""
    statuses = Counter()
    for operation in bundle["operations"]:
        op = operation["op"]
        if op == "upsert" and operation["lid"].endswith("_again"):
            statuses["updated"] += 1
        elif op in ("create", "upsert"):
            statuses["created"] += 1
        else:
            statuses[{"update": "updated", "delete": "deleted", "review": "reviewed"}[op]] += 1
    return statuses


# Preparing a database (in a process of its own: Django is set up once per process) ------------


def _django(database_url: str, folder: Path) -> None:
    from tests.live_server import SECRET_KEY

    os.environ.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": SECRET_KEY,
            "EVENTSAPI_VAR_DIR": str(folder),
            "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
            "LOG_LEVEL": "WARNING",
            **SERVER_ENV,
        }
    )
    from bench.run import django_setup

    django_setup(database_url)


def bench_user():
    """The user that posts the bundles: an editor and a verifier (bundles hold reviews)."""
    from django.contrib.auth.models import Group, User

    from eventsapi.api.permissions import EDITORS_GROUP, VERIFIERS_GROUP

    user, _ = User.objects.get_or_create(username=BENCH_USERNAME)
    for name in (EDITORS_GROUP, VERIFIERS_GROUP):
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


def prepare_database(database_url: str, folder: str, events: int, seed: int) -> dict:
    """Migrate (PostgreSQL: and seed when empty, as bench/run.py does); a token and the facts."""
    _django(database_url, Path(folder))
    from django.core.management import call_command
    from django.db import connection
    from knox.models import AuthToken

    from bench.run import ensure_seeded
    from events.models import Event

    migrated_in = seeded_in = None
    if connection.vendor == "postgresql":
        migrated_in, seeded_in = ensure_seeded(events, seed)
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = f"PostgreSQL {cursor.fetchone()[0]}"
    else:
        started = time.monotonic()
        call_command("migrate", verbosity=0)
        migrated_in = time.monotonic() - started
        version = f"SQLite {sqlite3.sqlite_version}"
    token = AuthToken.objects.create(user=bench_user(), expiry=datetime.timedelta(hours=2))[1]
    return {
        "token": token,
        "events": Event.all_objects.count(),
        "version": version,
        "migrated_in": migrated_in,
        "seeded_in": seeded_in,
    }


def in_another_process(function, *args):
    # spawn: a fresh interpreter, so each database gets a Django of its own.
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(function, args)


# Posting the bundles --------------------------------------------------------------------------


@dataclass
class BundleSample:
    latency_ms: float
    status: int
    statuses: dict[str, int] = field(default_factory=dict)
    error: str = ""  # empty: answered 201 with the results expected

    @property
    def ok(self) -> bool:
        return not self.error


def post_bundles(port: int, token: str, bodies: list[bytes], expected: Counter) -> list[BundleSample]:
    """POST each body in turn on one connection (reopened when the server closes it); each
    answer is checked: 201, and the results' statuses are ``expected``."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=CLIENT_TIMEOUT)
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "Authorization": f"Token {token}",
    }
    samples = []
    for body in bodies:
        started = time.perf_counter()
        connection.request("POST", BUNDLE_PATH, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        latency = (time.perf_counter() - started) * 1000
        sample = BundleSample(latency, response.status)
        if response.status == 201:
            sample.statuses = dict(Counter(result["status"] for result in json.loads(content)["results"]))
            if sample.statuses != dict(expected):
                sample.error = f"results {sample.statuses}, expected {dict(expected)}"
        else:
            sample.error = content[:2000].decode(errors="replace") or "(empty body)"
        samples.append(sample)
    connection.close()
    return samples


@dataclass
class DatabaseRun:
    database: str
    version: str
    events: int
    operations: int
    bundles: int
    warmup: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    mean_ms: float
    wall_s: float
    ops_per_s: float
    client_cpu_share: float  # of one core, over the measured wall time
    server_p50_ms: float | None
    server_p95_ms: float | None
    failed: int
    statuses: dict[str, int]
    errors: list[str]
    cpu_busy_before: float | None
    seeded_in: float | None
    latencies_ms: list[float]
    profile: dict = field(default_factory=dict)

    @property
    def meets_target(self) -> bool:
        return self.failed == 0 and self.p95_ms <= TARGET_P95_MS


def summarize(
    database: str,
    facts: dict,
    samples: list[BundleSample],
    wall_s: float,
    client_cpu_s: float,
    server_ms: list[float],
    operations: int,
    warmup: int,
) -> DatabaseRun:
    """The figures of the measured bundles (``samples``, warm-up excluded)."""
    latencies = [sample.latency_ms for sample in samples]
    ok = [sample for sample in samples if sample.ok]
    statuses: Counter = Counter()
    for sample in ok:
        statuses.update(sample.statuses)
    return DatabaseRun(
        database=database,
        version=facts["version"],
        events=facts["events"],
        operations=operations,
        bundles=len(samples),
        warmup=warmup,
        p50_ms=percentile(latencies, 0.5),
        p95_ms=percentile(latencies, 0.95),
        max_ms=max(latencies),
        mean_ms=sum(latencies) / len(latencies),
        wall_s=wall_s,
        ops_per_s=operations * len(ok) / wall_s if wall_s else 0.0,
        client_cpu_share=client_cpu_s / wall_s if wall_s else 0.0,
        server_p50_ms=percentile(server_ms, 0.5) if server_ms else None,
        server_p95_ms=percentile(server_ms, 0.95) if server_ms else None,
        failed=len(samples) - len(ok),
        statuses=dict(sorted(statuses.items())),
        errors=[f"{sample.status}: {sample.error[:500]}" for sample in samples if not sample.ok][:5],
        cpu_busy_before=facts.get("cpu_busy_before"),
        seeded_in=facts.get("seeded_in"),
        latencies_ms=latencies,
    )


def measure(database_url: str, options, run_id: str) -> DatabaseRun:
    from tests.live_server import live_api

    label = "SQLite" if database_url == SQLITE else "PostgreSQL"
    folder = scratch_folder("eventsapi-bench-bundles-")
    if database_url == SQLITE:
        database_url = f"sqlite:///{folder / 'db.sqlite3'}"
    else:
        ensure_database(database_url)
    print(f"{label}: preparing {database_url} ...", flush=True)
    facts = in_another_process(prepare_database, database_url, str(folder), options.events, options.seed)
    print(f"  {facts['events']:,} events, {facts['version']}", flush=True)
    total = options.warmup + options.rounds
    bundles = [make_bundle(run_id, number, options.operations) for number in range(total)]
    expected = expected_statuses(bundles[0])
    bodies = [json.dumps(bundle).encode() for bundle in bundles]
    facts["cpu_busy_before"] = cpu_busy(1.0)
    with live_api(database_url, folder, workers=options.workers, extra_env=SERVER_ENV) as server:
        port = int(server.url.rsplit(":", 1)[1])
        warm = post_bundles(port, facts["token"], bodies[: options.warmup], expected)
        cpu_before, started = time.process_time(), time.perf_counter()
        samples = post_bundles(port, facts["token"], bodies[options.warmup :], expected)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu_before
        time.sleep(0.5)  # let the last access-log lines reach the file
        server_ms = server_write_latencies(server.log())[options.warmup :]
    run = summarize(label, facts, samples, wall, cpu, server_ms, options.operations, options.warmup)
    run.failed += sum(1 for sample in warm if not sample.ok)
    run.errors += [f"warm-up {sample.status}: {sample.error[:500]}" for sample in warm if not sample.ok][:3]
    print(
        f"  p50 {run.p50_ms:.0f} ms, p95 {run.p95_ms:.0f} ms, max {run.max_ms:.0f} ms, "
        f"{run.ops_per_s:.0f} ops/s, failed {run.failed}",
        flush=True,
    )
    for error in run.errors:
        print(f"  ERROR {error}", flush=True)
    if options.profile:
        print("  profiling one bundle through the test client ...", flush=True)
        try:
            run.profile = in_another_process(
                profile_bundle, database_url, str(folder), run_id, total, options.operations, options.cprofile
            )
        except Exception as error:  # the measurement above stands without it
            run.profile = {"error": f"{type(error).__name__}: {str(error)[:500]}"}
            print(f"  PROFILE FAILED {run.profile['error']}", flush=True)
    return run


# Where the time goes (in a process of its own) -------------------------------------------------


def sql_summary(sql: str, limit: int = 240) -> str:
    """A statement's shape, short: whitespace collapsed, a SELECT's column list elided."""
    text = " ".join(sql.split())
    text = re.sub(r"^SELECT (?:DISTINCT )?.+? FROM ", "SELECT … FROM ", text, count=1)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def profile_bundle(
    database_url: str, folder: str, run_id: str, number: int, operations: int, with_cprofile: bool = False
) -> dict:
    """Post one bundle through Django's test client (after one not counted), every SQL query
    counted and timed by the operation that ran it: {"total_ms", "ops": {op resource: ...}, ...}."""
    import cProfile
    import io
    import pstats

    _django(database_url, Path(folder))
    from django.db import connection
    from rest_framework.test import APIClient

    from bundles.api.runner import BundleRunner

    client = APIClient()
    client.force_authenticate(bench_user())
    warm = client.post(BUNDLE_PATH, make_bundle(run_id, number, operations), format="json")
    assert warm.status_code == 201, warm.content[:2000]

    buckets: dict[str, dict] = {}
    statements: dict[str, list] = {}
    state = {"bucket": "before the operations", "since": 0.0}

    def bucket(name: str) -> dict:
        return buckets.setdefault(name, {"operations": 0, "queries": 0, "sql_ms": 0.0, "ms": 0.0})

    def switch(name: str) -> None:
        now = time.perf_counter()
        bucket(state["bucket"])["ms"] += (now - state["since"]) * 1000
        state["bucket"], state["since"] = name, now

    def count(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            entry = bucket(state["bucket"])
            entry["queries"] += 1
            entry["sql_ms"] += elapsed
            shape = statements.setdefault(sql_summary(sql), [0, 0.0])
            shape[0] += 1
            shape[1] += elapsed

    original_check, original_run = BundleRunner._check_permission, BundleRunner.run

    def check_permission(self, operation):
        name = f"{operation.op} {operation.resource.name}"
        switch(name)
        bucket(name)["operations"] += 1
        return original_check(self, operation)

    def run(self, operations_):
        try:
            return original_run(self, operations_)
        finally:
            switch("after the operations")

    BundleRunner._check_permission, BundleRunner.run = check_permission, run
    bundle = make_bundle(run_id, number + 1, operations)
    profiler = cProfile.Profile() if with_cprofile else None
    try:
        with connection.execute_wrapper(count):
            started = state["since"] = time.perf_counter()
            if profiler:
                profiler.enable()
            response = client.post(BUNDLE_PATH, bundle, format="json")
            if profiler:
                profiler.disable()
            switch("done")
            total_ms = (time.perf_counter() - started) * 1000
    finally:
        BundleRunner._check_permission, BundleRunner.run = original_check, original_run
    assert response.status_code == 201, response.content[:2000]
    buckets.pop("done", None)
    top = sorted(statements.items(), key=lambda item: -item[1][1])[:12]
    result = {
        "total_ms": total_ms,
        "queries": sum(entry["queries"] for entry in buckets.values()),
        "sql_ms": sum(entry["sql_ms"] for entry in buckets.values()),
        "ops": dict(sorted(buckets.items(), key=lambda item: -item[1]["ms"])),
        "top_sql": [{"sql": sql, "count": n, "ms": ms} for sql, (n, ms) in top],
    }
    if profiler:
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(40)
        result["cprofile"] = text.getvalue()
    return result


# The report ----------------------------------------------------------------------------------


def machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "?")
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    memory_kb = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal"))
    return {
        "CPU": cpu,
        "cores": os.cpu_count(),
        "RAM": f"{memory_kb / 1024 / 1024:.1f} GiB",
        "Python": platform.python_version(),
        "OS": platform.platform(),
    }


def _ms(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def results_table(runs: list[DatabaseRun]) -> list[str]:
    lines = [
        "| database | events in DB | bundles | p50 ms | p95 ms | max ms | ops/s | in-server p50 / p95 ms "
        "| client CPU | failed | p95 ≤ 1 s |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        lines.append(
            f"| {run.database} ({run.version}) | {run.events:,} | {run.bundles} x {run.operations} ops "
            f"| {_ms(run.p50_ms)} | {_ms(run.p95_ms)} | {_ms(run.max_ms)} | {run.ops_per_s:,.0f} "
            f"| {_ms(run.server_p50_ms)} / {_ms(run.server_p95_ms)} | {run.client_cpu_share:.1%} "
            f"| {run.failed} | {'yes' if run.meets_target else '**no**'} |"
        )
    return lines


def profile_summary(profile: dict, operations: int) -> list[str]:
    """The costliest kind of operation, and what the others cost each against the budget."""
    kinds = {name: entry for name, entry in profile["ops"].items() if entry["operations"]}
    if not kinds:
        return []
    name, top = max(kinds.items(), key=lambda item: item[1]["ms"])
    rest = [entry for other, entry in kinds.items() if other != name]
    count = sum(entry["operations"] for entry in rest) or 1
    return [
        f"- Costliest: **{name}**, {top['operations']} operations taking {_ms(top['ms'])} ms "
        f"({top['ms'] / profile['total_ms']:.0%} of the bundle), {_ms(top['sql_ms'])} ms of it in SQL.",
        f"- The other {count} operations: {sum(e['ms'] for e in rest) / count:.1f} ms and "
        f"{sum(e['queries'] for e in rest) / count:.1f} queries each on average "
        f"({sum(e['sql_ms'] for e in rest) / max(sum(e['ms'] for e in rest), 1e-9):.0%} of it in SQL).",
        f"- A p95 of {TARGET_P95_MS / 1000:.0f} s for {operations} operations leaves "
        f"{TARGET_P95_MS / operations:.1f} ms per operation.",
    ]


def profile_table(run: DatabaseRun) -> list[str]:
    profile = run.profile
    lines = [
        f"**{run.database}**: one bundle through Django's test client, {_ms(profile['total_ms'])} ms, "
        f"{profile['queries']:,} SQL queries taking {_ms(profile['sql_ms'])} ms of it.",
        "",
        *profile_summary(profile, run.operations),
        "",
        "| operation | count | queries | queries/op | SQL ms | ms (all) | ms/op |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, entry in profile["ops"].items():
        per = entry["operations"] or 1
        lines.append(
            f"| {name} | {entry['operations'] or '-'} | {entry['queries']} | {entry['queries'] / per:.1f} "
            f"| {_ms(entry['sql_ms'])} | {_ms(entry['ms'])} | {entry['ms'] / per:.1f} |"
        )
    lines += ["", "The statements that took longest, all operations together:", ""]
    lines += ["| calls | ms | SQL (select list elided) |", "|---|---|---|"]
    for statement in profile["top_sql"][:8]:
        sql = statement["sql"].replace("|", "\\|")
        lines.append(f"| {statement['count']} | {_ms(statement['ms'])} | `{sql}` |")
    return lines


def write_report(path: Path, runs: list[DatabaseRun], context: dict, story_shape: Counter) -> str:
    shape = ", ".join(f"{n} {name}" for name, n in sorted(story_shape.items(), key=lambda item: -item[1]))
    lines = [
        "# Bundles: a 200-operation story in one request",
        "",
        "Written by `make bench-bundles` (bench/bundles.py). Requirement: a 200-operation bundle",
        "(the Panjshir story repeated with new names) commits in ≤ 1 s p95 on PostgreSQL at 1M events",
        "and on SQLite.",
        "",
        "Each bundle is five copies of the 40-operation Panjshir story, every copy with new names,",
        f"urls and external ids, so nothing in the database matches: {shape} per bundle.",
        "Bundles are posted one after another on one connection from one Python client to a",
        "production-like gunicorn (DEBUG off, gunicorn.conf.py); the warm-up bundles are not counted.",
        "Latency is at the client (request sent to last byte); *in-server* is gunicorn's own duration",
        "(access log). ops/s = operations of the successful bundles / measured wall time. *client",
        "CPU* is the client's CPU time over the wall time (a share of one core). What the bundles",
        "write stays in the PostgreSQL database (about 40 actors and 20 events per bundle).",
        "",
        "## Results",
        "",
        *results_table(runs),
        "",
        *(f"- {key}: {value}" for key, value in context.items()),
        "",
    ]
    failing = [run for run in runs if run.errors]
    for run in failing:
        lines += [f"**{run.database} failures:**", "", *(f"- `{error[:300]}`" for error in run.errors), ""]
    for run in runs:
        if "error" in run.profile:
            lines += [f"The profile of {run.database} failed: `{run.profile['error'][:300]}`", ""]
    profiled = [run for run in runs if run.profile and "error" not in run.profile]
    if profiled:
        lines += [
            "## Where the time goes",
            "",
            "One more bundle per database through Django's test client in its own process, every SQL",
            "query counted and timed by the operation that ran it (*before* and *after the",
            "operations*: authentication, parsing, the commit and the response). *ms (all)* includes",
            "Python time; *ms/op* is per operation of that kind.",
            "",
        ]
        for run in profiled:
            lines += [*profile_table(run), ""]
    text = "\n".join(lines)
    path.write_text(text)
    return text


def operation_shape(bundle: dict) -> Counter:
    return Counter(f"{operation['op']} {operation['resource']}" for operation in bundle["operations"])


def save(options, runs: list[DatabaseRun], shape: Counter) -> None:
    import gunicorn

    context = {
        **machine(),
        "gunicorn": f"{gunicorn.__version__}, {options.workers} sync workers (one busy at a time here)",
        "load": f"{options.warmup} warm-up bundles, then {options.rounds} measured, sequential, one client",
        "CPU busy in the second before each run (other work on the machine)": ", ".join(
            f"{run.database} {run.cpu_busy_before:.0%}" for run in runs if run.cpu_busy_before is not None
        ),
        "PostgreSQL seeding": ", ".join(
            f"{run.seeded_in:.0f} s (this run)" if run.seeded_in else "already seeded before this run"
            for run in runs
            if run.database == "PostgreSQL"
        )
        or "n/a",
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
    write_report(options.out, runs, context, shape)
    options.json.parent.mkdir(parents=True, exist_ok=True)
    options.json.write_text(
        json.dumps(
            {"context": context, "shape": dict(shape), "runs": [asdict(run) for run in runs]}, indent=1
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url",
        action="append",
        help=f"A postgres:// URL or '{SQLITE}' (a fresh migrated SQLite file); may be repeated "
        f"(default: {DEFAULT_DATABASE_URL} and {SQLITE}).",
    )
    parser.add_argument("--rounds", type=int, default=30, help="Bundles measured per database.")
    parser.add_argument("--warmup", type=int, default=3, help="Bundles posted first and not counted.")
    parser.add_argument("--operations", type=int, default=OPERATIONS, help="Operations per bundle.")
    parser.add_argument(
        "--events", type=int, default=1_000_000, help="Events to seed a PostgreSQL database with."
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers.")
    parser.add_argument("--no-profile", dest="profile", action="store_false", help="Skip the query profile.")
    parser.add_argument("--cprofile", action="store_true", help="Print cProfile's top functions too.")
    parser.add_argument("--out", type=Path, default=REPORT)
    parser.add_argument("--json", type=Path, default=RESULTS_JSON)
    options = parser.parse_args()
    urls = options.database_url or [DEFAULT_DATABASE_URL, SQLITE]
    for url in urls:
        if url != SQLITE and not url.startswith("postgres"):
            parser.error(f"--database-url is a postgres:// URL or {SQLITE}, not {url!r}")
    run_id = f"{datetime.datetime.now(datetime.UTC):%Y%m%d%H%M%S}-{uuid.uuid4().hex[:6]}"
    shape = operation_shape(make_bundle(run_id, 0, options.operations))
    runs: list[DatabaseRun] = []
    for index, url in enumerate(urls):
        runs.append(measure(url, options, f"{run_id}-{index}"))
        save(options, runs, shape)  # after each database, so a later failure keeps what was measured
    for run in runs:
        if run.profile.get("cprofile"):
            print(f"--- cProfile, {run.database} ---\n{run.profile['cprofile']}")
    print(f"Wrote {options.out} and {options.json}")
    if any(run.failed for run in runs):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
