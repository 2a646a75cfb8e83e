"""``make bench-matching``: actor and statement matching under wrk, as bench/run.py measures.

- Actor match on a database of 200,000 actors (``eventsapi_bench_actors``: seeded with
  ``seed_synthetic --events 20000 --actors 200000`` when empty): a misspelt full name, a
  surname alone, a handle, a name with a role.
- Statement match and ``similar`` on the 1M-event database (``eventsapi_bench``, about
  3,000,000 statements; seeded by ``make bench`` when empty): a statement's own text, a
  part of it with an ellipsis, its text narrowed to its speaker, and ``similar`` of it.

Each scenario: 8 connections (wrk, one thread) for 10 s against gunicorn with 2 workers.
Results go to bench/MATCHING.md and bench/results/matching.json.
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.run import (
    RESULTS_DIR,
    ROOT,
    Scenario,
    ensure_database,
    machine,
    run_wrk,
    server_env,
    start_server,
    wait_for_port,
    wrk_binary,
)

PORT = 8930
ACTORS_URL = "postgres://postgres@127.0.0.1:5432/eventsapi_bench_actors"
STATEMENTS_URL = "postgres://postgres@127.0.0.1:5432/eventsapi_bench"
TARGETS = {"actors": 30.0, "statements": 50.0}
HOW = """\
How: actor candidates come from exact keys in the order scores allow (the spellings of the
query's folded words, skeleton and acronym, scored once each, then a page of rows per score;
one word's skeleton in `matching_actornameword` for a surname alone or a part of a name), and
trigram similarity only when those leave room; the lookups are plain SQL
(matching/name_index.py) and the answer is rendered without per-request serializers.
Statement candidates come from each statement's text keys (`matching_statementkeys`: a
fingerprint of its folded words, and its runs of three words under a GIN index), the full-text
index only while those leave room; a speaker's statements (up to 1,000) are compared all at
once with rapidfuzz, the closest scored in full. The bench server's throttle keeps a
one-second window (bench/run.py, `server_env`)."""


def _django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eventsapi.settings")
    os.environ.setdefault("EVENTSAPI_DEVDATA", "true")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _prepare(database_url: str, events: int, actors: int | None) -> None:
    """Migrate, seed when empty, and make sure the matching index covers every actor."""
    from django.core.management import call_command

    from claims.models import Statement
    from events.models import Actor, Event
    from matching.models import ActorName, StatementKeys
    from matching.services import actor_names_rebuild, statement_keys_rebuild

    call_command("migrate", verbosity=0)
    if not Event.all_objects.exists():
        call_command("seed_synthetic", events=events, seed=1, actors=actors)
    if ActorName.objects.values("actor_id").distinct().count() < Actor.all_objects.count():
        print(f"Indexing {Actor.all_objects.count()} actors for matching...", flush=True)
        actor_names_rebuild()
    if StatementKeys.objects.count() < Statement.all_objects.count():
        print(f"Keying {Statement.all_objects.count()} statements for matching...", flush=True)
        statement_keys_rebuild()


def _actor_scenarios() -> list[Scenario]:
    from urllib.parse import urlencode

    from events.models import Actor

    person = Actor.objects.filter(kind="person").order_by("name")[1000]
    given, family = person.name.split()[:2]
    handle = next(
        (
            actor.external_ids["twitter"]
            for actor in Actor.objects.filter(kind="person")[:50]
            if actor.external_ids
        ),
        "nobody",
    )

    def path(name: str) -> str:
        return "/api/v1/actors/match/?" + urlencode({"name": name})

    return [
        Scenario("actor match: one letter changed", path(f"{given} {family.replace('a', 'e', 1)}")),
        Scenario("actor match: surname alone", path(family)),
        Scenario("actor match: role and name", path(f"spokesman {given} {family}")),
        Scenario("actor match: handle", path(f"@{handle}")),
    ]


def _statement_scenarios() -> list[Scenario]:
    from claims.models import Statement

    statement = Statement.objects.order_by("-stated_on", "id")[5000]
    words = statement.text.split()
    part = " ".join(words[: max(3, len(words) // 3)]) + " … " + " ".join(words[-3:])
    return [
        Scenario(
            "statement match: the same text", "/api/v1/statements/match/", "POST", {"text": statement.text}
        ),
        Scenario(
            "statement match: parts around an ellipsis", "/api/v1/statements/match/", "POST", {"text": part}
        ),
        Scenario(
            "statement match: narrowed to the speaker",
            "/api/v1/statements/match/",
            "POST",
            {"text": statement.text, "speaker": str(statement.speaker_id)},
        ),
        Scenario("statement similar", f"/api/v1/statements/{statement.pk}/similar/"),
    ]


def _measure(database_url: str, scenarios: list[Scenario], options, runtime: Path) -> list[dict]:
    env = server_env(database_url, runtime, workers=2)
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    server = start_server(
        [gunicorn, "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{PORT}", "--access-logfile", "/dev/null"],
        env,
        runtime / "api.log",
    )
    try:
        wait_for_port(PORT)
        time.sleep(2)
        rows = []
        for scenario in scenarios:
            figures = run_wrk(scenario, PORT, {"Content-Type": "application/json"}, options, runtime, 2)
            figures = run_wrk(
                scenario, PORT, {"Content-Type": "application/json"}, options, runtime, options.duration
            )
            print(
                f"{scenario.name}: p95 {figures['p95']:.1f} ms, {figures['throughput']:.0f} req/s", flush=True
            )
            rows.append({"name": scenario.name, **figures})
        return rows
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)


def _write(results: dict, out: Path) -> None:
    lines = [
        "# Matching under load",
        "",
        f"`make bench-matching`, {results['date']}, {results['machine']['cores']} cores: wrk with one "
        f"thread and 8 connections for {results.get('duration', 10)} s per row, gunicorn with 2 workers, "
        "PostgreSQL. Targets: "
        "actor match p95 ≤ 30 ms with 200,000 actors; statement match p95 ≤ 50 ms with the 1M-event "
        "database.",
        "",
        "| request | rows in the database | req/s | p50 ms | p95 ms | p99 ms | failed | wrk CPU |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for kind in ("actors", "statements"):
        for row in results[kind]["rows"]:
            lines.append(
                f"| {row['name']} | {results[kind]['size']} | {row['throughput']:.0f} | {row['p50']:.1f} | "
                f"{row['p95']:.1f} | {row['p99']:.1f} | {row['failed']} | {row['client_cpu_share']:.0%} |"
            )
    missed = [
        row["name"]
        for kind in ("actors", "statements")
        for row in results[kind]["rows"]
        if row["p95"] > TARGETS[kind]
    ]
    verdict = (
        "**Met**: every request's p95 is within its target."
        if not missed
        else f"**Not met** for: {'; '.join(missed)}."
    )
    lines += ["", verdict, "", HOW]
    out.write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--actors-url", default=ACTORS_URL)
    parser.add_argument("--statements-url", default=STATEMENTS_URL)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--only", choices=["actors", "statements"])
    options = parser.parse_args()
    wrk_binary()
    runtime = Path(tempfile.mkdtemp(prefix="eventsapi-bench-matching-"))
    results: dict = {"date": datetime.date.today().isoformat(), "duration": options.duration}
    if options.only is None:
        # Django settles on one database per process: each kind runs in a process of its own.
        for kind in ("actors", "statements"):
            subprocess.run(
                [sys.executable, "-m", "bench.matching", *sys.argv[1:], "--only", kind], check=True
            )
        return
    kind = options.only
    url, events, actors, build = {
        "actors": (options.actors_url, 20_000, 200_000, _actor_scenarios),
        "statements": (options.statements_url, 1_000_000, None, _statement_scenarios),
    }[kind]
    ensure_database(url)
    _django(url)
    _prepare(url, events, actors)
    results["machine"] = machine()
    from claims.models import Statement
    from events.models import Actor

    size = (
        f"{Actor.objects.count():,} actors"
        if kind == "actors"
        else f"{Statement.objects.count():,} statements"
    )
    results[kind] = {"size": size, "rows": _measure(url, build(), options, runtime)}
    RESULTS_DIR.mkdir(exist_ok=True)
    previous = RESULTS_DIR / "matching.json"
    if previous.exists():
        results = {**json.loads(previous.read_text()), **results}
    previous.write_text(json.dumps(results, indent=2, default=str))
    if "actors" in results and "statements" in results:
        _write(results, ROOT / "bench" / "MATCHING.md")


if __name__ == "__main__":
    main()
