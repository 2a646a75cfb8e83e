"""A real gunicorn server for the concurrency tests, and the HTTP calls they make.

``live_api()`` starts ``gunicorn eventsapi.wsgi`` in a subprocess with production-like
settings (DEBUG off, a SECRET_KEY) against a database given by URL, waits until it answers
``/readyz`` and always stops it. ``migrated_sqlite_copy()`` gives a fresh SQLite file with
every migration applied and an editor with a token: the migrations run once per test
session into a template file that each test copies.

HTTP goes through ``urllib`` so the tests need no extra client library.
"""

import atexit
import contextlib
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
SECRET_KEY = "live-server-test-key-" + "x" * 50
EDITOR_USERNAME = "live-editor"


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class LiveServer:
    url: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def request(
        self,
        method: str,
        path: str,
        body: dict | None = None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 30,
    ) -> Response:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Token {token}")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                return Response(answer.status, dict(answer.headers), answer.read())
        except urllib.error.HTTPError as error:
            return Response(error.code, dict(error.headers), error.read())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_environment(database_url: str, var_dir: Path) -> dict[str, str]:
    """The environment of a production-like process: DEBUG off, its own key and var/ folder."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "EVENTSAPI_", "PYTEST", "REDIS_URL"))
    }
    env.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": SECRET_KEY,
            "DATABASE_URL": database_url,
            "EVENTSAPI_VAR_DIR": str(var_dir),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def manage(*args: str, env: dict[str, str], timeout: float = 120) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


CREATE_EDITOR = f"""
from django.contrib.auth.models import Group, User
from knox.models import AuthToken
user = User.objects.create_user({EDITOR_USERNAME!r})
user.groups.add(Group.objects.get_or_create(name="editors")[0])
print(AuthToken.objects.create(user)[1])
"""


@cache
def _migrated_sqlite_template() -> tuple[Path, str]:
    """Migrate one SQLite file per test session and add an editor; return it and the token."""
    folder = Path(tempfile.mkdtemp(prefix="eventsapi-sqlite-template-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    database = folder / "db.sqlite3"
    env = server_environment(f"sqlite:///{database}", folder)
    manage("migrate", "--no-input", "-v0", env=env)
    token = manage("shell", "-c", CREATE_EDITOR, env=env).strip().splitlines()[-1]
    return database, token


def migrated_sqlite_copy(folder: Path) -> tuple[str, str]:
    """A migrated SQLite file of its own in ``folder``: its DATABASE_URL and an editor's token."""
    template, token = _migrated_sqlite_template()
    database = folder / "db.sqlite3"
    # The backup API copies committed pages, including those still in the write-ahead log.
    with (
        contextlib.closing(sqlite3.connect(template)) as source,
        contextlib.closing(sqlite3.connect(database)) as target,
    ):
        source.backup(target)
    return f"sqlite:///{database}", token


@contextlib.contextmanager
def live_api(
    database_url: str,
    folder: Path,
    workers: int = 3,
    threads: int = 1,
    extra_env: dict[str, str] | None = None,
) -> Iterator[LiveServer]:
    """Run gunicorn against ``database_url`` until the block ends; the log is kept in ``folder``."""
    port = free_port()
    log_path = folder / "server.log"
    env = server_environment(database_url, folder) | (extra_env or {})
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                GUNICORN,
                "eventsapi.wsgi",
                "-w",
                str(workers),
                "--threads",
                str(threads),
                "-b",
                f"127.0.0.1:{port}",
                "--timeout",
                "60",
                "--preload",
                "--graceful-timeout",
                "1",
            ],
            cwd=PROJECT_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = LiveServer(f"http://127.0.0.1:{port}", log_path)
    try:
        _wait_until_ready(server, process)
        yield server
    finally:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGINT)  # quick shutdown
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def live_api_on_suite_database(folder: Path, workers: int = 3, threads: int = 4) -> Iterator[tuple]:
    """gunicorn on the suite's own database engine; yields the server and an editor's token.

    On PostgreSQL the server shares the test database (the test must use ``transactional_db``
    so what it writes is committed and visible). SQLite's test database lives in memory, out
    of another process's reach, so there the server gets a migrated SQLite file of its own:
    the same engine and settings (WAL, IMMEDIATE transactions) as a real deployment.
    """
    from django.contrib.auth.models import Group, User
    from django.db import connection
    from knox.models import AuthToken

    if connection.vendor == "postgresql":
        db = connection.settings_dict
        database_url = (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
            f"/{db['NAME']}"
        )
        user = User.objects.create_user(EDITOR_USERNAME)
        user.groups.add(Group.objects.get_or_create(name="editors")[0])
        token = AuthToken.objects.create(user)[1]
    else:
        database_url, token = migrated_sqlite_copy(folder)
    with live_api(database_url, folder, workers=workers, threads=threads) as server:
        yield server, token


def _wait_until_ready(server: LiveServer, process: subprocess.Popen, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{server.log()}")
        with contextlib.suppress(OSError):
            if server.request("GET", "/readyz", timeout=2).status == 200:
                return
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not answer /readyz within {timeout} s:\n{server.log()}")
