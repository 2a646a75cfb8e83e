"""bench/sqlite_writers.py's pure parts: the summary of the samples, the log scan, the report."""

import json
import random
from pathlib import Path

from bench.run import percentile
from bench.sqlite_writers import (
    Sample,
    choose_op,
    scan_log,
    server_write_latencies,
    summarize,
    write_report,
)


def write(op: str, started: float, latency_ms: float, status: int, error: str = "") -> Sample:
    return Sample("write", op, "places", started, latency_ms, status, error)


def read(started: float, latency_ms: float) -> Sample:
    return Sample("read", "read", "events", started, latency_ms, 200)


def test_the_summary_counts_successes_after_the_warm_up_over_the_wall_time():
    samples = [
        write("create", 0.5, 999_000.0, 500),  # during the warm-up: not counted
        *(write("create", 1.0 + n / 100, float(n), 201) for n in range(1, 101)),
        write("update", 2.0, 50.0, 200),
        write("update", 2.5, 20_000.0, 500, "Internal Server Error"),
        write("delete", 3.0, 100.0, 204),
        write("delete", 3.5, 5.0, 0, "ConnectionResetError: reset"),
        read(1.5, 7.0),
    ]

    result = summarize("SQLite", 4, 1, samples, warmup=1.0)

    # The window ends with the slowest answer: the update sent at 2.5 s answered at 22.5 s.
    assert result.wall == 21.5
    assert result.writes_ok == 102
    assert result.writes_per_s == 102 / 21.5
    creates = result.ops["create"]
    assert (creates.count, creates.ok, creates.p50, creates.p99, creates.max) == (100, 100, 50.0, 99.0, 100.0)
    assert result.ops["all writes"].count == 104
    assert result.ops["all writes"].p99 == percentile([s.latency_ms for s in samples[1:-1]], 0.99)
    assert result.ops["read"].p99 == 7.0
    assert result.errors == {"delete 0": 1, "update 500": 1}
    assert "update 500: Internal Server Error" in result.error_examples
    assert result.server_errors == 1


def test_without_readers_there_is_no_read_row():
    result = summarize("PostgreSQL", 1, 0, [write("create", 0.0, 10.0, 201)], warmup=0.0)

    assert "read" not in result.ops
    assert result.errors == {}
    assert result.server_errors == 0


def test_a_writer_creates_first_then_mixes_creates_updates_and_deletes():
    rng = random.Random(1)

    assert {choose_op(rng, owned) for owned in (0, 1) for _ in range(20)} == {"create"}
    ops = [choose_op(rng, 5) for _ in range(5000)]
    assert 0.35 < ops.count("create") / 5000 < 0.45
    assert 0.35 < ops.count("update") / 5000 < 0.45
    assert 0.15 < ops.count("delete") / 5000 < 0.25


def test_the_log_scan_finds_5xx_tracebacks_and_locked_databases_in_json_lines():
    error = {
        "time": "10:01:23",
        "level": "ERROR",
        "logger": "django.request",
        "message": "Internal Server Error: /api/v1/places/",
        "exc_info": "Traceback (most recent call last):\n  ...\n"
        "django.db.utils.OperationalError: database is locked",
    }
    access = {"logger": "gunicorn.access", "method": "POST", "path": "/api/v1/places/", "status": 500}
    fine = {"logger": "gunicorn.access", "method": "PATCH", "path": "/api/v1/actors/1/", "status": 200}
    timeout = "[2026-12-01 10:00:00 +0000] [7] [CRITICAL] WORKER TIMEOUT (pid:9)"
    lines = [fine | {"duration_ms": 12}, error, access | {"duration_ms": 20126}]
    log = "\n".join([*(json.dumps(line) for line in lines), timeout])

    alarms = scan_log(log)

    assert len(alarms) == 3
    assert alarms[0] == (
        "10:01:23 ERROR django.request Internal Server Error: /api/v1/places/"
        " | django.db.utils.OperationalError: database is locked"
    )
    assert "WORKER TIMEOUT" in alarms[2]
    assert server_write_latencies(log) == [12.0, 20126.0]


def test_the_report_has_a_row_per_run_and_the_comparison(tmp_path: Path):
    sqlite = summarize("SQLite", 4, 2, [write("create", 0.0, 1000.0, 201), read(0.0, 30.0)], warmup=0.0)
    postgres = summarize("PostgreSQL", 4, 2, [write("create", 0.0, 250.0, 201), read(0.0, 30.0)], 0.0)
    sqlite.server_write_p50, sqlite.server_write_p99 = 900.0, 950.0
    failing = summarize("SQLite", 16, 0, [write("update", 0.0, 20_000.0, 500, "boom")], warmup=0.0)
    failing.log_alarms = ["ERROR django.request | OperationalError: database is locked"]
    report = tmp_path / "SQLITE_WRITERS.md"

    text = write_report(report, [sqlite, postgres, failing], {"cores": 2}, notes=["- a note"])

    assert report.read_text() == text
    assert "| SQLite | 4 | 2 | 1.0 | 1,000 | 1,000 | 1,000 | 1,000 | 900 / 950 | 30.0 | none |" in text
    assert "| PostgreSQL | 4 | 2 | 4.0 | 250 | 250 | 250 | 250 | n/a | 30.0 | none |" in text
    assert "| SQLite | 16 | 0 | 0.0 |" in text
    assert "update 500 x1; **1 alarming server-log lines** |" in text
    assert "SQLite: 0.25x the throughput, 4.0x the p99." in text
    assert "- SQLite at 4, 16 writers: 1.0, 0.0 writes/s; write p99 1,000, 20,000 ms." in text
    assert "| SQLite | 4 | create | 1 | 1 | 1,000 | 1,000 | 1,000 | 1,000 | 201 x1 |" in text
    assert "- server log: `ERROR django.request | OperationalError: database is locked`" in text
    assert "- cores: 2" in text
    assert "- a note" in text
