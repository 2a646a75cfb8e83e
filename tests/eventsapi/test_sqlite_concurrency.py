"""SQLite holds up: WAL, a busy timeout and IMMEDIATE transactions let writers queue, not fail.

These tests use a SQLite file of their own (and a real gunicorn server) whatever database
the suite runs on, so they run in both suites.
"""

import sqlite3
from concurrent.futures import ThreadPoolExecutor

from eventsapi import settings as eventsapi_settings
from tests.live_server import live_api, migrated_sqlite_copy

WRITERS = 20


def test_a_sqlite_database_url_gets_wal_a_busy_timeout_and_immediate_transactions(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")

    database = eventsapi_settings._databases()["default"]

    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert database["OPTIONS"]["timeout"] >= 5
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]


def test_the_server_puts_its_sqlite_file_in_wal_mode(tmp_path):
    database_url, _token = migrated_sqlite_copy(tmp_path)
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        db.execute("PRAGMA journal_mode=DELETE")

    with live_api(database_url, tmp_path, workers=1) as server:
        server.request("GET", "/readyz")

        with sqlite3.connect(tmp_path / "db.sqlite3") as db:
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_twenty_concurrent_writers_all_get_201_and_the_database_is_never_locked(tmp_path):
    database_url, token = migrated_sqlite_copy(tmp_path)

    with live_api(database_url, tmp_path, workers=3, threads=4) as server:

        def create_place(number: int):
            return server.request(
                "POST", "/api/v1/places/", {"name": f"Writer {number}", "kind": "locality"}, token=token
            )

        with ThreadPoolExecutor(max_workers=WRITERS) as pool:
            responses = list(pool.map(create_place, range(WRITERS)))

        listed = server.request("GET", "/api/v1/places/?page_size=100").json()["results"]

    assert [response.status for response in responses] == [201] * WRITERS, [r.body for r in responses]
    assert len(listed) == WRITERS
    assert "database is locked" not in server.log()
