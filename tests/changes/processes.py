"""Other processes on the suite's database: writers, workers and servers for the concurrency tests.

On PostgreSQL they share the test database (the test must use ``transactional_db`` so its
own writes are committed and theirs are visible to it). SQLite's test database lives in
memory, out of another process's reach, so there they get a migrated SQLite file of their
own, with the settings of a real deployment (WAL, IMMEDIATE transactions).
"""

import json
import subprocess
from pathlib import Path

from django.db import connection

from tests.live_server import PROJECT_DIR, PYTHON, migrated_sqlite_copy, server_environment


def suite_database_url(folder: Path) -> str:
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        return (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
            f"/{db['NAME']}"
        )
    database_url, _token = migrated_sqlite_copy(folder)
    return database_url


def environment(database_url: str, folder: Path, **extra: str) -> dict[str, str]:
    env = server_environment(database_url, folder)
    env.update(extra)
    return env


def start_script(script: str, env: dict[str, str]) -> subprocess.Popen:
    """Run ``script`` in ``manage.py shell`` (stdin and stdout are pipes, text mode)."""
    return subprocess.Popen(
        [PYTHON, "manage.py", "shell", "-v", "0", "-c", script],
        cwd=PROJECT_DIR,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen, timeout: float = 60) -> str:
    """Wait for ``process``; its stdout, or an assertion error with its stderr."""
    stdout, stderr = process.communicate(timeout=timeout)
    assert process.returncode == 0, stderr
    return stdout


FEED_READER = """
import sys
from django.test import Client
client = Client()
for query in sys.stdin:
    print(client.get("/api/v1/changes/?" + query.strip()).content.decode(), flush=True)
"""


class FeedReader:
    """A process that reads the feed through the API whenever asked: a client of its own."""

    def __init__(self, env: dict[str, str]):
        self.process = start_script(FEED_READER, {**env, "ALLOWED_HOSTS": "testserver"})

    def read(self, query: str = "") -> dict:
        self.process.stdin.write(query + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, self.process.stderr.read()
        return json.loads(line)

    def close(self) -> None:
        finish(self.process)  # closes stdin, which ends the loop
