"""Concurrent writers against the API: the embedded SQLite default beside PostgreSQL.

    .venv/bin/python -m bench.sqlite_writers [--writers 1 2 4 16] [--seconds 15] [--readers 2]
        [--database-url sqlite] [--database-url postgres://postgres@127.0.0.1:5432/eventsapi_sqlite_bench]

For each database and each writer count it starts a fresh production-like gunicorn
(``tests.live_server.live_api``: DEBUG off, gunicorn.conf.py's default layout of 2 x cores + 1
sync workers with one thread each) and drives it from a separate load-generator process, so
the client's threads do not share a GIL with the server. Each writer thread runs a closed loop
for ``--seconds`` (after ``--warmup`` seconds that are not counted) of the writes an editor
makes: POST a place, actor or source with a unique name or url, PATCH one of its own with
If-Match, DELETE one of its own with If-Match (about 2:2:1). ``--readers`` threads read list
pages meanwhile, anonymously. Every request's latency (at the client, connection included)
and status is kept; the report gives successful writes per second, p50/p95/p99/max per
operation and overall, every status that is not the expected one, and any 5xx or
``database is locked`` in the server's log, which are also printed loudly (exit status 1).

``--database-url`` may be given more than once; ``sqlite`` (the default's first value) is a
fresh migrated SQLite file per run, in WAL mode with the settings' 20 s busy timeout. A
``postgres://`` database is created when missing and migrated. With SQLite, a last step holds
SQLite's write lock from outside for longer than the busy timeout and records what the API
answers a write (and a read) meanwhile (``--no-lock-probe`` skips it).

The results go to bench/SQLITE_WRITERS.md. Only loopback addresses are used; each
measurement is bounded by ``--warmup + --seconds`` plus the slowest request in flight.
"""

import argparse
import atexit
import contextlib
import datetime
import http.client
import json
import multiprocessing
import os
import platform
import random
import re
import shlex
import shutil
import sqlite3
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

from bench.run import ensure_database, percentile

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/eventsapi_sqlite_bench"
SQLITE = "sqlite"
# What each operation answers when it works; anything else is counted as an error.
EXPECTED = {"create": 201, "update": 200, "delete": 204, "read": 200}
WRITE_OPS = ("create", "update", "delete")
RESOURCES = ("places", "actors", "sources")
# Client-side timeout: above the busy timeout (20 s) and gunicorn's worker timeout.
CLIENT_TIMEOUT = 90
# Server log lines that mean a request failed (or nearly did) inside the server.
ALARMS = re.compile(
    r"database is locked|Traceback|WORKER TIMEOUT|Internal Server Error|OperationalError"
    r"|\[(ERROR|CRITICAL)\]|\"level\": \"(ERROR|CRITICAL)\"|\"status\": 5\d\d\b"
)
EDITOR = "bench-sqlite-writer"
CREATE_EDITOR = f"""
from django.contrib.auth.models import Group, User
from knox.models import AuthToken
from eventsapi.api.permissions import EDITORS_GROUP
user, _ = User.objects.get_or_create(username={EDITOR!r})
user.groups.add(Group.objects.get_or_create(name=EDITORS_GROUP)[0])
print(AuthToken.objects.create(user)[1])
"""
# Throttling is not what is measured: one token makes every write, far above 5000/minute.
SERVER_ENV = {"EVENTSAPI_THROTTLE_ANON": "1000000/minute", "EVENTSAPI_THROTTLE_USER": "1000000/minute"}


class Sample(NamedTuple):
    """One request: who sent it, what it was, when it started (s after the load began)."""

    role: str  # "write" or "read"
    op: str  # create, update, delete, read
    resource: str
    started: float
    latency_ms: float
    status: int  # 0: no HTTP answer (``error`` says why)
    error: str = ""


# Load generator (runs in its own process) --------------------------------------------------


class Client:
    """One connection per thread; gunicorn's sync workers close it after each response."""

    def __init__(self, host: str, port: int, token: str | None = None):
        self.host, self.port, self.token = host, port, token
        self.connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: dict | None = None, headers: dict | None = None):
        """(status, headers, body); status 0 and the error when no answer came."""
        headers = {"Accept": "application/json", **(headers or {})}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=CLIENT_TIMEOUT)
        try:
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
            return response.status, dict(response.getheaders()), content, ""
        except (OSError, http.client.HTTPException) as error:
            # No retry: a POST sent again might be a second write.
            self.connection.close()
            self.connection = None
            return 0, {}, b"", f"{type(error).__name__}: {error}"


def create_body(resource: str, tag: str, rng: random.Random) -> dict:
    if resource == "places":
        return {
            "name": f"Bench place {tag}",
            "kind": "locality",
            "country_code": "AF",
            "latitude": round(rng.uniform(29.5, 38.5), 4),
            "longitude": round(rng.uniform(60.5, 74.9), 4),
        }
    if resource == "actors":
        return {"name": f"Bench actor {tag}", "kind": rng.choice(["person", "organization"])}
    return {"url": f"https://news.example.org/bench/{tag}", "kind": "article", "title": f"Report {tag}"}


def update_body(resource: str, tag: str) -> dict:
    if resource == "places":
        return {"alternate_names": [f"Alt {tag}"]}
    if resource == "actors":
        return {"description": f"Edited {tag}."}
    return {"title": f"Edited report {tag}"}


def version_of(headers: dict, content: bytes) -> int | None:
    etag = {name.lower(): value for name, value in headers.items()}.get("etag", "")
    with contextlib.suppress(ValueError):
        return int(etag.strip('W/"'))
    with contextlib.suppress(ValueError, TypeError, AttributeError):
        return int(json.loads(content)["version"])
    return None


def choose_op(rng: random.Random, owned: int) -> str:
    """Creates, updates and deletes about 2:2:1, touching only what this writer made."""
    if owned < 2:
        return "create"
    return rng.choices(WRITE_OPS, weights=(2, 2, 1))[0]


def writer_loop(client: Client, index: int, run_id: str, t0: float, end: float, seed: int) -> list[Sample]:
    rng = random.Random(seed * 1000 + index)
    owned: list[list] = []  # [resource, id, version]
    samples = []
    number = 0
    while time.perf_counter() < end:
        number += 1
        tag = f"{run_id}-{index}-{number}"
        op = choose_op(rng, len(owned))
        if op == "create":
            resource = rng.choice(RESOURCES)
            method, path, body, headers, item = "POST", f"/api/v1/{resource}/", None, {}, None
            body = create_body(resource, tag, rng)
        else:
            item = owned.pop(rng.randrange(len(owned))) if op == "delete" else rng.choice(owned)
            resource, pk, version = item
            path, headers = f"/api/v1/{resource}/{pk}/", {"If-Match": f'"{version}"'}
            method, body = ("PATCH", update_body(resource, tag)) if op == "update" else ("DELETE", None)
        started = time.perf_counter()
        status, answer_headers, content, error = client.request(method, path, body, headers)
        latency = (time.perf_counter() - started) * 1000
        if status != EXPECTED[op] and not error:
            error = content[:300].decode(errors="replace")
        samples.append(Sample("write", op, resource, started - t0, latency, status, error))
        if op == "create" and status == 201:
            owned.append([resource, json.loads(content)["id"], version_of(answer_headers, content)])
        elif op == "update" and status == 200:
            item[2] = version_of(answer_headers, content)
        elif op == "update" and status == 412:
            owned.remove(item)  # cannot happen (only this thread writes it); do not repeat it
    return samples


def reader_loop(client: Client, index: int, t0: float, end: float, interval: float) -> list[Sample]:
    """A list page every ``interval`` seconds (0: back to back), so readers take little of the CPU."""
    samples = []
    number = index
    next_start = time.perf_counter()
    while (now := time.perf_counter()) < end:
        if now < next_start:
            time.sleep(min(next_start - now, end - now))
            continue
        next_start = max(next_start + interval, now)
        resource = ("places", "events", "sources", "actors")[number % 4]
        number += 1
        started = time.perf_counter()
        status, _headers, content, error = client.request("GET", f"/api/v1/{resource}/?page_size=20")
        latency = (time.perf_counter() - started) * 1000
        if status != 200 and not error:
            error = content[:300].decode(errors="replace")
        samples.append(Sample("read", "read", resource, started - t0, latency, status, error))
    return samples


def generate_load(
    url: str,
    token: str,
    writers: int,
    readers: int,
    warmup: float,
    seconds: float,
    seed: int,
    read_interval: float = 0.0,
) -> list[Sample]:
    """Run every thread until ``warmup + seconds`` have passed; return every request made."""
    split = urlsplit(url)
    assert split.hostname in {"127.0.0.1", "localhost", "::1"}, "loopback addresses only"
    run_id = uuid.uuid4().hex[:8]
    t0 = time.perf_counter()
    end = t0 + warmup + seconds
    with ThreadPoolExecutor(writers + readers) as pool:
        futures = [
            pool.submit(writer_loop, Client(split.hostname, split.port, token), i, run_id, t0, end, seed)
            for i in range(writers)
        ] + [
            pool.submit(reader_loop, Client(split.hostname, split.port), i, t0, end, read_interval)
            for i in range(readers)
        ]
        return [sample for future in futures for sample in future.result()]


def run_load_in_another_process(*args) -> list[Sample]:
    # spawn: a fresh interpreter, so its GIL and memory are its own, whatever the parent holds.
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(generate_load, args)


# Summary and report (pure) ----------------------------------------------------------------


@dataclass
class OpStats:
    op: str
    count: int
    ok: int
    p50: float
    p95: float
    p99: float
    max: float
    statuses: dict[str, int]


@dataclass
class RunResult:
    database: str
    writers: int
    readers: int
    wall: float
    writes_ok: int
    writes_per_s: float
    ops: dict[str, OpStats]
    # Every answer that was not the expected one, "op status" -> count (0: no answer).
    errors: dict[str, int] = field(default_factory=dict)
    error_examples: list[str] = field(default_factory=list)
    log_alarms: list[str] = field(default_factory=list)
    # The share of both cores busy in the second before the server started (other work).
    cpu_busy_before: float | None = None
    # The server's own time for writes (gunicorn's access log; warm-up included): the rest of
    # the latency at the client is the wait for a free worker.
    server_write_p50: float | None = None
    server_write_p99: float | None = None

    @property
    def server_errors(self) -> int:
        return sum(n for key, n in self.errors.items() if key.split()[-1].startswith("5")) + len(
            self.log_alarms
        )


def op_stats(op: str, samples: list[Sample]) -> OpStats:
    latencies = [sample.latency_ms for sample in samples]
    statuses: dict[str, int] = {}
    for sample in samples:
        statuses[str(sample.status)] = statuses.get(str(sample.status), 0) + 1
    ok = sum(1 for sample in samples if sample.status == EXPECTED[sample.op])
    if not latencies:
        return OpStats(op, 0, 0, 0.0, 0.0, 0.0, 0.0, {})
    p50, p95, p99 = (percentile(latencies, share) for share in (0.5, 0.95, 0.99))
    return OpStats(op, len(samples), ok, p50, p95, p99, max(latencies), dict(sorted(statuses.items())))


def summarize(
    database: str, writers: int, readers: int, samples: list[Sample], warmup: float, log_alarms=()
) -> RunResult:
    """Keep the requests that started after the warm-up; writes/s is successes over the wall time."""
    counted = [sample for sample in samples if sample.started >= warmup]
    ends = [sample.started + sample.latency_ms / 1000 for sample in counted]
    wall = max(ends, default=warmup) - warmup
    writes = [sample for sample in counted if sample.role == "write"]
    reads = [sample for sample in counted if sample.role == "read"]
    ops = {op: op_stats(op, [s for s in writes if s.op == op]) for op in WRITE_OPS}
    ops["all writes"] = op_stats("all writes", writes)
    if reads:
        ops["read"] = op_stats("read", reads)
    errors: dict[str, int] = {}
    examples: list[str] = []
    for sample in counted:
        if sample.status != EXPECTED[sample.op]:
            key = f"{sample.op} {sample.status}"
            errors[key] = errors.get(key, 0) + 1
            if errors[key] == 1:
                examples.append(f"{key}: {sample.error[:200]}")
    writes_ok = ops["all writes"].ok
    return RunResult(
        database=database,
        writers=writers,
        readers=readers,
        wall=wall,
        writes_ok=writes_ok,
        writes_per_s=writes_ok / wall if wall > 0 else 0.0,
        ops=ops,
        errors=dict(sorted(errors.items())),
        error_examples=examples,
        log_alarms=list(log_alarms),
    )


def condensed(line: str) -> str:
    """A log line, short: a JSON record's time, level, logger, message and the exception's last line."""
    try:
        record = json.loads(line)
    except ValueError:
        return line.strip()[:400]
    if not isinstance(record, dict):
        return line.strip()[:400]
    text = " ".join(str(record.get(key, "")) for key in ("time", "level", "logger", "message"))
    exception = str(record.get("exc_info") or "").strip().splitlines()
    return f"{text} | {exception[-1]}" if exception else text


def scan_log(text: str, limit: int = 20) -> list[str]:
    """The server log's lines that say a request failed inside the server, condensed (at most ``limit``)."""
    return [condensed(line) for line in text.splitlines() if ALARMS.search(line)][:limit]


def server_write_latencies(text: str) -> list[float]:
    """The server's own duration (gunicorn access log, ms) of each API write in the log."""
    durations = []
    for line in text.splitlines():
        with contextlib.suppress(ValueError, TypeError, KeyError):
            record = json.loads(line)
            if record["method"] in {"POST", "PATCH", "DELETE"} and record["path"].startswith("/api/"):
                durations.append(float(record["duration_ms"]))
    return durations


def _ms(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def summary_table(results: list[RunResult]) -> list[str]:
    lines = [
        "| database | writers | readers | writes/s (ok) | write p50 ms | write p95 ms | write p99 ms "
        "| write max ms | in-server write p50 / p99 ms | reads p99 ms | errors |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        writes = result.ops["all writes"]
        read = result.ops.get("read")
        errors = ", ".join(f"{key} x{n}" for key, n in result.errors.items()) or "none"
        if result.log_alarms:
            errors += f"; **{len(result.log_alarms)} alarming server-log lines**"
        in_server = "n/a"
        if result.server_write_p50 is not None and result.server_write_p99 is not None:
            in_server = f"{_ms(result.server_write_p50)} / {_ms(result.server_write_p99)}"
        lines.append(
            f"| {result.database} | {result.writers} | {result.readers} | {result.writes_per_s:.1f} "
            f"| {_ms(writes.p50)} | {_ms(writes.p95)} | {_ms(writes.p99)} | {_ms(writes.max)} "
            f"| {in_server} | {_ms(read.p99) if read else 'n/a'} | {errors} |"
        )
    return lines


def operations_table(results: list[RunResult]) -> list[str]:
    lines = [
        "| database | writers | operation | requests | ok | p50 ms | p95 ms | p99 ms | max ms | statuses |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        for stats in result.ops.values():
            statuses = ", ".join(f"{status} x{n}" for status, n in stats.statuses.items())
            lines.append(
                f"| {result.database} | {result.writers} | {stats.op} | {stats.count} | {stats.ok} "
                f"| {_ms(stats.p50)} | {_ms(stats.p95)} | {_ms(stats.p99)} | {_ms(stats.max)} | {statuses} |"
            )
    return lines


def comparison(results: list[RunResult]) -> list[str]:
    """SQLite beside PostgreSQL at each writer count, and each database from its fewest writers up."""
    found = {(result.database, result.writers): result for result in results}
    lines = []
    for writers in sorted({result.writers for result in results}):
        sqlite, postgres = found.get(("SQLite", writers)), found.get(("PostgreSQL", writers))
        if sqlite and postgres and postgres.writes_per_s and postgres.ops["all writes"].p99:
            lines.append(
                f"- {writers} writer{'s' if writers != 1 else ''}: SQLite {sqlite.writes_per_s:.1f} "
                "writes/s, write p99 "
                f"{_ms(sqlite.ops['all writes'].p99)} ms; PostgreSQL {postgres.writes_per_s:.1f} writes/s, "
                f"write p99 {_ms(postgres.ops['all writes'].p99)} ms. SQLite: "
                f"{sqlite.writes_per_s / postgres.writes_per_s:.2f}x the throughput, "
                f"{sqlite.ops['all writes'].p99 / postgres.ops['all writes'].p99:.1f}x the p99."
            )
    for database in ("SQLite", "PostgreSQL"):
        runs = sorted((result for result in results if result.database == database), key=lambda r: r.writers)
        if len(runs) > 1:
            counts = ", ".join(str(run.writers) for run in runs)
            rates = ", ".join(f"{run.writes_per_s:.1f}" for run in runs)
            p99s = ", ".join(_ms(run.ops["all writes"].p99) for run in runs)
            lines.append(f"- {database} at {counts} writers: {rates} writes/s; write p99 {p99s} ms.")
    return lines


def write_report(
    path: Path, results: list[RunResult], context: dict, probe: dict | None = None, notes: list[str] = ()
) -> str:
    lines = [
        "# Concurrent writers: the embedded SQLite default beside PostgreSQL",
        "",
        "Written by `make bench-sqlite` (bench/sqlite_writers.py); one run on the machine below.",
        "Each row is a fresh gunicorn (production layout, below) driven for a fixed time by a",
        "separate load-generator process: N writer threads in closed loops (each sends its next",
        "write as soon as the last is answered) doing the writes an editor makes, creates of",
        "places, actors and sources, PATCH with If-Match and DELETE with If-Match of what that",
        "thread created (about 2:2:1), beside anonymous readers of list pages. Latencies are at",
        "the client, in ms, from sending the request to the last byte of the answer (connection",
        "set-up and the wait for a free gunicorn worker included). *writes/s* counts the writes",
        "answered as expected (201, 200, 204) per second of the measured window; *errors* lists",
        "every other answer by operation and status (0: no HTTP answer at all).",
        "",
        "## Machine and run",
        "",
        *(f"- {key}: {value}" for key, value in context.items()),
        "",
        "## Results",
        "",
        *summary_table(results),
        "",
        *comparison(results),
        "",
        "### Per operation",
        "",
        *operations_table(results),
        "",
    ]
    failing = [result for result in results if result.errors or result.log_alarms]
    lines += ["## Errors and server log", ""]
    if not failing:
        lines += [
            "No request failed: every write was answered 201/200/204 and every read 200, and no",
            "server log had a 5xx, a traceback, a worker timeout or `database is locked`.",
            "",
        ]
    for result in failing:
        lines.append(f"**{result.database}, {result.writers} writers:**")
        lines += [f"- `{example}`" for example in result.error_examples]
        lines += [f"- server log: `{line}`" for line in result.log_alarms]
        lines.append("")
    if probe:
        lines += [
            "## At the limit: a write that waits longer than the busy timeout",
            "",
            *probe["text"],
            "",
        ]
    if notes:
        lines += ["## What the numbers mean", "", *notes, ""]
    text = "\n".join(lines)
    path.write_text(text)
    return text


# Running the servers ---------------------------------------------------------------------


def machine(database_urls: list[str]) -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "?")
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    memory_kb = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal"))
    import gunicorn

    context = {
        "CPU": cpu,
        "cores": os.cpu_count(),
        "RAM": f"{memory_kb / 1024 / 1024:.1f} GiB",
        "Python": platform.python_version(),
        "SQLite library": sqlite3.sqlite_version,
        "gunicorn": gunicorn.__version__,
        "OS": platform.platform(),
    }
    for url in database_urls:
        if url.startswith("postgres"):
            import psycopg

            with psycopg.connect(url) as connection:
                context["PostgreSQL"] = connection.execute("SHOW server_version").fetchone()[0]
    return context


def prepare_postgres(url: str, folder: Path) -> str:
    """Create and migrate the database; an editor's token."""
    from tests.live_server import manage, server_environment

    ensure_database(url)
    env = server_environment(url, folder)
    manage("migrate", "--no-input", "-v0", env=env, timeout=300)
    return manage("shell", "-c", CREATE_EDITOR, env=env).strip().splitlines()[-1]


def cpu_busy(seconds: float) -> float | None:
    """The share of all cores busy over ``seconds`` (/proc/stat), or None off Linux."""

    def sample() -> tuple[int, int]:
        fields = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
        return sum(fields[:8]), idle

    try:
        total_before, idle_before = sample()
        time.sleep(seconds)
        total_after, idle_after = sample()
    except (OSError, ValueError, IndexError):
        return None
    total = total_after - total_before
    return 1 - (idle_after - idle_before) / total if total else None


def scratch_folder(prefix: str) -> Path:
    """A temporary folder (database copy, server log), removed when the program exits."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def label(url: str) -> str:
    return "SQLite" if url == SQLITE else "PostgreSQL"


def measure(url: str, writers: int, options, pg_token: str | None) -> RunResult:
    from tests.live_server import live_api, migrated_sqlite_copy

    folder = scratch_folder("eventsapi-sqlite-writers-")
    if url == SQLITE:
        database_url, token = migrated_sqlite_copy(folder)
    else:
        database_url, token = url, pg_token
    busy = cpu_busy(1.0)
    with live_api(
        database_url, folder, workers=options.workers, threads=options.threads, extra_env=SERVER_ENV
    ) as server:
        samples = run_load_in_another_process(
            server.url,
            token,
            writers,
            options.readers,
            options.warmup,
            options.seconds,
            options.seed,
            options.read_interval,
        )
        time.sleep(0.5)  # let the last log lines reach the file
        log = server.log()
    result = summarize(label(url), writers, options.readers, samples, options.warmup, scan_log(log))
    result.cpu_busy_before = busy
    in_server = server_write_latencies(log)
    if in_server:
        result.server_write_p50 = percentile(in_server, 0.5)
        result.server_write_p99 = percentile(in_server, 0.99)
    return result


def lock_probe(options) -> dict:
    """Hold SQLite's write lock from outside past the busy timeout; what do a write and a read get?"""
    from tests.live_server import live_api, migrated_sqlite_copy

    folder = scratch_folder("eventsapi-sqlite-lock-")
    database_url, token = migrated_sqlite_copy(folder)
    body = {"name": "Waits for the lock", "kind": "locality"}
    with live_api(database_url, folder, workers=options.workers, extra_env=SERVER_ENV) as server:

        def timed(*args, **kwargs):
            started = time.perf_counter()
            answer = server.request(*args, timeout=CLIENT_TIMEOUT, **kwargs)
            return answer, time.perf_counter() - started

        holder = sqlite3.connect(folder / "db.sqlite3", isolation_level=None, timeout=1)
        holder.execute("BEGIN IMMEDIATE")
        try:
            with ThreadPoolExecutor(2) as pool:
                write = pool.submit(timed, "POST", "/api/v1/places/", body, token=token)
                time.sleep(0.5)
                read = pool.submit(timed, "GET", "/api/v1/places/?page_size=5")
                write_answer, write_seconds = write.result()
                read_answer, read_seconds = read.result()
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        after_answer, after_seconds = timed("POST", "/api/v1/places/", body, token=token)
        time.sleep(0.5)
        log = server.log()
    log_lines = scan_log(log, limit=200)
    locked = [line for line in log_lines if "database is locked" in line]
    content_type = write_answer.headers.get("Content-Type", "")
    text = [
        "bench/sqlite_writers.py's last step: a fresh SQLite server; another connection takes the",
        "write lock (`BEGIN IMMEDIATE`) and keeps it while one editor POSTs a place and an anonymous",
        "client reads a list page; then the lock is released and the same POST is sent again.",
        "",
        f"- the write, while the lock was held: **{write_answer.status}** after "
        f"{write_seconds:.1f} s (`{content_type}`): `{write_answer.body[:300].decode(errors='replace')}`",
        f"- the read, meanwhile: **{read_answer.status}** in {read_seconds * 1000:.0f} ms "
        "(WAL: readers do not wait for the writer)",
        f"- the same write once the lock was released: **{after_answer.status}** in "
        f"{after_seconds * 1000:.0f} ms",
        f"- server log: {len(log_lines)} alarming lines, {len(locked)} with `database is locked`; "
        "the first ones:",
        "",
        "```",
        *[line[:300] for line in log_lines[:6]],
        "```",
    ]
    return {
        "write_status": write_answer.status,
        "write_seconds": write_seconds,
        "read_status": read_answer.status,
        "read_ms": read_seconds * 1000,
        "after_status": after_answer.status,
        "locked_lines": len(locked),
        "text": text,
    }


NOTES = [
    "- SQLite has one writer at a time. A write request's transaction (`BEGIN IMMEDIATE`, then the",
    "  whole view: validation, the row, its history row, the response) holds the database's write",
    "  lock; other writers wait in SQLite's busy handler, which does not queue them but sleeps and",
    "  retries (sleeps growing to 100 ms), for up to the 20 s busy timeout. Past one or two writers,",
    "  more writers add waiting, not throughput, and the lock can sit free while the waiters sleep:",
    "  compare writes/s and p99 across the writer counts. PostgreSQL locks rows, so writes to",
    "  different rows go side by side; here its writes/s is bounded by the 2 cores' CPU.",
    "- With gunicorn's default layout (2 x cores + 1 sync workers, one request each) at most that",
    "  many requests are inside the server at once; further writers wait in the listen queue. The",
    "  latency at the client includes both waits; *in-server* is gunicorn's own duration (access",
    "  log, warm-up included): with SQLite its tail is the wait for the lock, inside the server.",
    "- Readers are not blocked by the writer (WAL; the last section shows a read answered while a",
    "  write lock is held). Under load their latency grows with the wait for a free worker behind",
    "  the writers and with the CPU the writes take, on PostgreSQL as well.",
    "- A write that waits longer than the busy timeout fails (the last section shows the answer);",
    "  whether any write of the runs above did is under *Errors and server log*.",
    "- The machine is shared with other work: how busy its CPU was in the second before each run",
    "  is in the context above. SQLite and PostgreSQL runs alternate so that both meet the same",
    "  background. Numbers from one run: orders of magnitude, not the last percent.",
]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--writers", type=int, nargs="+", default=[1, 2, 4, 16], help="Writer counts to run.")
    parser.add_argument("--seconds", type=float, default=15, help="Measured seconds per run.")
    parser.add_argument("--warmup", type=float, default=2, help="Seconds of load not counted, first.")
    parser.add_argument("--readers", type=int, default=2, help="Reader threads beside the writers.")
    parser.add_argument(
        "--read-interval",
        type=float,
        default=0.25,
        help="Seconds between a reader's requests (0: closed loop).",
    )
    parser.add_argument(
        "--database-url",
        action="append",
        help=f"'{SQLITE}' (a fresh SQLite file per run) or a postgres:// URL; may be repeated "
        f"(default: {SQLITE} and {DEFAULT_POSTGRES_URL}).",
    )
    parser.add_argument(
        "--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers."
    )
    parser.add_argument("--threads", type=int, default=1, help="Threads per gunicorn worker.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-lock-probe", action="store_true", help="Skip the busy-timeout step.")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "SQLITE_WRITERS.md")
    options = parser.parse_args()
    urls = options.database_url or [SQLITE, DEFAULT_POSTGRES_URL]
    for url in urls:
        if url != SQLITE:
            split = urlsplit(url)
            if split.scheme not in {"postgres", "postgresql"} or split.hostname not in {
                "127.0.0.1",
                "localhost",
            }:
                parser.error(f"--database-url: {SQLITE} or a postgres:// URL on the loopback, not {url}")

    pg_tokens = {
        url: prepare_postgres(url, scratch_folder("eventsapi-pg-prepare-")) for url in urls if url != SQLITE
    }
    context = machine(urls)
    context.update(
        {
            "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "command": "`"
            + shlex.join([".venv/bin/python", "-m", "bench.sqlite_writers", *sys.argv[1:]])
            + "`",
            "server": f"gunicorn.conf.py with {options.workers} sync workers x {options.threads} thread(s) "
            "(the default for this machine: 2 x cores + 1), DEBUG off, started by "
            "tests.live_server.live_api; throttling raised out of the way",
            "SQLite": "a fresh migrated file per run: WAL, synchronous=NORMAL, 20 s busy timeout, "
            "IMMEDIATE transactions (eventsapi/settings.py)",
            "load": f"{options.warmup:g} s warm-up (not counted), then {options.seconds:g} s measured; "
            f"{options.readers} reader threads, each a list page every {options.read_interval:g} s; "
            "one load-generator process (spawned), on the same 2 cores as the server",
        }
    )
    results: list[RunResult] = []
    # Interleaved (SQLite then PostgreSQL at each writer count), so both meet the same other
    # work on the machine; the table lists them by database.
    for writers in options.writers:
        for url in urls:
            print(f"{label(url)}, {writers} writers, {options.readers} readers ...", flush=True)
            result = measure(url, writers, options, pg_tokens.get(url))
            results.append(result)
            results.sort(key=lambda done: (done.database != "SQLite", done.writers))
            busy = "n/a" if result.cpu_busy_before is None else f"{result.cpu_busy_before:.0%}"
            context[f"CPU busy (other work) in the second before {result.database}, {writers} writers"] = busy
            writes = result.ops["all writes"]
            print(
                f"  {result.writes_per_s:.1f} writes/s, p50 {writes.p50:.0f} ms, p99 {writes.p99:.0f} ms, "
                f"max {writes.max:.0f} ms; errors {result.errors or 'none'}",
                flush=True,
            )
            if result.server_errors or result.log_alarms:
                print(f"!!! {result.database}, {writers} writers: SERVER ERRORS", file=sys.stderr)
                for line in result.error_examples + result.log_alarms:
                    print(f"!!!   {line}", file=sys.stderr)
            write_report(options.out, results, context, notes=NOTES)
    probe = None
    if SQLITE in urls and not options.no_lock_probe:
        print("SQLite: a write that waits longer than the busy timeout ...", flush=True)
        probe = lock_probe(options)
        print(
            f"  write {probe['write_status']} after {probe['write_seconds']:.1f} s, "
            f"read {probe['read_status']} in {probe['read_ms']:.0f} ms, then {probe['after_status']}",
            flush=True,
        )
    write_report(options.out, results, context, probe, NOTES)
    print(f"Wrote {options.out}")
    if any(result.server_errors or result.log_alarms for result in results):
        print("!!! Some requests failed inside the server: see the report's errors.", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
