"""The benchmark: the API under gunicorn on PostgreSQL, beside the hand-written floor.

    .venv/bin/python -m bench.run [--events 1000000] [--requests 200] [--concurrency 4]

Seeds the database (``DATABASE_URL``, default ``eventsapi_bench`` on the local server)
with ``seed_synthetic`` when it has no events, starts the API (gunicorn.conf.py) and
bench/baseline_app.py with the same number of workers, and sends each scenario a fixed
number of requests from a pool of threads, each with a keep-alive connection. It writes
bench/RESULTS.md (throughput, p50/p95/p99 and each divided by the floor's, measured in the
same run; peak resident memory of the workers; the machine) and bench/latency.png. Timing
decides nothing in the test suite: this is where it is measured.
"""

import argparse
import datetime
import http.client
import json
import math
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/eventsapi_bench"
API_PORT, BASELINE_PORT = 8765, 8766


@dataclass
class Scenario:
    name: str
    path: str
    method: str = "GET"
    body: dict | None = None
    accept: str = "application/json"
    requests: int | None = None
    concurrency: int | None = None
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    wall: float = 0.0
    peak_rss_mb: float = 0.0
    rss_before_mb: float = 0.0
    bytes: int = 0
    lines: int = 0


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


class Client(threading.local):
    def connection(self, port: int) -> http.client.HTTPConnection:
        if getattr(self, "connections", None) is None:
            self.connections = {}
        if port not in self.connections:
            self.connections[port] = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        return self.connections[port]

    def request(
        self, port: int, method: str, path: str, body: bytes | None, headers: dict
    ) -> tuple[int, bytes]:
        for attempt in range(2):
            connection = self.connection(port)
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, ConnectionError):
                connection.close()
                del self.connections[port]
                if attempt:
                    raise
        raise AssertionError("unreachable")


def run(
    scenario: Scenario, port: int, headers: dict, client: Client, default_requests: int, concurrency: int
):
    total = scenario.requests or default_requests
    threads = scenario.concurrency or concurrency
    lock = threading.Lock()

    def one(index: int) -> None:
        body = None
        if scenario.body is not None:
            body = json.dumps(scenario.body).replace("{n}", str(index)).encode()
        started = time.perf_counter()
        status, content = client.request(port, scenario.method, scenario.path, body, headers)
        elapsed = time.perf_counter() - started
        with lock:
            scenario.latencies.append(elapsed * 1000)
            scenario.statuses[status] = scenario.statuses.get(status, 0) + 1
            scenario.bytes = max(scenario.bytes, len(content))
            scenario.lines = max(scenario.lines, content.count(b"\n"))

    # A one-off (the whole-table export) is not worth running twice.
    warmup = min(5, total) if total > 1 else 0
    for index in range(warmup):
        one(-1 - index)
    scenario.latencies.clear()
    scenario.statuses.clear()
    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(one, range(total)))
    scenario.wall = time.perf_counter() - started


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


def ensure_seeded(events: int, seed: int) -> float | None:
    from django.core.management import call_command

    from events.models import Event

    call_command("migrate", verbosity=0)
    if Event.all_objects.exists():
        return None
    started = time.monotonic()
    call_command("seed_synthetic", events=events, seed=seed)
    return time.monotonic() - started


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
        Scenario("events: first page (100)", f"{events}?{urlencode(page)}"),
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
        Scenario("sources: first page (100)", f"{base}/sources/?{urlencode(page)}"),
        Scenario("actors: first page (100)", f"{base}/actors/?{urlencode(page)}"),
        Scenario("places: first page (100)", f"{base}/places/?{urlencode(page)}"),
        Scenario("event detail", f"{events}{event.pk}/"),
        Scenario("statement create (POST)", f"{base}/statements/", method="POST", body=statement_body),
        Scenario("change feed page (100)", f"{base}/changes/?limit=100"),
        Scenario(
            f"CSV export, last {csv_days} days" if csv_days else "CSV export, whole table",
            f"{events}?{urlencode({'format': 'csv', **export_filter})}",
            accept="text/csv",
            requests=1,
            concurrency=1,
        ),
    ]


def walk(client: Client, port: int, path: str, pages: int) -> str:
    for _ in range(pages):
        status, body = client.request(port, "GET", path, None, {"Accept": "application/json"})
        assert status == 200, (status, body[:300])
        next_link = json.loads(body)["next"]
        if next_link is None:
            break
        split = urlsplit(next_link)
        path = f"{split.path}?{split.query}"
    return path


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


def exports(scenario: Scenario) -> str:
    rows = max(0, scenario.lines - 1)  # less the header
    seconds = scenario.wall / max(1, len(scenario.latencies))
    return (
        f"- {scenario.name}: {rows:,} rows, {scenario.bytes / 2**20:,.0f} MiB in {seconds:.1f} s "
        f"({rows / seconds:,.0f} rows/s); largest worker peak RSS {scenario.rss_before_mb:.0f} MiB "
        f"before it, {scenario.peak_rss_mb:.0f} MiB after."
    )


def write_results(path: Path, chart: Path, measured: list[Scenario], floor: Scenario, context: dict) -> None:
    def row(scenario: Scenario) -> str:
        if not scenario.latencies:
            return f"| {scenario.name} | n/a | | | | | {scenario.statuses} |"
        p50, p95, p99 = (percentile(scenario.latencies, share) for share in (0.5, 0.95, 0.99))
        f50, f95, f99 = (percentile(floor.latencies, share) for share in (0.5, 0.95, 0.99))
        throughput = len(scenario.latencies) / scenario.wall
        floor_throughput = len(floor.latencies) / floor.wall
        statuses = ", ".join(f"{status}x{count}" for status, count in sorted(scenario.statuses.items()))
        if len(scenario.latencies) == 1:
            # One whole-table export: its figures are in the line under the table.
            return f"| {scenario.name} | | {p50:.1f} | | | {scenario.peak_rss_mb:.0f} | {statuses} |"
        return (
            f"| {scenario.name} | {throughput:.1f} ({throughput / floor_throughput:.2f}x) "
            f"| {p50:.1f} ({p50 / f50:.2f}x) | {p95:.1f} ({p95 / f95:.2f}x) | {p99:.1f} ({p99 / f99:.2f}x) "
            f"| {scenario.peak_rss_mb:.0f} | {statuses} |"
        )

    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (bench/run.py); numbers from one run on the machine below.",
        "Each figure is followed, in brackets, by itself divided by the floor's measured in the",
        "same run: the floor is bench/baseline_app.py, the first page of 100 events from hand-written",
        "SQL, psycopg and orjson with no framework, serving byte-identical JSON. Latencies are in ms",
        "at the client; throughput in requests per second; memory is the largest peak resident set",
        "(VmHWM) of any API worker up to the end of that scenario.",
        "",
        "## Machine and data",
        "",
        *(f"- {key}: {value}" for key, value in context.items()),
        "",
        "## Results",
        "",
        "| scenario | throughput (req/s) | p50 ms | p95 ms | p99 ms | peak RSS/worker MiB | statuses |",
        "|---|---|---|---|---|---|---|",
        row(floor).replace(f"| {floor.name} |", f"| **floor**: {floor.name} |", 1),
        *(row(scenario) for scenario in measured),
        "",
        f"![latency of each scenario beside the floor]({chart.name})",
        "",
        *(exports(scenario) for scenario in measured if scenario.accept == "text/csv" and scenario.wall),
    ]
    path.write_text("\n".join(lines))


def draw_chart(chart: Path, measured: list[Scenario], floor: Scenario) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = [scenario for scenario in measured if len(scenario.latencies) > 1]
    names = [scenario.name for scenario in shown]
    figure, axes = plt.subplots(figsize=(11, 0.55 * len(shown) + 1.8))
    positions = range(len(shown))
    for offset, share, colour in ((-0.25, 0.5, "#4c72b0"), (0, 0.95, "#dd8452"), (0.25, 0.99, "#c44e52")):
        axes.barh(
            [position + offset for position in positions],
            [percentile(scenario.latencies, share) for scenario in shown],
            height=0.25,
            color=colour,
            label=f"p{round(share * 100)}",
        )
    for share, style in ((0.5, "-"), (0.99, "--")):
        axes.axvline(
            percentile(floor.latencies, share),
            color="black",
            linestyle=style,
            label=f"floor p{round(share * 100)}",
        )
    axes.set_yticks(list(positions), names)
    axes.invert_yaxis()
    axes.set_xscale("log")
    axes.set_xlabel("latency at the client, ms (log scale)")
    axes.legend(loc="lower right")
    axes.set_title("API latency per scenario beside the floor (hand-written SQL + orjson)")
    figure.tight_layout()
    figure.savefig(chart, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument(
        "--events", type=int, default=1_000_000, help="Events to seed when the database has none."
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=200, help="Requests per scenario.")
    parser.add_argument("--concurrency", type=int, default=4, help="Client threads.")
    parser.add_argument(
        "--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers."
    )
    parser.add_argument("--deep-pages", type=int, default=50, help="Pages walked for the deep cursor.")
    parser.add_argument(
        "--csv-days",
        type=int,
        default=0,
        help="Export only the last N days of events (default: the whole table).",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    options = parser.parse_args()
    if not options.database_url.startswith("postgres"):
        parser.error("the benchmark runs on PostgreSQL: give a postgres:// --database-url")

    ensure_database(options.database_url)
    django_setup(options.database_url)
    seeded_in = ensure_seeded(options.events, options.seed)
    from events.models import Event

    event_count = Event.objects.count()
    token = editor_token()

    runtime = Path(tempfile.mkdtemp(prefix="eventsapi-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": options.database_url,
        "GUNICORN_WORKERS": str(options.workers),
        "GUNICORN_TIMEOUT": "900",
        "GUNICORN_MAX_REQUESTS": "0",
        "EVENTSAPI_THROTTLE_ANON": "1000000/minute",
        "EVENTSAPI_THROTTLE_USER": "1000000/minute",
        "EVENTSAPI_VAR_DIR": str(runtime),
        "LOG_LEVEL": "WARNING",
    }
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
        client = Client()
        base = "/api/v1"
        deep = walk(client, API_PORT, f"{base}/events/?page_size=100", options.deep_pages)
        plan = scenarios(base, deep, options.csv_days)
        floor = Scenario("events: first page (100), hand-written", f"{base}/events/?page_size=100")
        read = {"Accept": "application/json"}
        write = {**read, "Content-Type": "application/json", "Authorization": f"Token {token}"}
        # The floor first and last, so a drift in the machine's speed shows; the later run counts.
        run(floor, BASELINE_PORT, read, client, options.requests, options.concurrency)
        first_floor_p50 = percentile(floor.latencies, 0.5)
        context = {
            **machine(),
            "events in the database": f"{event_count:,}",
            "seeding": f"{seeded_in:.0f} s (this run)" if seeded_in else "already seeded before this run",
            "gunicorn": f"{options.workers} sync workers each for the API and the floor",
            "load": f"{options.requests} requests per scenario (CSV export: 1), "
            f"{options.concurrency} client threads",
            "floor p50 at the start of the run": f"{first_floor_p50:.1f} ms",
            "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        }
        chart = options.out.parent / "latency.png"
        for scenario in plan:
            headers = {**(write if scenario.method == "POST" else read), "Accept": scenario.accept}
            print(f"{scenario.name} ...", flush=True)
            scenario.rss_before_mb = peak_rss_mb(worker_pids(api))
            run(scenario, API_PORT, headers, client, options.requests, options.concurrency)
            scenario.peak_rss_mb = peak_rss_mb(worker_pids(api))
            p50, p99 = percentile(scenario.latencies, 0.5), percentile(scenario.latencies, 0.99)
            print(f"  p50 {p50:.1f} ms, p99 {p99:.1f} ms, {scenario.statuses}", flush=True)
            # Written as it goes, so a long run that is stopped still leaves what it measured.
            write_results(options.out, chart, [done for done in plan if done.latencies], floor, context)
        floor.latencies.clear()
        run(floor, BASELINE_PORT, read, client, options.requests, options.concurrency)
        floor.peak_rss_mb = peak_rss_mb(worker_pids(baseline))
        draw_chart(chart, plan, floor)
        write_results(options.out, chart, plan, floor, context)
        print(f"Wrote {options.out} and {chart}")
    finally:
        for server in (api, baseline):
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)


if __name__ == "__main__":
    main()
