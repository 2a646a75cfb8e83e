"""Two gunicorn instances, one PostgreSQL, one Redis: they behave as one service.

Each instance is started as `make serve` starts it (``gunicorn -c gunicorn.conf.py``, DEBUG
off, two workers) on its own port, against the suite's PostgreSQL test database and Redis
database 15. A client that switches instance between requests, as behind a load balancer,
sees one throttle, one set of idempotency keys, one sequence of ETags and one change feed.
"""

import contextlib
import json
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import redis
from django.contrib.auth.models import Group, User
from django.db import connection
from knox.models import AuthToken

from claims.models import Source
from tests.live_server import GUNICORN, PROJECT_DIR, LiveServer, _wait_until_ready, free_port
from tests.live_server import server_environment as production_environment

REDIS_URL = "redis://127.0.0.1:6379/15"
ANON_RATE = 6  # per minute, for the whole service

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def _suite_database_url() -> str:
    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}"
    )


@contextlib.contextmanager
def gunicorn_instance(database_url: str, folder: Path) -> Iterator[LiveServer]:
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = production_environment(database_url, folder) | {
        "REDIS_URL": REDIS_URL,
        "EVENTSAPI_THROTTLE_ANON": f"{ANON_RATE}/minute",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_GRACEFUL_TIMEOUT": "1",
        "LOG_FORMAT": "json",
    }
    log_path = folder / "server.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [GUNICORN, "-c", "gunicorn.conf.py"],
            cwd=PROJECT_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = LiveServer(f"http://127.0.0.1:{port}", log_path)
    try:
        _wait_until_ready(server, process, timeout=30)
        yield server
    finally:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def servers(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[tuple[LiveServer, LiveServer]]:
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            pytest.skip(
                "several servers share one PostgreSQL: SQLite's test database lives in this "
                "process's memory, and a SQLite file is not a multi-server deployment"
            )
        database_url = _suite_database_url()
    folder = tmp_path_factory.mktemp("scale-out")
    with (
        gunicorn_instance(database_url, folder / "a") as first,
        gunicorn_instance(database_url, folder / "b") as second,
    ):
        yield first, second


@pytest.fixture(autouse=True)
def _empty_redis(servers):
    redis.Redis.from_url(REDIS_URL).flushdb()


@pytest.fixture
def token() -> str:
    user = User.objects.create_user("scale-out-editor")
    user.groups.add(Group.objects.get_or_create(name="editors")[0])
    return AuthToken.objects.create(user)[1]


def test_both_instances_are_ready_with_database_and_redis(servers):
    for server in servers:
        answer = server.request("GET", "/readyz")
        assert answer.status == 200
        assert answer.json() == {"status": "ok", "database": "ok", "redis": "ok"}


def test_anonymous_throttling_counts_requests_to_every_instance(servers):
    statuses = [servers[number % 2].request("GET", "/api/v1/places/").status for number in range(ANON_RATE)]
    assert statuses == [200] * ANON_RATE  # each instance has seen only half the limit

    for server in servers:
        refused = server.request("GET", "/api/v1/places/")
        assert refused.status == 429
        assert int(refused.headers["Retry-After"]) > 0


def test_an_idempotency_key_used_on_one_instance_is_replayed_by_the_other(servers, token):
    first, second = servers
    body = {"url": "https://twitter.com/nrfafg/status/1", "kind": "social_post"}
    key = {"Idempotency-Key": "scale-out-1"}

    created = first.request("POST", "/api/v1/sources/", body, token=token, headers=key)
    replayed = second.request("POST", "/api/v1/sources/", body, token=token, headers=key)
    reused = second.request("POST", "/api/v1/sources/", {**body, "kind": "video"}, token=token, headers=key)

    assert created.status == 201
    assert replayed.status == 201
    assert replayed.headers["Idempotent-Replayed"] == "true"
    assert replayed.json()["id"] == created.json()["id"]
    assert reused.status == 422
    assert Source.objects.count() == 1


def test_etags_from_one_instance_are_checked_by_the_other(servers, token):
    first, second = servers
    created = first.request("POST", "/api/v1/places/", {"name": "Bazarak", "kind": "locality"}, token=token)
    path = f"/api/v1/places/{created.json()['id']}/"
    assert created.headers["ETag"] == '"1"'

    updated = second.request(
        "PATCH", path, {"name": "Bazarak town"}, token=token, headers={"If-Match": '"1"'}
    )
    stale = first.request("PATCH", path, {"name": "Lost update"}, token=token, headers={"If-Match": '"1"'})
    unchanged = first.request("GET", path, token=token, headers={"If-None-Match": '"2"'})

    assert updated.status == 200
    assert updated.headers["ETag"] == '"2"'
    assert stale.status == 412
    assert unchanged.status == 304


def test_the_change_feed_is_the_same_from_every_instance(servers, token):
    first, second = servers
    created = first.request("POST", "/api/v1/places/", {"name": "Rokha", "kind": "locality"}, token=token)
    path = f"/api/v1/places/{created.json()['id']}/"
    second.request("PATCH", path, {"name": "Rokha district"}, token=token)
    first.request("POST", "/api/v1/places/", {"name": "Anaba", "kind": "locality"}, token=token)
    second.request("DELETE", path, token=token)

    feeds = [server.request("GET", "/api/v1/changes/?after=0", token=token).json() for server in servers]

    assert feeds[0] == feeds[1]
    entries = feeds[0]["results"]
    assert [entry["action"] for entry in entries] == ["created", "updated", "created", "deleted"]
    assert [entry["seq"] for entry in entries] == sorted({entry["seq"] for entry in entries})
    later = second.request("GET", f"/api/v1/changes/?after={entries[1]['seq']}", token=token).json()
    assert later["results"] == entries[2:]


def test_metrics_add_up_every_worker_of_an_instance(servers):
    first, _ = servers
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda _: first.request("GET", "/healthz"), range(40)))

    scrapes = [first.request("GET", "/metrics") for _ in range(4)]

    worker_files = list((first.log_path.parent / "prometheus").glob("counter_*.db"))
    assert len(worker_files) >= 2, "both workers should have served and counted requests"
    for scrape in scrapes:
        assert scrape.status == 200
        counted = re.search(
            r'^django_http_requests_total_by_method_total\{method="GET"\} (\S+)$',
            scrape.body.decode(),
            re.MULTILINE,
        )
        assert counted, scrape.body.decode()[:2000]
        assert float(counted.group(1)) >= 40


def test_each_instance_writes_json_access_logs_with_the_request_id(servers):
    first, second = servers
    for number, server in enumerate(servers):
        answer = server.request("GET", "/healthz", headers={"X-Request-ID": f"balancer-{number}"})
        assert answer.headers["X-Request-ID"] == f"balancer-{number}"

    for number, server in enumerate((first, second)):
        [access] = _log_lines(server, request_id=f"balancer-{number}")
        assert access["logger"] == "gunicorn.access"
        assert access["path"] == "/healthz"
        assert access["status"] == 200


def _log_lines(server: LiveServer, request_id: str, wait: float = 5) -> list[dict]:
    """The JSON log lines of one request; gunicorn writes the access line after the response."""
    deadline = time.monotonic() + wait
    while True:
        lines = [json.loads(line) for line in server.log().splitlines() if line.startswith("{")]
        found = [line for line in lines if line.get("request_id") == request_id]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)
