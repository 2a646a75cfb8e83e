"""Every request has an id: taken from X-Request-ID when valid, made up otherwise, echoed, logged."""

import io
import json
import logging
import uuid

import pytest

from eventsapi.logs import AccessJsonFormatter, JsonFormatter, log_format
from eventsapi.request_id import RequestIdLogFilter, current_request_id


def test_a_valid_incoming_request_id_is_echoed(client):
    response = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.42_x"})

    assert response["X-Request-ID"] == "lb-7f3a.42_x"


@pytest.mark.parametrize("incoming", ["x" * 201, "has space", "inject\nnewline", 'quote"d', ""])
def test_an_invalid_incoming_request_id_is_replaced_by_a_fresh_uuid(client, incoming):
    response = client.get("/healthz", headers={"X-Request-ID": incoming})

    assert response["X-Request-ID"] != incoming
    assert uuid.UUID(response["X-Request-ID"]).version == 4


def test_a_request_without_an_id_gets_a_uuid4_and_every_request_a_new_one(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]

    assert uuid.UUID(first).version == 4
    assert first != second


@pytest.fixture
def json_log():
    """What the django loggers write, through the production JSON formatter and request-id filter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdLogFilter())
    logger = logging.getLogger("django")
    logger.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        logger.removeHandler(handler)


@pytest.mark.django_db
def test_the_log_lines_of_a_request_carry_its_id_as_json(client, json_log):
    response = client.get("/api/v1/events/?page_size=oops", headers={"X-Request-ID": "trace-400"})

    assert response.status_code == 400
    [line] = [line for line in json_log() if line["logger"] == "django.request"]
    assert line["request_id"] == "trace-400"
    assert line["level"] == "WARNING"
    assert "/api/v1/events/" in line["message"]
    assert {"time", "level", "logger", "message", "request_id"} <= line.keys()


def test_a_log_line_outside_a_request_has_no_request_id():
    record = logging.LogRecord("eventsapi", logging.INFO, __file__, 1, "started", None, None)
    RequestIdLogFilter().filter(record)

    assert json.loads(JsonFormatter().format(record))["request_id"] == "-"


def test_a_log_line_inside_a_request_context_has_its_id():
    token = current_request_id.set("abc-123")
    try:
        record = logging.LogRecord("eventsapi", logging.INFO, __file__, 1, "working", None, None)
        RequestIdLogFilter().filter(record)
    finally:
        current_request_id.reset(token)

    assert json.loads(JsonFormatter().format(record))["request_id"] == "abc-123"


def test_gunicorn_access_records_become_json_with_the_echoed_request_id():
    atoms = {"m": "GET", "U": "/api/v1/events/", "q": "", "s": "200", "B": 512, "M": 12}
    atoms |= {"h": "10.0.0.7", "a": "curl/8", "{x-request-id}o": "lb-1"}
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, "%(m)s %(U)s", atoms, None)
    RequestIdLogFilter().filter(record)

    line = json.loads(AccessJsonFormatter().format(record))

    assert line["message"] == "GET /api/v1/events/"
    assert line["method"] == "GET"
    assert line["status"] == 200
    assert line["duration_ms"] == 12
    assert line["request_id"] == "lb-1"


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"DEBUG": "false"}, "json"),
        ({"DEBUG": "true"}, "text"),
        ({"DEBUG": "true", "LOG_FORMAT": "json"}, "json"),
        ({"DEBUG": "false", "LOG_FORMAT": "text"}, "text"),
    ],
)
def test_logs_are_json_unless_debug_or_log_format_says_text(monkeypatch, environment, expected):
    monkeypatch.delenv("LOG_FORMAT", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)

    assert log_format() == expected


def test_an_unknown_log_format_is_refused(monkeypatch):
    monkeypatch.setenv("LOG_FORMAT", "xml")

    with pytest.raises(ValueError, match="LOG_FORMAT"):
        log_format()
