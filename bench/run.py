"""The benchmark: the API under gunicorn on PostgreSQL, beside the hand-written floor.

    .venv/bin/python -m bench.run [--events 1000000] [--duration 10] [--connections 8]

Seeds the database (``--database-url``, default ``eventsapi_bench`` for a million events and
``eventsapi_bench_<N>`` for another size) with ``seed_synthetic`` when it has no events, starts
the API (gunicorn.conf.py) and bench/baseline_app.py with the same number of workers, and
drives each scenario with wrk (a C load generator, one thread, a fixed number of keep-alive
connections), recording the CPU wrk itself used. The first page and the floor are measured
in alternating rounds. Each size's figures go to bench/results/<events>.json; bench/RESULTS.md
is written from every size measured (throughput, p50/p95/p99, each divided by the floor's
from the same run, and the growth between sizes), with bench/latency.png. Timing decides
nothing in the test suite: this is where it is measured.
"""

import argparse
import datetime
import http.client
import json
import math
import os
import platform
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
WRK_SCRIPT = ROOT / "bench" / "wrk_report.lua"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/eventsapi_bench"
API_PORT, BASELINE_PORT = 8765, 8766
FIRST_PAGE = "events: first page (100)"


@dataclass
class Scenario:
    name: str
    path: str
    method: str = "GET"
    body: dict | None = None
    accept: str = "application/json"
    one_off: bool = False  # one request, timed from Python (the whole-table export)
    connections: int | None = None  # wrk's connections, when not --connections
    result: dict = field(default_factory=dict)


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with ``share`` of them at or below it."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


# Servers ------------------------------------------------------------------------------


def wait_for_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listening on port {port} after {timeout} s")


def start_server(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
    )


def server_env(database_url: str, runtime: Path, workers: int) -> dict:
    """The environment of a measured API server: throttling that never refuses, no worker
    recycling, quiet logs.

    The throttle still runs (a cache read and write per request, as in production), over a
    one-second window: DRF keeps every request's time within the window, so a one-minute
    window at bench rates would hold tens of thousands and pickle them on every request, a
    cost no throttled client brings (at the production rate of 1,000 a minute, at most 1,000).
    """
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_TIMEOUT": "1800",
        "GUNICORN_MAX_REQUESTS": "0",
        "EVENTSAPI_THROTTLE_ANON": "100000000/second",
        "EVENTSAPI_THROTTLE_USER": "100000000/second",
        "EVENTSAPI_VAR_DIR": str(runtime),
        "LOG_LEVEL": "WARNING",
    }


def worker_pids(master: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def peak_rss_mb(pids: list[int]) -> float:
    """The largest peak resident set (VmHWM) among the processes, in MiB."""
    peaks = []
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        except FileNotFoundError:
            continue
    return max(peaks, default=0.0)


# Load -------------------------------------------------------------------------------------


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk is not installed: `make bench` installs it (Debian package wrk).")
    return found


def run_wrk(scenario: Scenario, port: int, headers: dict, options, runtime: Path, seconds: float) -> dict:
    """Drive ``scenario`` with wrk for ``seconds``; its figures, with the CPU wrk used."""
    report = runtime / "wrk.json"
    report.unlink(missing_ok=True)
    env = {**os.environ, "WRK_REPORT": str(report), "WRK_METHOD": scenario.method, "WRK_BODY": ""}
    if scenario.body is not None:
        body_file = runtime / "body.json"
        body_file.write_text(json.dumps(scenario.body))
        env["WRK_BODY"] = str(body_file)
    command = [
        wrk_binary(),
        f"-t{options.threads}",
        f"-c{scenario.connections or options.connections}",
        f"-d{seconds}s",
        "--timeout",
        "60s",
        "-s",
        str(WRK_SCRIPT),
        *[part for name, value in headers.items() for part in ("-H", f"{name}: {value}")],
        f"http://127.0.0.1:{port}{scenario.path}",
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if completed.returncode or not report.exists():
        raise RuntimeError(f"wrk failed for {scenario.name}: {completed.stderr or completed.stdout}")
    figures = json.loads(report.read_text())
    elapsed = figures["duration_us"] / 1e6
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "throughput": figures["requests"] / elapsed,
        "requests": figures["requests"],
        "p50": figures["p50"] / 1000,
        "p95": figures["p95"] / 1000,
        "p99": figures["p99"] / 1000,
        "mean": figures["mean"] / 1000,
        "failed": figures["non_2xx_3xx"] + figures["socket_errors"],
        "client_cpu_share": cpu / (elapsed * (os.cpu_count() or 1)),
    }


def run_once(scenario: Scenario, port: int, headers: dict) -> dict:
    """One request from Python (the whole-table export), with the size of what came back."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1800)
    started = time.perf_counter()
    connection.request(scenario.method, scenario.path, headers=headers)
    response = connection.getresponse()
    size = lines = 0
    while chunk := response.read(1 << 20):
        size += len(chunk)
        lines += chunk.count(b"\n")
    elapsed = time.perf_counter() - started
    connection.close()
    return {"seconds": elapsed, "status": response.status, "bytes": size, "rows": max(0, lines - 1)}


def walk(port: int, path: str, pages: int) -> str:
    """Follow ``next`` links ``pages`` times: the path of a page deep in a cursor walk."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    for _ in range(pages):
        connection.request("GET", path, headers={"Accept": "application/json"})
        response = connection.getresponse()
        body = response.read()
        assert response.status == 200, (response.status, body[:300])
        next_link = json.loads(body)["next"]
        if next_link is None:
            break
        split = urlsplit(next_link)
        path = f"{split.path}?{split.query}"
    connection.close()
    return path


# Set-up -----------------------------------------------------------------------------------


def ensure_database(database_url: str) -> None:
    """Create the benchmark's database when the server does not have it yet."""
    import psycopg
    from psycopg import sql

    name = urlsplit(database_url).path.lstrip("/")
    maintenance = urlsplit(database_url)._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Created database {name}.", flush=True)


def django_setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eventsapi.settings")
    os.environ.setdefault("EVENTSAPI_DEVDATA", "true")  # seed_synthetic
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def ensure_seeded(events: int, seed: int) -> tuple[float | None, float | None]:
    """Migrate, and seed when the database has no events: the seconds each took (None: nothing done)."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from events.models import Event

    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    migrated_in = time.monotonic() - started if pending else None
    if Event.all_objects.exists():
        return migrated_in, None
    started = time.monotonic()
    call_command("seed_synthetic", events=events, seed=seed)
    return migrated_in, time.monotonic() - started


def editor_token() -> str:
    from django.contrib.auth.models import Group, User
    from knox.models import AuthToken

    from eventsapi.api.permissions import EDITORS_GROUP

    user, _ = User.objects.get_or_create(username="bench-editor")
    user.groups.add(Group.objects.get_or_create(name=EDITORS_GROUP)[0])
    return AuthToken.objects.create(user=user, expiry=datetime.timedelta(hours=2))[1]


def scenarios(base: str, deep_cursor_url: str, csv_days: int) -> list[Scenario]:
    """The endpoints measured, with parameters drawn from the data so each filter selects rows."""
    from django.db.models import Count

    from events.models import Actor, Event, Place, PlaceKind

    country = Place.objects.filter(kind=PlaceKind.COUNTRY).order_by("name").first()
    locality = Place.objects.filter(kind=PlaceKind.LOCALITY, latitude__isnull=False).order_by("name").first()
    latest = Event.objects.order_by("-start_date").values_list("start_date", flat=True).first()
    month_start = latest.replace(day=1) - datetime.timedelta(days=180)
    month_end = month_start + datetime.timedelta(days=30)
    point = f"{locality.latitude},{locality.longitude}"
    event = (
        Event.objects.filter(start_date__lte=latest - datetime.timedelta(days=30))
        .annotate(statements_here=Count("statement_links"))
        .filter(statements_here__gte=3)
        .order_by("-start_date", "id")
        .first()
    )
    speaker = Actor.objects.order_by("name").first()
    statement_body = {
        "text": "Bench statement {n}: residents reported shelling overnight.",
        "language": "en",
        "speaker": str(speaker.pk),
        "stated_on": str(latest),
        "about": [{"event": str(event.pk), "stance": "supports"}],
    }
    page = {"page_size": 100}
    events = f"{base}/events/"
    export_filter = {"date_from": latest - datetime.timedelta(days=csv_days)} if csv_days else {}
    actor = Actor.objects.filter(participations__isnull=False).order_by("name").first()
    region = Place.objects.filter(kind=PlaceKind.ADMIN1).order_by("name").first()
    earliest = Event.objects.order_by("start_date").values_list("start_date", flat=True).first()

    def events_where(name: str, **filters) -> Scenario:
        return Scenario(f"events: {name}", f"{events}?{urlencode({**page, **filters})}")

    return [
        Scenario("process floor: /healthz", "/healthz"),
        Scenario("framework floor: /api/v1/", f"{base}/"),
        Scenario("events: page deep in a cursor walk", deep_cursor_url),
        events_where("date range (one month)", date_from=month_start, date_to=month_end),
        events_where(
            "date_to alone (a year after the first event)", date_to=earliest.replace(year=earliest.year + 1)
        ),
        events_where("updated_since", updated_since=f"{month_start}T00:00:00Z"),
        events_where("verification_status=false", verification_status="false"),
        events_where(
            f"country={country.country_code} + verification_status=verified",
            country=country.country_code,
            verification_status="verified",
        ),
        events_where(f"place (a province: {region.name})", place=region.pk),
        events_where(
            "bbox (1 degree square)",
            bbox=f"{locality.longitude - 0.5},{locality.latitude - 0.5},"
            f"{locality.longitude + 0.5},{locality.latitude + 0.5}",
        ),
        events_where("near a point (25 km)", near=point, radius_km=25),
        events_where("actor", actor=actor.pk),
        events_where("event_type=riot", event_type="riot"),
        events_where("contested=true", contested="true"),
        events_where("contested=false", contested="false"),
        events_where(f"full text q={locality.name}", q=locality.name),
        events_where(
            "all filters combined",
            country=country.country_code,
            verification_status="unverified",
            date_from=month_start - datetime.timedelta(days=365),
            event_type="battle,protest",
            contested="false",
        ),
        events_where("ordering=title", ordering="title"),
        events_where(
            "ordering=start_date + date_from (ascending walk)",
            ordering="start_date",
            date_from=latest - datetime.timedelta(days=365),
        ),
        Scenario("statements: by event", f"{base}/statements/?{urlencode({'event': event.pk})}"),
        Scenario("statements: first page (100)", f"{base}/statements/?{urlencode(page)}"),
        Scenario(
            "statements: by speaker", f"{base}/statements/?{urlencode({**page, 'speaker': speaker.pk})}"
        ),
        Scenario(
            "statements: full text q=shelling", f"{base}/statements/?{urlencode({**page, 'q': 'shelling'})}"
        ),
        Scenario(
            "statements: stance=refutes", f"{base}/statements/?{urlencode({**page, 'stance': 'refutes'})}"
        ),
        Scenario(
            f"statements: place (a province: {region.name})",
            f"{base}/statements/?{urlencode({**page, 'place': region.pk})}",
        ),
        Scenario(
            f"statements: country={country.country_code}",
            f"{base}/statements/?{urlencode({**page, 'country': country.country_code})}",
        ),
        Scenario(
            "statements: verification_status=false",
            f"{base}/statements/?{urlencode({**page, 'verification_status': 'false'})}",
        ),
        Scenario("statements: language=en", f"{base}/statements/?{urlencode({**page, 'language': 'en'})}"),
        Scenario(
            "statements: date range (one month)",
            f"{base}/statements/?{urlencode({**page, 'date_from': month_start, 'date_to': month_end})}",
        ),
        Scenario("sources: first page (100)", f"{base}/sources/?{urlencode(page)}"),
        Scenario("actors: first page (100)", f"{base}/actors/?{urlencode(page)}"),
        Scenario("places: first page (100)", f"{base}/places/?{urlencode(page)}"),
        Scenario("event detail", f"{events}{event.pk}/"),
        Scenario("statement create (POST)", f"{base}/statements/", method="POST", body=statement_body),
        # One connection per worker: a write's own time, without waiting behind the others.
        Scenario(
            "statement create (POST), 2 connections",
            f"{base}/statements/",
            method="POST",
            body=statement_body,
            connections=2,
        ),
        Scenario("change feed page (100)", f"{base}/changes/?limit=100"),
        Scenario(
            f"CSV export, last {csv_days} days" if csv_days else "CSV export, whole table",
            f"{events}?{urlencode({'format': 'csv', **export_filter})}",
            accept="text/csv",
            one_off=True,
        ),
    ]


# Report -----------------------------------------------------------------------------------


def machine() -> dict:
    from django.db import connection

    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "?")
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    memory_kb = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal"))
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return {
        "CPU": cpu,
        "cores": os.cpu_count(),
        "RAM": f"{memory_kb / 1024 / 1024:.1f} GiB",
        "PostgreSQL": postgres,
        "Python": platform.python_version(),
        "OS": platform.platform(),
    }


def _ratio(value: float, floor: float) -> str:
    return f"{value / floor:.2f}x" if floor else "n/a"


def load_runs(directory: Path = RESULTS_DIR) -> list[dict]:
    """Every size measured, smallest first."""
    return sorted(
        (json.loads(file.read_text()) for file in directory.glob("*.json")), key=lambda run: run["events"]
    )


def write_results(path: Path, chart: Path, runs: list[dict]) -> None:
    """bench/RESULTS.md from the runs of every size (``load_runs``), with their growth."""
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (bench/run.py) from bench/results/<events>.json. Load comes from",
        "wrk (C, one thread, a fixed number of keep-alive connections), and the CPU wrk itself used",
        "is shown as a share of the machine. Every figure is followed, in brackets, by itself",
        "divided by the floor's measured in the same run: the floor is bench/baseline_app.py, the",
        "first page of 100 events from hand-written SQL, psycopg and orjson with no framework,",
        "serving byte-identical JSON, reading the same stored columns with the API's connection",
        "settings. The first page and the floor ran in alternating rounds; the median round of",
        "each is shown. Latencies in ms at the client; throughput in requests per second.",
        "",
    ]
    for run in runs:
        floor = run["floor"]
        lines += [
            f"## {run['events']:,} events",
            "",
            *(f"- {key}: {value}" for key, value in run["context"].items()),
            "",
        ]
        lines += [
            "| scenario | req/s | p50 ms | p95 ms | p99 ms | failed | wrk CPU | peak RSS/worker MiB |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for name, row in [
            ("**floor**: " + floor["name"], floor),
            *((row["name"], row) for row in run["rows"]),
        ]:
            if "seconds" in row:
                continue
            lines.append(
                f"| {name} | {row['throughput']:.1f} ({_ratio(row['throughput'], floor['throughput'])}) "
                f"| {row['p50']:.1f} ({_ratio(row['p50'], floor['p50'])}) "
                f"| {row['p95']:.1f} ({_ratio(row['p95'], floor['p95'])}) "
                f"| {row['p99']:.1f} ({_ratio(row['p99'], floor['p99'])}) "
                f"| {row['failed']} | {row['client_cpu_share']:.0%} | {row.get('peak_rss_mb', 0):.0f} |"
            )
        for row in run["rows"]:
            if "seconds" in row:
                lines += [
                    "",
                    f"- {row['name']}: {row['rows']:,} rows, {row['bytes'] / 2**20:,.0f} MiB in "
                    f"{row['seconds']:.1f} s ({row['rows'] / max(row['seconds'], 1e-9):,.0f} rows/s), "
                    f"status {row['status']}.",
                ]
        lines += [
            "",
            "First-page rounds (API, floor) req/s: "
            + "; ".join(f"{api:.1f} / {floor_round:.1f}" for api, floor_round in run["first_page_rounds"]),
            "",
        ]
    if len(runs) > 1:
        small, large = runs[0], runs[-1]
        by_name = {row["name"]: row for row in small["rows"] if "seconds" not in row}
        lines += [
            f"## Growth: {small['events']:,} to {large['events']:,} events",
            "",
            "Each figure at the larger size, and in brackets divided by the same figure at the smaller.",
            "",
            "| scenario | req/s | p50 ms | p95 ms | p99 ms |",
            "|---|---|---|---|---|",
        ]
        for row in [large["floor"], *large["rows"]]:
            before = small["floor"] if row is large["floor"] else by_name.get(row["name"])
            if before is None or "seconds" in row:
                continue
            lines.append(
                f"| {row['name']} | {row['throughput']:.1f} "
                f"({_ratio(row['throughput'], before['throughput'])}) "
                + " ".join(
                    f"| {row[key]:.1f} ({_ratio(row[key], before[key])})" for key in ("p50", "p95", "p99")
                )
                + " |"
            )
        lines.append("")
    lines += [f"![latency of each scenario beside the floor]({chart.name})", ""]
    path.write_text("\n".join(lines))


def draw_chart(chart: Path, run: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = [row for row in run["rows"] if "seconds" not in row]
    figure, axes = plt.subplots(figsize=(11, 0.5 * len(shown) + 1.8))
    positions = range(len(shown))
    for offset, key, colour in ((-0.25, "p50", "#4c72b0"), (0, "p95", "#dd8452"), (0.25, "p99", "#c44e52")):
        axes.barh(
            [position + offset for position in positions],
            [row[key] for row in shown],
            height=0.25,
            color=colour,
            label=key,
        )
    for key, style in (("p50", "-"), ("p99", "--")):
        axes.axvline(run["floor"][key], color="black", linestyle=style, label=f"floor {key}")
    axes.set_yticks(list(positions), [row["name"] for row in shown])
    axes.invert_yaxis()
    axes.set_xscale("log")
    axes.set_xlabel("latency at the client, ms (log scale)")
    axes.legend(loc="lower right")
    axes.set_title(f"API latency per scenario beside the floor, {run['events']:,} events (wrk)")
    figure.tight_layout()
    figure.savefig(chart, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument(
        "--events", type=int, default=1_000_000, help="Events to seed when the database has none."
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--duration", type=float, default=10, help="Seconds of load per scenario.")
    parser.add_argument("--connections", type=int, default=8, help="wrk's keep-alive connections.")
    parser.add_argument("--threads", type=int, default=1, help="wrk's threads.")
    parser.add_argument("--rounds", type=int, default=3, help="Alternating first-page/floor rounds.")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers for each server.")
    parser.add_argument("--deep-pages", type=int, default=50, help="Pages walked for the deep cursor.")
    parser.add_argument(
        "--csv-days",
        type=int,
        default=0,
        help="Export only the last N days of events (default: the whole table).",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    options = parser.parse_args()
    if options.database_url is None:
        options.database_url = (
            DEFAULT_DATABASE_URL
            if options.events == 1_000_000
            else f"{DEFAULT_DATABASE_URL}_{options.events}"
        )
    if not options.database_url.startswith("postgres"):
        parser.error("the benchmark runs on PostgreSQL: give a postgres:// --database-url")
    wrk_binary()

    ensure_database(options.database_url)
    django_setup(options.database_url)
    migrated_in, seeded_in = ensure_seeded(options.events, options.seed)
    from django.db import connection

    from events.models import Event

    event_count = Event.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        database_bytes = cursor.fetchone()[0]
    token = editor_token()

    runtime = Path(tempfile.mkdtemp(prefix="eventsapi-bench-"))
    env = server_env(options.database_url, runtime, options.workers)
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    api = start_server(
        [
            gunicorn,
            "-c",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{API_PORT}",
            "--access-logfile",
            "/dev/null",
        ],
        env,
        runtime / "api.log",
    )
    baseline = start_server(
        [
            gunicorn,
            "--workers",
            str(options.workers),
            "--bind",
            f"127.0.0.1:{BASELINE_PORT}",
            "bench.baseline_app:application",
        ],
        env,
        runtime / "baseline.log",
    )
    try:
        wait_for_port(API_PORT)
        wait_for_port(BASELINE_PORT)
        time.sleep(2)
        base = "/api/v1"
        deep = walk(API_PORT, f"{base}/events/?page_size=100", options.deep_pages)
        plan = scenarios(base, deep, options.csv_days)
        read = {"Accept": "application/json"}
        write = {**read, "Content-Type": "application/json", "Authorization": f"Token {token}"}
        first_page = Scenario(FIRST_PAGE, f"{base}/events/?page_size=100")
        floor = Scenario("events: first page (100), hand-written", f"{base}/events/?page_size=100")

        def measure(scenario: Scenario, port: int, headers: dict) -> dict:
            run_wrk(scenario, port, headers, options, runtime, 1)  # warm-up
            return run_wrk(scenario, port, headers, options, runtime, options.duration)

        rounds = []
        for _ in range(options.rounds):
            floor_round = measure(floor, BASELINE_PORT, read)
            api_round = measure(first_page, API_PORT, read)
            rounds.append((api_round, floor_round))
            print(
                f"first page {api_round['throughput']:.1f} req/s, floor {floor_round['throughput']:.1f}",
                flush=True,
            )
        floor.result = sorted((r[1] for r in rounds), key=lambda figures: figures["throughput"])[
            len(rounds) // 2
        ]
        first_page.result = sorted((r[0] for r in rounds), key=lambda figures: figures["throughput"])[
            len(rounds) // 2
        ]
        first_page.result["peak_rss_mb"] = peak_rss_mb(worker_pids(api))
        floor.result["peak_rss_mb"] = peak_rss_mb(worker_pids(baseline))
        measured = [first_page]
        context = {
            **machine(),
            "events in the database": f"{event_count:,}",
            "database size": f"{database_bytes / 2**30:.1f} GiB",
            "seeding": f"{seeded_in:.0f} s (this run)" if seeded_in else "already seeded before this run",
            "migrations": f"{migrated_in:.0f} s (this run)" if migrated_in else "none to apply",
            "gunicorn": f"{options.workers} sync workers each for the API and the floor",
            "load": f"wrk, {options.threads} thread, {options.connections} connections, "
            f"{options.duration:.0f} s per scenario after a 1 s warm-up",
            "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        }
        RESULTS_DIR.mkdir(exist_ok=True)
        chart = options.out.parent / "latency.png"

        def save() -> dict:
            run = {
                "events": event_count,
                "context": context,
                "floor": {"name": floor.name, **floor.result},
                "rows": [{"name": scenario.name, **scenario.result} for scenario in measured],
                "first_page_rounds": [
                    (api_round["throughput"], floor_round["throughput"]) for api_round, floor_round in rounds
                ],
            }
            (RESULTS_DIR / f"{event_count}.json").write_text(json.dumps(run, indent=1))
            write_results(options.out, chart, load_runs())
            return run

        for scenario in plan:
            headers = {**(write if scenario.method == "POST" else read), "Accept": scenario.accept}
            print(f"{scenario.name} ...", flush=True)
            if scenario.one_off:
                scenario.result = run_once(scenario, API_PORT, headers)
            else:
                scenario.result = measure(scenario, API_PORT, headers)
                scenario.result["peak_rss_mb"] = peak_rss_mb(worker_pids(api))
            print(f"  {scenario.result}", flush=True)
            measured.append(scenario)
            save()  # as it goes, so a long run that is stopped still leaves what it measured
        draw_chart(chart, save())
        print(f"Wrote {options.out} and {chart}")
    finally:
        for server in (api, baseline):
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)


if __name__ == "__main__":
    main()
