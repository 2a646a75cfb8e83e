"""What gunicorn refuses before Django runs is a problem document too, on either worker.

A real gunicorn (``tests/live_server.py``) reads ``gunicorn.conf.py`` as in production, once
with the sync worker and once with the threaded one; the requests go over a raw socket, as
no HTTP client would send them malformed. Each server uses a SQLite file of its own.
"""

import contextlib
import json
import re
import runpy
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from gunicorn.http import errors

from eventsapi.api.pagination import MAX_CURSOR_LENGTH
from eventsapi.gunicorn_workers import ProblemSyncWorker, ProblemThreadWorker, refusal, worker_class_for
from tests.live_server import LiveServer, live_api, migrated_sqlite_copy

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"
# gunicorn.conf.py's values.
REQUEST_LINE_LIMIT = 8190
FIELD_SIZE_LIMIT = 8190
FIELD_COUNT_LIMIT = 100

EVENTS = "/api/v1/events/"
SOURCES = "/api/v1/sources/"
HOST = b"Host: 127.0.0.1\r\n"
# As long as a source's title may be (500 characters), each character 4 bytes in the UTF-8
# of the cursor: the most a printable character takes.
LONGEST_TITLE = "\N{GRINNING FACE}" * 500


@dataclass
class Answer:
    status: int
    headers: dict[str, str]  # names in lower case
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class Server:
    live: LiveServer
    token: str
    threads: int


@pytest.fixture(scope="module", params=[1, 2], ids=["sync worker", "threaded worker"])
def server(request, tmp_path_factory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp(f"gunicorn-{request.param}-threads")
    database_url, token = migrated_sqlite_copy(folder)
    with live_api(database_url, folder, workers=1, threads=request.param) as live:
        yield Server(live, token, request.param)


@contextlib.contextmanager
def connection(server: Server) -> Iterator[socket.socket]:
    address = urlsplit(server.live.url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
        yield sock


def send(sock: socket.socket, request: bytes) -> Answer:
    """Send ``request`` as it is; read one answer, its body exactly Content-Length long."""
    sock.sendall(request)
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = sock.recv(65536)
        assert chunk, f"the connection closed before an answer: {received!r}"
        received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {
        name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)
    }
    length = int(headers["content-length"])
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    assert len(body) == length, f"Content-Length {length}, body {len(body)} bytes: {body!r}"
    return Answer(int(status_line.split(" ")[1]), headers, body)


def get(target: str, *fields: bytes) -> bytes:
    return f"GET {target} HTTP/1.1\r\n".encode() + HOST + b"".join(fields) + b"\r\n"


def request_line_of(length: int) -> bytes:
    """A request for the events list whose request line (without CRLF) is ``length`` bytes.

    The padding is a query parameter the list ignores (``q`` is at most 200 characters).
    """
    start, end = f"GET {EVENTS}?padding=", " HTTP/1.1"
    return f"{start}{'a' * (length - len(start) - len(end))}{end}".encode()


def assert_problem_document(answer: Answer, status: int) -> dict:
    assert answer.status == status, answer.body
    assert answer.headers["content-type"] == "application/problem+json"
    body = answer.json()
    assert set(body) == {"type", "title", "status", "detail"}
    assert body["type"].startswith("urn:eventsapi:problem:")
    assert body["title"] == HTTPStatus(status).phrase
    assert body["status"] == status
    assert re.fullmatch(r"[A-Z].* .*\.", body["detail"]), body["detail"]  # a sentence
    return body


REFUSALS = {
    "a request line one byte over the limit": (
        request_line_of(REQUEST_LINE_LIMIT + 1) + b"\r\n" + HOST + b"\r\n",
        414,
        "request_line_too_long",
        f"longer than {REQUEST_LINE_LIMIT} bytes",
    ),
    "a header field over the size limit": (
        get(EVENTS, b"X-Padding: " + b"a" * FIELD_SIZE_LIMIT + b"\r\n"),
        431,
        "header_field_too_large",
        f"larger than {FIELD_SIZE_LIMIT} bytes",
    ),
    "more header fields than the limit": (
        # Host is one of them.
        get(EVENTS, *(b"X-Field-%d: 1\r\n" % number for number in range(FIELD_COUNT_LIMIT))),
        431,
        "too_many_header_fields",
        f"more than {FIELD_COUNT_LIMIT} header fields",
    ),
    "a request line without its HTTP version": (
        f"GET {EVENTS}\r\n".encode() + HOST + b"\r\n",
        400,
        "invalid_request_line",
        "request line is malformed",
    ),
    "a request line with two spaces": (
        f"GET  {EVENTS} HTTP/1.1\r\n".encode() + HOST + b"\r\n",
        400,
        "invalid_request_line",
        "request line is malformed",
    ),
    "a header name with a space": (
        get(EVENTS, b"Bad Name: 1\r\n"),
        400,
        "invalid_header_name",
        "header name 'Bad Name' is not valid",
    ),
}


@pytest.mark.parametrize(("request_bytes", "status", "code", "words"), REFUSALS.values(), ids=REFUSALS)
def test_a_request_gunicorn_refuses_gets_a_problem_document_and_a_closed_connection(
    server, request_bytes, status, code, words
):
    with connection(server) as sock:
        answer = send(sock, request_bytes)
        then_closed = sock.recv(1) == b""

    body = assert_problem_document(answer, status)
    assert body["type"] == f"urn:eventsapi:problem:{code}"
    assert words in body["detail"]
    assert answer.headers["connection"] == "close"
    assert then_closed


def test_a_request_line_of_exactly_the_limit_reaches_django(server):
    with connection(server) as sock:
        answer = send(
            sock, request_line_of(REQUEST_LINE_LIMIT) + b"\r\n" + HOST + b"Connection: close\r\n\r\n"
        )

    assert answer.status == 200, answer.body
    assert answer.headers["content-type"] == "application/json"
    assert answer.json()["results"] == []


def test_the_next_link_of_a_list_ordered_by_the_longest_title_fits_in_a_request_line(server):
    for number in range(2):
        created = server.live.request(
            "POST",
            SOURCES,
            {"url": f"https://example.org/report-{number}", "kind": "article", "title": LONGEST_TITLE},
            token=server.token,
        )
        assert created.status == 201, created.body
    first = server.live.request(
        "GET",
        f"{SOURCES}?ordering=-title&page_size=1&kind=article,social_post&verification_status=unverified",
    ).json()
    next_link = urlsplit(first["next"])
    target = f"{next_link.path}?{next_link.query}"

    second = server.live.request("GET", target)

    assert second.status == 200, second.body
    assert len(second.json()["results"]) == 1
    cursor = parse_qs(next_link.query)["cursor"][0]
    assert len(cursor) > 2500  # the case in point: a long cursor
    assert len(f"GET {target} HTTP/1.1") < REQUEST_LINE_LIMIT - 4000


def test_a_next_link_with_the_longest_cursor_the_api_reads_leaves_2_kb_of_the_request_line():
    line = f"GET {SOURCES}?cursor={'x' * MAX_CURSOR_LENGTH} HTTP/1.1"

    assert len(line) + 2000 <= REQUEST_LINE_LIMIT


def test_the_server_runs_the_worker_its_threads_setting_asks_for(server):
    # --threads is given on the command line (tests/live_server.py), after gunicorn.conf.py has
    # named ProblemWorker: the sync worker closes every connection, the threaded one keeps it.
    with connection(server) as sock:
        answer = send(sock, get("/healthz"))

    kept_open = answer.headers.get("connection") != "close"
    assert kept_open == (server.threads > 1)


# Without a server: the configuration, the choice of worker and the words of a refusal.


@pytest.fixture
def conf(tmp_path, monkeypatch):
    monkeypatch.setenv("EVENTSAPI_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "prometheus"))
    return lambda: runpy.run_path(str(CONF))


def test_gunicorn_conf_names_the_worker_that_chooses_and_sets_the_three_limits(conf):
    settings = conf()

    assert settings["worker_class"] == "eventsapi.gunicorn_workers.ProblemWorker"
    assert (
        settings["limit_request_line"],
        settings["limit_request_field_size"],
        settings["limit_request_fields"],
    ) == (
        REQUEST_LINE_LIMIT,
        FIELD_SIZE_LIMIT,
        FIELD_COUNT_LIMIT,
    )


@pytest.mark.parametrize(
    ("variable", "setting"),
    [
        ("GUNICORN_LIMIT_REQUEST_LINE", "limit_request_line"),
        ("GUNICORN_LIMIT_REQUEST_FIELD_SIZE", "limit_request_field_size"),
        ("GUNICORN_LIMIT_REQUEST_FIELDS", "limit_request_fields"),
    ],
)
def test_each_limit_can_be_changed_by_its_environment_variable(conf, monkeypatch, variable, setting):
    monkeypatch.setenv(variable, "50")

    assert conf()[setting] == 50


def test_a_request_line_limit_above_what_gunicorn_can_apply_is_refused(conf, monkeypatch):
    # gunicorn would quietly apply 8190 instead.
    monkeypatch.setenv("GUNICORN_LIMIT_REQUEST_LINE", "16000")

    with pytest.raises(ValueError, match="GUNICORN_LIMIT_REQUEST_LINE"):
        conf()


@pytest.mark.parametrize(
    ("threads", "worker"), [(1, ProblemSyncWorker), (2, ProblemThreadWorker), (8, ProblemThreadWorker)]
)
def test_the_worker_is_the_sync_one_for_one_thread_and_the_threaded_one_for_more(threads, worker):
    assert worker_class_for(threads) is worker


LIMITS = SimpleNamespace(limit_request_line=4094, limit_request_field_size=8190, limit_request_fields=100)


def test_a_request_line_refused_by_the_fast_parser_names_the_configured_limit():
    # gunicorn_h1c, when installed, reports the limit without the numbers.
    code, detail = refusal(errors.LimitRequestLine("line too long"), 414, "line too long", LIMITS)

    assert code == "request_line_too_long"
    assert "longer than 4094 bytes" in detail


def test_a_bad_header_from_the_application_is_not_blamed_on_the_request():
    exc = errors.InvalidResponseHeader("X-Bad")

    code, detail = refusal(exc, 500, "", LIMITS)

    assert code is None  # the status's own, internal_server_error
    assert "header" not in detail


def test_a_refusal_without_words_of_its_own_keeps_gunicorn_s_message():
    message = "Unable to comply with expectation: '200-ok'"

    assert refusal(errors.ExpectationFailed("200-ok"), 417, message, LIMITS) == (None, message)


def test_a_value_the_client_sent_is_cut_short_in_the_detail():
    _code, detail = refusal(errors.InvalidHeaderName("X" * 5000), 400, "", LIMITS)

    assert len(detail) < 300
