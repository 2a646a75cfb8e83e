"""No input, from anyone, reaches a 500, and a refused request writes nothing.

The sweep walks the OpenAPI schema the server serves (generated in-process, as
``manage.py spectacular`` does; see ``tests/hostile_inputs.py``), one test per operation
(its id is the operationId), so an operation added to the API is swept by itself. Path
parameters are real rows of the Panjshir fixture (ones no schema example refers to, and a
statement with a review, so its ClaimReview exists) and a webhook of the editor, built
once for the module. Each hostile request changes one position of a plausible request (the
schema's example, or a value per type, format and enum):

- bodies: the whole body, every field, every item and field inside lists, nested objects
  and dict fields (``participants[0].actor``, ``about[0].stance``, ``external_ids.geonames``)
  given every wrong JSON type, an empty string, a 31-digit integer, NaN, 1e999, a string with
  NUL, a lone surrogate, invalid UTF-8, lists 65 deep, objects 100 deep, 10,000 brackets
  spliced in; date and date-time fields also the calendar edges (0001-01-01,
  9999-12-31T23:59:59-05:00, 0000-00-00, 10000-01-01...); objects a NUL in a key and a
  repeated key; raw bodies (10,000 brackets, invalid UTF-8, a repeated key, empty, cut
  short, trailing data, a byte-order mark); broken Content-Types and form bodies with
  invalid UTF-8 and NUL. The create gets all of it; the replace and update of the same
  component (each request of theirs locks and loads the row first, so costs more) get
  inside the body only what their own code could see differently: null, the field's own
  type, empty, NUL, a lone surrogate, 31 digits, the calendar edges, broken keys
  (``BodyCases``). Every list field of every request component also gets 10,000 items,
  one test each (``test_a_list_of_10000_items_...``);
- headers: every header the operation documents (If-Match, If-None-Match, Idempotency-Key)
  and Accept as invalid UTF-8 (latin-1 in the WSGI environ), entity tags of it, 1,000 tags,
  2,000 brackets; Authorization with tokens that are not UTF-8, too long or malformed;
- query strings: every documented parameter with invalid UTF-8 and NUL in its value and
  its name, 10,000 comma-separated items, 10,000 brackets, 31 digits, given 1,001 times;
  date and date-time parameters the calendar edges; cursors holding the calendar edges
  (forwards and backwards, under every ordering), every wrong type in each of their
  positions, 1,400 brackets, 100 KB, invalid UTF-8, bad base64; the edges again with each
  streamed export format (csv, geojson); undocumented parameters with invalid UTF-8 and NUL;
- paths: the id as invalid UTF-8, a NUL, 10,000 characters.

Callers: the editor (also a verifier, so reviews are reachable) gets every case, after the
untouched request, which must get past authentication and permissions (else the sweep
would test nothing but the refusal). Anonymous and a plain user (no group), mostly
refused before their input is read but still owed no 500, get the raw bodies and a whole
body per mechanism, the headers, the path and the query values with invalid UTF-8, NUL,
the calendar edges and the deepest and largest cursors. The Authorization cases are sent
once, without other credentials. Clients authenticate as real ones do, with a knox token in
``Authorization: Token ...``.

Every response is checked: no 5xx (an unhandled exception is recorded with where it was
raised, and the sweep goes on); no answer later than gunicorn's worker timeout (in
production the worker would be killed first); every 4xx is an ``application/problem+json``
document with ``type``, ``title``, ``status`` (the HTTP status) and ``detail``; a streamed
export streams to the end; and a safe request, or one answered 400 or more, that sent SQL
which writes (or fails) must leave the database as it was: row counts of every model of
the project's apps (their history tables and the change feed included) and of tokens,
each table's latest ``updated_at``, the sum of the resources' versions and the feed counter.
Each request runs in a savepoint rolled back after the check, so every case meets the same
rows (a hostile request that is legitimately valid may succeed, 2xx, without changing what
the next one sees). Idempotency records are left out of the comparison: a refused POST with
an Idempotency-Key keeps its answer for a retry, by design. The failures of an operation
are reported together at the end of its test: method, path, case, caller, then the status
and the exception.

The focused tests at the end pin the answers the hardening promises, with the issue's own
examples.
"""

import io
import json
import logging
import os
import re
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client, override_settings
from django.urls import resolve
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from changes.models import Webhook, WebhookDelivery
from claims.models import Source, Statement
from events.models import Actor, Event, Place
from eventsapi.api.permissions import EDITORS_GROUP, VERIFIERS_GROUP
from eventsapi.models import IdempotencyKey
from tests.api_cases import PROBLEM_CONTENT_TYPE, assert_problem
from tests.hostile_inputs import (
    BRACKETS_10000_DEEP,
    INVALID_UTF8,
    INVALID_UTF8_HEADER,
    JSON,
    NUL_KEY,
    NUL_STRING,
    BodyCases,
    Case,
    Operation,
    Plausible,
    Resolver,
    authorization_cases,
    cursor,
    encode,
    fill_path,
    header_cases,
    live_schema,
    nested_lists,
    operations,
    path_cases,
    position_name,
    query_cases,
)

pytestmark = pytest.mark.django_db

OPERATIONS = operations()
FIRST_TAKERS = BodyCases.first_takers(OPERATIONS)
PROJECT_APPS = ["eventsapi", "events", "claims", "changes"]
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
EDITOR = "editor"
CALLERS = ["anonymous", "plain user", EDITOR]
# A uuid field or parameter named after a relation takes an id of that model.
RELATIONS = {
    "place": Place,
    "parent": Place,
    "within": Place,
    "actor": Actor,
    "organization": Actor,
    "speaker": Actor,
    "publisher": Actor,
    "into": Actor,
    "affiliated_with": Actor,
    "event": Event,
    "source": Source,
    "sources": Source,
    "evidence": Source,
    "statement": Statement,
    "responds_to": Statement,
}
UNKNOWN_ID = "00000000-0000-4000-8000-000000000001"
# gunicorn kills a worker still busy after this long (gunicorn.conf.py): a request that
# takes longer is a 5xx in production whatever it would have answered.
WORKER_TIMEOUT_SECONDS = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
SHOWN_QUERY = 80
MAX_REPORTED = 400


# The database, before and after


def _snapshot_query() -> tuple[list[str], str]:
    """One SELECT of every figure a write would change, and their labels."""
    models = [
        model
        for label in PROJECT_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if model is not IdempotencyKey
    ] + [AuthToken]
    quote = connection.ops.quote_name
    labels, parts = [], []
    for model in models:
        table = model._meta.db_table
        columns = {field.column for field in model._meta.concrete_fields}
        figures = [("rows", "COUNT(*)")]
        figures += [
            (f"latest {name}", f"MAX({quote(name)})")
            for name in ("updated_at", "last_seq")
            if name in columns
        ]
        figures += [("sum of versions", f"SUM({quote('version')})")] if "version" in columns else []
        for label, expression in figures:
            labels.append(f"{table} {label}")
            parts.append(f"(SELECT {expression} FROM {quote(table)})")
    return labels, "SELECT " + ", ".join(parts)


def snapshot() -> dict[str, object]:
    labels, sql = _snapshot_query()
    with connection.cursor() as db:
        db.execute(sql)
        return dict(zip(labels, db.fetchone(), strict=True))


def changed(before: dict, after: dict) -> str:
    return ", ".join(
        f"{label} {before[label]} -> {after[label]}" for label in before if before[label] != after[label]
    )


# Failures


def _where(exc_info) -> str:
    """The exception and the innermost project frame (and the innermost frame) it came through."""
    kind, error, tb = exc_info
    message = traceback.format_exception_only(kind, error)[-1].strip()
    frames = traceback.extract_tb(tb)
    root = str(settings.BASE_DIR)
    ours = [
        frame
        for frame in frames
        if frame.filename.startswith(root)
        and "/.venv/" not in frame.filename
        and "/tests/" not in frame.filename
    ]
    places = []
    for frame in (ours[-1:] if ours else []) + frames[-1:]:
        name = frame.filename.removeprefix(root + "/")
        if "site-packages/" in name:
            name = name.split("site-packages/", 1)[1]
        text = f"{name}:{frame.lineno} in {frame.name}"
        if text not in places:
            places.append(text)
    return f"{message[:300]} (at {' via '.join(places)})"


def problem_with(response) -> str | None:
    """What is wrong with ``response``, or None."""
    status = response.status_code
    if status >= 500:
        if getattr(response, "exc_info", None):
            return f"{status}: {_where(response.exc_info)}"
        return f"{status}: {response.content[:200]!r}"
    if response.streaming:
        try:
            b"".join(response.streaming_content)
        except Exception as error:
            return f"{status}, then the stream broke: {_where((type(error), error, error.__traceback__))}"
        return None
    if status < 400:
        return None
    content_type = response.get("Content-Type", "")
    if content_type.split(";")[0].strip() != PROBLEM_CONTENT_TYPE:
        return f"{status} as {content_type!r}: {response.content[:120]!r}"
    try:
        body = json.loads(response.content)
    except ValueError:
        return f"{status} with a problem document that is not JSON: {response.content[:120]!r}"
    if not isinstance(body, dict):
        return f"{status} with a problem document that is not an object: {body!r:.120}"
    missing = [key for key in ("type", "title", "status", "detail") if key not in body]
    if missing:
        return f"{status} with a problem document without {', '.join(missing)}: {body!r:.200}"
    if body["status"] != status:
        return f"{status} with a problem document saying status {body['status']!r}"
    return None


# The sweep


@dataclass
class Failure:
    operation: Operation
    path: str
    case: Case
    caller: str
    problem: str

    def __str__(self) -> str:
        query = self.case.query
        shown = "?" + (query if len(query) <= SHOWN_QUERY else query[:SHOWN_QUERY] + "...") if query else ""
        path = self.path if len(self.path) <= 120 else self.path[:60] + "..."
        return f"{self.operation.method} {path}{shown} [{self.case.name}] as {self.caller}: {self.problem}"


class Sweep:
    """Sends hostile requests, each in a savepoint rolled back after it is checked."""

    def __init__(self, tokens: dict[str, str | None], path_ids: dict, body_ids: dict):
        self.client = Client(raise_request_exception=False)
        self.tokens = tokens
        self.path_ids = path_ids
        self.body_ids = body_ids
        self.plausible = Plausible(Resolver(live_schema()), self.id_for)
        self.before = snapshot()
        self.sent = 0
        self.last_status: int | None = None

    def id_for(self, name: str) -> str:
        model = RELATIONS.get(name)
        return self.body_ids.get(model, UNKNOWN_ID)

    def path_values(self, operation: Operation) -> dict[str, str]:
        values = {}
        for parameter in operation.parameters_in("path"):
            schema = self.plausible.resolve(parameter.get("schema"))
            if schema.get("format") == "uuid":
                values[parameter["name"]] = self.path_ids.get(model_of(operation), UNKNOWN_ID)
            else:
                values[parameter["name"]] = str(self.plausible(schema, parameter["name"]))
        return values

    def cases_for(self, operation: Operation, caller: str) -> list[Case]:
        limited = caller != EDITOR
        values = self.path_values(operation)
        cases: list[Case] = []
        if operation.method not in SAFE_METHODS:
            cases += BodyCases(operation, self.plausible, FIRST_TAKERS).cases(limited=limited)
        cases += header_cases(operation)
        cases += query_cases(operation, self.plausible, UNKNOWN_ID, limited=limited)
        cases += path_cases(operation, values)
        return cases

    def run(self, operation: Operation) -> list[Failure]:
        path = fill_path(operation, self.path_values(operation))
        # The untouched request first: the editor must get past authentication and
        # permissions, or every case below would only test the refusal.
        body = None
        if operation.method not in SAFE_METHODS and operation.body_schema is not None:
            body = encode(BodyCases(operation, self.plausible).base)
        control = Case("the plausible request itself", body=body)
        failures = self.send(operation, path, EDITOR, control)
        if self.last_status in (401, 403):
            refused = f"{self.last_status}: the editor is refused, so every case would only test the refusal"
            failures.append(Failure(operation, path, control, EDITOR, refused))
        for caller in CALLERS:
            for case in self.cases_for(operation, caller):
                failures += self.send(operation, path, caller, case)
        for case in authorization_cases():
            failures += self.send(operation, path, "a client with a broken token", case)
        return failures

    def send(self, operation: Operation, path: str, caller: str, case: Case) -> list[Failure]:
        extra = {"QUERY_STRING": case.query}
        token = self.tokens.get(caller)
        if token and not case.replaces_credentials:
            extra["HTTP_AUTHORIZATION"] = f"Token {token}"
        extra.update(case.headers)
        data = b""
        if case.body is not None:
            data = case.body
            extra["CONTENT_TYPE"] = case.content_type
        target = case.path or path
        self.sent += 1
        with transaction.atomic():
            started = time.perf_counter()
            watch = WriteWatch()
            try:
                with connection.execute_wrapper(watch):
                    response = self.client.generic(operation.method, target, data, **extra)
            except Exception as error:
                problem = f"the test client raised {_where((type(error), error, error.__traceback__))}"
            else:
                self.last_status = response.status_code
                problem = problem_with(response)
                took = time.perf_counter() - started
                if problem is None and took > WORKER_TIMEOUT_SECONDS:
                    problem = (
                        f"{response.status_code} after {took:.0f} s, past the {WORKER_TIMEOUT_SECONDS} s "
                        "worker timeout: in production the worker is killed first"
                    )
                checked = operation.method in SAFE_METHODS or response.status_code >= 400
                if problem is None and checked and watch.suspect:
                    problem = self.wrote_something(response.status_code)
            transaction.set_rollback(True)
        return [Failure(operation, target, case, caller, problem)] if problem else []

    def wrote_something(self, status: int) -> str | None:
        try:
            with transaction.atomic():
                after = snapshot()
        except DatabaseError as error:
            return f"{status}, leaving the transaction unusable: {error}"
        difference = changed(self.before, after)
        return f"{status}, but it wrote: {difference}" if difference else None


class WriteWatch:
    """Notes whether a request sent SQL that writes, or SQL that failed: only then can it
    have changed the database (or left the transaction unusable), so only then is the
    database compared with its snapshot."""

    WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "MERGE", "TRUNCATE", "COPY")

    def __init__(self):
        self.suspect = False

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(self.WRITES):
            self.suspect = True
        try:
            return execute(sql, params, many, context)
        except DatabaseError:
            self.suspect = True
            raise


def model_of(operation: Operation):
    """The model behind an operation's path, from the view the URL resolves to."""
    probe = re.sub(r"\{[^}]+\}", UNKNOWN_ID, operation.path)
    view = getattr(resolve(probe).func, "cls", None)
    queryset = getattr(view, "queryset", None)
    if queryset is not None:
        return queryset.model
    serializer = getattr(view, "serializer_class", None)
    return getattr(getattr(serializer, "Meta", None), "model", None)


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# The ids the schema's examples refer to: a request body from an example names them.
EXAMPLE_IDS = {found for operation in OPERATIONS for found in UUID.findall(json.dumps(operation.example))}


def _path_row(model):
    """A row to put in paths: one no example refers to (so replacing it with an example
    body makes no cycle or self-reference), with reviews where the model has them (so its
    ClaimReview exists); the last of those by id."""
    rows = model._default_manager.order_by("pk")
    if model._meta.pk.get_internal_type() == "UUIDField":
        rows = rows.exclude(pk__in=EXAMPLE_IDS)
    if hasattr(model, "reviews") and rows.filter(reviews__isnull=False).exists():
        rows = rows.filter(reviews__isnull=False)
    return rows.last() or model._default_manager.order_by("pk").last()


@pytest.fixture
def _quiet_errors():
    """The sweep provokes errors on purpose; their log lines would bury the report."""
    logging.disable(logging.CRITICAL)
    yield
    logging.disable(logging.NOTSET)


@dataclass
class World:
    """The rows every request meets: the Panjshir fixture, its history, one change in the
    feed, a webhook with a delivery, and a token for each caller."""

    tokens: dict[str, str | None]
    path_ids: dict
    body_ids: dict

    def client(self, caller: str) -> APIClient:
        client = APIClient()
        if self.tokens[caller]:
            client.credentials(HTTP_AUTHORIZATION=f"Token {self.tokens[caller]}")
        return client


def _user(username: str, *groups: str) -> User:
    """A user as tests/conftest.py makes them (``editor`` is the schema example's login)."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        user = User.objects.create_user(username=username, password="correct horse battery staple")
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


def _build_world() -> World:
    editor = _user("editor", EDITORS_GROUP, VERIFIERS_GROUP)
    reader = _user("reader")
    call_command("loaddata", Path(settings.BASE_DIR) / "fixtures" / "panjshir.json", verbosity=0)
    call_command("populate_history", "--auto", stdout=io.StringIO())
    webhook = Webhook.objects.create(owner=editor, target_url="http://127.0.0.1:9/hook", secret="s" * 16)
    WebhookDelivery.objects.create(
        webhook=webhook, seq=1, attempt=1, succeeded=False, duration_ms=1, attempted_at=timezone.now()
    )
    tokens = {
        "anonymous": None,
        "plain user": AuthToken.objects.create(user=reader)[1],
        EDITOR: AuthToken.objects.create(user=editor)[1],
    }
    # One real write, so the change feed has an entry and the place a second version.
    place = Place.objects.order_by("pk").first()
    written = Client().patch(
        f"/api/v1/places/{place.pk}/",
        {"name": place.name + " (hostile inputs)"},
        content_type=JSON,
        HTTP_AUTHORIZATION=f"Token {tokens[EDITOR]}",
    )
    assert written.status_code == 200, written.content
    rows = {model: _path_row(model) for model in {model_of(operation) for operation in OPERATIONS} - {None}}
    return World(
        tokens=tokens,
        path_ids={model: str(row.pk) for model, row in rows.items() if row is not None},
        body_ids={
            model: str(model._default_manager.order_by("pk").first().pk) for model in set(RELATIONS.values())
        },
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> World:
    """Built once for the module, in a transaction rolled back after its last test; each
    test runs in a savepoint inside it (pytest-django's ``db``), each request in another."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


@pytest.fixture
def sweep(world, db, settings, monkeypatch, _quiet_errors) -> Sweep:
    # Thousands of requests a minute from one client: the throttle must not answer for the
    # server (its counters still run).
    for scope in ("anon", "user"):
        monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, scope, "1000000/minute")
    settings.EVENTSAPI_WEBHOOK_ALLOW_PRIVATE = True
    return Sweep(world.tokens, world.path_ids, world.body_ids)


@pytest.fixture
def editor_client(world) -> APIClient:
    return world.client(EDITOR)


def test_the_sweep_walks_every_operation_of_the_committed_schema():
    import yaml

    committed = yaml.safe_load((Path(settings.BASE_DIR) / "openapi.yaml").read_text())
    published = {
        operation["operationId"]
        for item in committed["paths"].values()
        for method, operation in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    }

    assert published <= {operation.operation_id for operation in OPERATIONS}


def report(failures: list[Failure], sent: int) -> str:
    shown = "\n".join(str(failure) for failure in failures[:MAX_REPORTED])
    more = f"\n... and {len(failures) - MAX_REPORTED} more" if len(failures) > MAX_REPORTED else ""
    return f"{len(failures)} of {sent} hostile requests failed:\n{shown}{more}"


def test_the_sweep_notices_what_a_request_writes(sweep):
    watch = WriteWatch()
    with transaction.atomic():
        with connection.execute_wrapper(watch):
            Place.objects.create(name="Written by a refused request", kind="locality")
        noticed = sweep.wrote_something(400)
        transaction.set_rollback(True)

    assert watch.suspect
    assert f"{Place._meta.db_table} rows" in noticed


@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
def test_no_hostile_input_reaches_a_500_or_writes_anything(operation, sweep):
    failures = sweep.run(operation)

    assert not failures, report(failures, sweep.sent)


def _list_positions() -> list:
    """(operation, path) of every list in every request component, with its first taker."""
    plausible = Plausible(Resolver(live_schema()), lambda name: UNKNOWN_ID)
    return [
        pytest.param(operation, path, id=f"{operation}-{position_name(path)}")
        for operation in OPERATIONS
        if operation.body_schema is not None and FIRST_TAKERS.get(operation.body_component) == str(operation)
        for path in BodyCases(operation, plausible).list_positions()
    ]


@pytest.mark.parametrize(("operation", "path"), _list_positions())
def test_a_list_of_10000_items_is_answered_in_time_without_a_500(operation, path, sweep):
    case = BodyCases(operation, sweep.plausible).oversized_case(path)

    failures = sweep.send(operation, fill_path(operation, sweep.path_values(operation)), EDITOR, case)

    assert not failures, report(failures, sweep.sent)


# What the hardening promises, case by case (the examples)


def assert_names(response, name: str, status: int = 400) -> dict:
    """A problem document whose errors name ``name`` (or a path inside it)."""
    body = assert_problem(response, status)
    fields = [error.get("field") or "" for error in body.get("errors", [])]
    assert any(field == name or field.startswith((f"{name}.", f"{name}[")) for field in fields), body
    return body


def lists_with(parameter: str) -> list[str]:
    return [
        operation.path
        for operation in OPERATIONS
        if operation.method == "GET" and any(p["name"] == parameter for p in operation.parameters_in("query"))
    ]


def test_brackets_10000_deep_posted_as_a_place_are_a_400(editor_client):
    places = Place.objects.count()

    response = editor_client.generic("POST", "/api/v1/places/", BRACKETS_10000_DEEP, content_type=JSON)

    assert_problem(response, 400)
    assert Place.objects.count() == places


def test_a_body_nested_65_deep_is_a_400(editor_client):
    places = Place.objects.count()
    body = {"name": "Dara", "kind": "admin2", "alternate_names": nested_lists(64)}

    response = editor_client.generic("POST", "/api/v1/places/", encode(body), content_type=JSON)

    assert_problem(response, 400)
    assert Place.objects.count() == places


def test_a_body_of_invalid_utf8_is_a_400(editor_client):
    places = Place.objects.count()
    body = b'{"name": "' + INVALID_UTF8 + b'", "kind": "locality"}'

    response = editor_client.generic("POST", "/api/v1/places/", body, content_type=JSON)

    assert_problem(response, 400)
    assert Place.objects.count() == places


def test_a_body_repeating_a_key_is_a_400(editor_client):
    places = Place.objects.count()
    body = b'{"name": "a", "name": "b", "kind": "locality"}'

    response = editor_client.generic("POST", "/api/v1/places/", body, content_type=JSON)

    assert_problem(response, 400)
    assert Place.objects.count() == places


def test_a_nul_in_a_string_is_a_400_naming_the_field(editor_client):
    places = Place.objects.count()

    response = editor_client.post("/api/v1/places/", {"name": NUL_STRING, "kind": "locality"}, format="json")

    assert_names(response, "name")
    assert Place.objects.count() == places


def test_a_nul_in_a_key_of_external_ids_is_a_400_naming_external_ids(editor_client):
    actors = Actor.objects.count()
    body = {"name": "x", "kind": "organization", "external_ids": {NUL_KEY: "Q1"}}

    response = editor_client.post("/api/v1/actors/", body, format="json")

    assert_names(response, "external_ids")
    assert Actor.objects.count() == actors


def test_a_nul_in_the_external_id_filter_is_a_400_naming_it(api_client):
    response = api_client.get("/api/v1/actors/?external_id=twitter:a%00b")

    assert_names(response, "external_id")


def test_invalid_utf8_in_a_query_parameter_is_a_400_naming_it(api_client):
    response = api_client.get("/api/v1/events/?q=Panjshir%ff%fe")

    assert_names(response, "q")


def test_a_cursor_of_brackets_1400_deep_is_a_400_naming_cursor(api_client):
    response = api_client.get("/api/v1/events/", {"cursor": cursor(b"[" * 1400 + b"]" * 1400)})

    assert_names(response, "cursor")


def test_a_token_that_is_not_utf8_is_a_401(api_client):
    response = api_client.get("/api/v1/events/", HTTP_AUTHORIZATION=f"Token {INVALID_UTF8_HEADER}")

    assert_problem(response, 401)


def test_date_to_on_the_last_day_of_the_calendar_is_unbounded_or_a_400_naming_it(api_client):
    response = api_client.get("/api/v1/sources/", {"date_to": "9999-12-31"})

    if response.status_code != 200:
        assert_names(response, "date_to")


@pytest.mark.parametrize("path", lists_with("updated_since"))
@pytest.mark.parametrize("instant", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"])
def test_updated_since_outside_the_calendar_in_utc_is_a_400_naming_it(api_client, path, instant):
    response = api_client.get(path, {"updated_since": instant})

    assert_names(response, "updated_since")
