"""Hostile inputs, and the schema walk that aims them at every operation.

Used by ``tests/eventsapi/test_hostile_inputs.py``:

- ``live_schema()`` is the OpenAPI schema the server serves, generated in-process by
  drf-spectacular's generator exactly as ``manage.py spectacular`` does, and
  ``operations()`` lists its operations: an endpoint added to the API is swept by itself.
- ``BodyCases``, ``header_cases``, ``query_cases`` and ``path_cases`` turn one operation
  into hostile requests (``Case``), each changing one position of an otherwise plausible
  request: the whole body, one field, one value nested in an object, list or dict field,
  one header, one query parameter's value or name, the path parameter.
- ``encode`` writes JSON that no Python value can stand for: exact bytes spliced in
  (``Raw``: invalid UTF-8, 10,000 brackets, ``NaN``) and objects with a repeated key
  (``Pairs``).
"""

import base64
import copy
import functools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

HTTP_METHODS = ("get", "post", "put", "patch", "delete")
JSON = "application/json"


@dataclass(frozen=True)
class Raw:
    """A JSON fragment written as exactly these bytes."""

    data: bytes


@dataclass(frozen=True)
class Pairs:
    """A JSON object written from its (key, value) pairs, so a key may appear twice."""

    items: tuple[tuple[str, Any], ...]


def encode(value: Any) -> bytes:
    """``value`` as JSON bytes; ``Raw`` fragments and ``Pairs`` objects written as they are."""
    if isinstance(value, Raw):
        return value.data
    if isinstance(value, (dict, Pairs)):
        items = value.items if isinstance(value, Pairs) else value.items()
        return b"{" + b",".join(encode(key) + b":" + encode(item) for key, item in items) + b"}"
    if isinstance(value, list):
        return b"[" + b",".join(encode(item) for item in value) + b"]"
    return json.dumps(value).encode()


def nested_lists(depth: int) -> list:
    """``depth`` lists, each the only item of the one around it."""
    value: list = []
    for _ in range(depth - 1):
        value = [value]
    return value


def nested_objects(depth: int) -> dict:
    """``depth`` objects ``{"a": {"a": ...}}``."""
    value: dict = {}
    for _ in range(depth - 1):
        value = {"a": value}
    return value


BRACKETS_10000_DEEP = b"[" * 10000 + b"]" * 10000
INVALID_UTF8 = b"\xff\xfe"
# In the WSGI environ a header value is a str decoded as latin-1: these are the bytes
# e9 ff fe, which are not UTF-8.
INVALID_UTF8_HEADER = "\xe9\xff\xfe"
NUL_STRING = "Pan\u0000jshir"
NUL_KEY = "wiki\u0000data"

# Every date and date-time position gets each of these.
CALENDAR_EDGES = [
    "0001-01-01",
    "9999-12-31",
    "0001-01-01T00:00:00+05:00",
    "9999-12-31T23:59:59-05:00",
    "0000-00-00",
    "10000-01-01",
]
# Instants a cursor may carry: UTC is outside year 1..9999 for the last two.
CURSOR_INSTANTS = [
    "0001-01-01",
    "9999-12-31",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "0001-01-01T00:00:00+05:00",
    "9999-12-31T23:59:59-05:00",
]

# (name, value) of the values every JSON position gets: each wrong type, numbers no column
# holds, broken text, deep nesting.
WRONG_TYPES = [
    ("a string", "hostile"),
    ("an integer", 7),
    ("a float", 1.5),
    ("true", True),
    ("null", None),
    ("a list", ["hostile"]),
    ("an object", {"hostile": "object"}),
]
# The schema types each of WRONG_TYPES is of.
JSON_TYPES = {
    "a string": {"string"},
    "an integer": {"integer", "number"},
    "a float": {"number"},
    "true": {"boolean"},
    "null": set(),
    "a list": {"array"},
    "an object": {"object"},
}
# Values the field's own validation must refuse.
FIELD_VALUES = [
    ("an empty string", ""),
    ("an integer of 31 digits", 10**30),
    ("a string with NUL", NUL_STRING),
    ("a lone surrogate", Raw(b'"\\ud800"')),
]
# Values the parser must refuse wherever they are.
PARSER_VALUES = [
    ("NaN", Raw(b"NaN")),
    ("an infinite number", Raw(b"1e999")),
    ("invalid UTF-8", Raw(b'"' + INVALID_UTF8 + b'"')),
    ("lists 65 deep", nested_lists(65)),
    ("objects 100 deep", nested_objects(100)),
    ("brackets 10000 deep", Raw(BRACKETS_10000_DEEP)),
]
ODD_VALUES = FIELD_VALUES + PARSER_VALUES
# One whole body per mechanism, for callers refused before their body is read.
LIMITED_VALUES = [
    (name, value)
    for name, value in WRONG_TYPES + ODD_VALUES
    if name in {"a list", "null", "a string with NUL", "NaN", "lists 65 deep", "objects 100 deep"}
]
OVERSIZED = 10_000
# Whole bodies that are not a JSON value of any Python type.
RAW_BODIES = [
    ("the body is brackets 10000 deep", BRACKETS_10000_DEEP),
    ("the body has invalid UTF-8", b'{"name": "' + INVALID_UTF8 + b'"}'),
    ("the body repeats a key", b'{"name": "a", "name": "b"}'),
    ("the body is empty", b""),
    ("the body is cut short", b'{"name": '),
    ("the body has trailing data", b'{"name": "a"} {"name": "b"}'),
    ("the body starts with a byte-order mark", b'\xef\xbb\xbf{"name": "a"}'),
]


@dataclass
class Case:
    """One hostile request, as changes to the operation's plausible request."""

    name: str
    body: bytes | None = None
    content_type: str = JSON
    query: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    path: str | None = None
    # Sends its own Authorization header instead of the caller's credentials.
    replaces_credentials: bool = False


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str
    parameters: tuple[dict, ...]
    body_schema: dict | None
    # The request body's component, ``Patched`` dropped: PUT and PATCH share it with POST.
    body_component: str | None
    example: Any

    def parameters_in(self, location: str) -> list[dict]:
        return [parameter for parameter in self.parameters if parameter["in"] == location]

    @property
    def is_list(self) -> bool:
        return any(parameter["name"] == "cursor" for parameter in self.parameters_in("query"))

    def __str__(self) -> str:
        return self.operation_id


@functools.cache
def live_schema() -> dict:
    """The schema ``/api/schema/`` serves, generated as ``manage.py spectacular`` does."""
    from drf_spectacular.settings import spectacular_settings

    generator = spectacular_settings.DEFAULT_GENERATOR_CLASS()
    return generator.get_schema(request=None, public=True)


class Resolver:
    """Follows ``$ref`` and single ``allOf`` wrappers of one schema."""

    def __init__(self, schema: dict):
        self.schema = schema

    def __call__(self, node: dict | None) -> dict:
        node = dict(node or {})
        while True:
            if "$ref" in node:
                target: Any = self.schema
                for part in node.pop("$ref").removeprefix("#/").split("/"):
                    target = target[part]
                node = {**target, **node}
            elif len(node.get("allOf", ())) == 1:
                inner = node.pop("allOf")[0]
                node = {**self(inner), **node}
            else:
                return node

    def component_name(self, node: dict | None) -> str | None:
        ref = (node or {}).get("$ref", "")
        return ref.rsplit("/", 1)[-1] or None


def _request_content(operation: dict) -> dict:
    return operation.get("requestBody", {}).get("content", {}).get(JSON, {})


def _example_of(content: dict) -> Any:
    if "example" in content:
        return content["example"]
    for example in content.get("examples", {}).values():
        if "value" in example:
            return example["value"]
    return None


def operations(schema: dict | None = None) -> list[Operation]:
    """Every operation of ``schema`` (the live one by default), in schema order.

    An operation without an example of its own borrows the example of another operation
    whose request body is the same component (``PatchedEventRequest`` and ``EventRequest``
    alike), so updates start from the same plausible body as creates.
    """
    schema = schema or live_schema()
    resolve = Resolver(schema)
    examples: dict[str, Any] = {}
    for item in schema["paths"].values():
        for method in HTTP_METHODS:
            content = _request_content(item.get(method, {}))
            name = resolve.component_name(content.get("schema"))
            example = _example_of(content)
            if name and example is not None:
                examples.setdefault(name.removeprefix("Patched"), example)
    found = []
    for path, item in schema["paths"].items():
        for method in HTTP_METHODS:
            if method not in item:
                continue
            operation = item[method]
            content = _request_content(operation)
            name = resolve.component_name(content.get("schema"))
            example = _example_of(content)
            if example is None and name:
                example = examples.get(name.removeprefix("Patched"))
            found.append(
                Operation(
                    operation_id=operation["operationId"],
                    method=method.upper(),
                    path=path,
                    parameters=tuple(item.get("parameters", [])) + tuple(operation.get("parameters", [])),
                    body_schema=resolve(content["schema"]) if content.get("schema") else None,
                    body_component=name.removeprefix("Patched") if name else None,
                    example=copy.deepcopy(example),
                )
            )
    return found


# Plausible values


class Plausible:
    """A plausible value for a schema node: an id of a real row for a ``uuid`` named after
    a relation (``ids``), a date for a date, the first choice of an enum..."""

    def __init__(self, resolve: Resolver, ids: Callable[[str], str]):
        self.resolve = resolve
        self.ids = ids

    def __call__(self, node: dict | None, name: str = "") -> Any:
        node = self.resolve(node)
        if "enum" in node:
            return next(value for value in node["enum"] if value not in ("", None))
        for combinator in ("oneOf", "anyOf"):
            if node.get(combinator):
                return self(node[combinator][0], name)
        kind = node.get("type")
        if kind == "string":
            return self.string(node, name)
        if kind == "integer":
            return max(1, node.get("minimum", 1))
        if kind == "number":
            return min(max(1.5, node.get("minimum", 1.5)), node.get("maximum", 1.5))
        if kind == "boolean":
            return True
        if kind == "array":
            return [self(node.get("items"), name)]
        if kind == "object" or "properties" in node:
            properties = node.get("properties", {})
            if properties:
                return {
                    key: self(value, key)
                    for key, value in properties.items()
                    if not self.resolve(value).get("readOnly")
                }
            extra = node.get("additionalProperties")
            return {"wikidata": self(extra, "wikidata")} if isinstance(extra, dict) else {}
        return "hostile"

    def string(self, node: dict, name: str) -> str:
        fmt = node.get("format")
        if fmt == "uuid":
            return self.ids(name)
        if fmt == "date":
            return "2021-09-06"
        if fmt == "date-time":
            return "2021-09-06T04:30:00Z"
        if fmt in ("uri", "url"):
            return "http://127.0.0.1:9/hostile"
        if node.get("maxLength") == 2:
            return "AF"
        text = "Hostile input"
        return text.ljust(node.get("minLength", 0), "x")[: node.get("maxLength", len(text))]


def query_value(plausible: Plausible, parameter: dict) -> str:
    """A plausible value for a query parameter, as it appears in a URL (decoded)."""
    value = plausible(parameter.get("schema"), parameter["name"])
    if isinstance(value, list):
        return ",".join(str(item) for item in value)
    if isinstance(value, bool):
        return "true"
    return str(value)


# Bodies


def position_name(path: tuple) -> str:
    if not path:
        return "the body"
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


class BodyCases:
    """The hostile bodies of one operation: every position of a plausible body, in turn,
    given each hostile value (``limited``: the raw bodies and a few whole bodies only).

    The first operation taking a request component (the create; ``first_takers``) gets
    every value in every position. The others taking it too (the replace and the update,
    which lock and load the row before they read the body, so cost more per request) get,
    inside the body, what the field would accept and what reaches it as text: null, the
    values of its own JSON type, empty, NUL, a lone surrogate, 31 digits, the calendar
    edges, broken keys. Values of other JSON types are refused by the same serializer
    field as on the create, and what the parser refuses wherever it is (invalid UTF-8,
    NaN, deep nesting) is sent as their whole body only.
    Lists of 10,000 items are left to ``oversized_case``, one request each (a server that
    checks each item on its own takes seconds over one).
    """

    def __init__(self, operation: Operation, plausible: Plausible, first_takers: dict | None = None):
        self.operation = operation
        self.plausible = plausible
        self.resolve = plausible.resolve
        taker = (first_takers or {}).get(operation.body_component, operation.operation_id)
        self.first = taker == operation.operation_id
        schema = operation.body_schema
        self.base = operation.example if operation.example is not None else plausible(schema)

    @staticmethod
    def first_takers(operations: list[Operation]) -> dict[str, str]:
        """Request component -> the operationId of the first operation taking it."""
        takers: dict[str, str] = {}
        for operation in operations:
            if operation.body_component:
                takers.setdefault(operation.body_component, operation.operation_id)
        return takers

    def positions(self, node: dict | None, value: Any, path: tuple = ()) -> Iterator[tuple[tuple, dict, Any]]:
        """(path, schema node, plausible value) of the body and of everything inside it."""
        node = self.resolve(node)
        yield path, node, value
        if len(path) > 4:
            return
        if node.get("type") == "array":
            items = value if isinstance(value, list) and value else [self.plausible(node.get("items"))]
            yield from self.positions(node.get("items"), items[0], (*path, 0))
        elif node.get("properties"):
            current = value if isinstance(value, dict) else {}
            for key, child in node["properties"].items():
                if self.resolve(child).get("readOnly"):
                    continue
                child_value = current[key] if key in current else self.plausible(child, key)
                yield from self.positions(child, child_value, (*path, key))
        elif isinstance(node.get("additionalProperties"), dict):
            current = value if isinstance(value, dict) and value else self.plausible(node)
            key = next(iter(current))
            yield from self.positions(node["additionalProperties"], current[key], (*path, key))

    def replaced(self, document: Any, path: tuple, new: Any, node: dict | None) -> Any:
        """``document`` with the value at ``path`` replaced by ``new`` (made where missing)."""
        if not path:
            return new
        node = self.resolve(node)
        head, rest = path[0], path[1:]
        if isinstance(head, int):
            items = list(document) if isinstance(document, list) and document else []
            if not items:
                items = [self.plausible(node.get("items"))]
            items[0] = self.replaced(items[0], rest, new, node.get("items"))
            return items
        child = node.get("properties", {}).get(head) or node.get("additionalProperties")
        child = child if isinstance(child, dict) else {}
        result = dict(document) if isinstance(document, dict) else {}
        current = result[head] if head in result else self.plausible(child, head)
        result[head] = self.replaced(current, rest, new, child)
        return result

    @staticmethod
    def right_types(node: dict) -> list[tuple[str, Any]]:
        """Null and the values of the type ``node`` takes (all of them when it does not say)."""
        kind = node.get("type")
        if kind is None:
            return WRONG_TYPES
        return [(name, value) for name, value in WRONG_TYPES if value is None or kind in JSON_TYPES[name]]

    def values_for(self, path: tuple, node: dict, value: Any) -> list[tuple[str, Any]]:
        """The hostile values for one position, by what the schema says goes there."""
        values = WRONG_TYPES if self.first or not path else self.right_types(node)
        values = values + FIELD_VALUES
        if self.first or not path:
            values = values + PARSER_VALUES
        if node.get("format") in ("date", "date-time"):
            values = values + [(f"the calendar edge {edge}", edge) for edge in CALENDAR_EDGES]
        if isinstance(value, dict) and value:
            first = next(iter(value))
            values = values + [
                ("an object with a NUL in a key", {**value, NUL_KEY: "Q1"}),
                (f"an object repeating the key {first!r}", Pairs((*value.items(), (first, "repeated")))),
            ]
        return values

    def cases(self, limited: bool = False) -> Iterator[Case]:
        for name, raw in RAW_BODIES:
            yield Case(name, body=raw)
        if self.operation.body_schema is None:
            for name, value in WRONG_TYPES[:1] + PARSER_VALUES[-3:]:
                yield Case(f"the body is {name}", body=encode(value))
            return
        if limited:
            for name, hostile in LIMITED_VALUES:
                yield self.case((), name, hostile)
            return
        for path, node, value in self.positions(self.operation.body_schema, self.base):
            for name, hostile in self.values_for(path, node, value):
                yield self.case(path, name, hostile)
        if not limited:
            yield from self.content_type_cases()

    def case(self, path: tuple, name: str, hostile: Any) -> Case:
        document = self.replaced(self.base, path, hostile, self.operation.body_schema)
        return Case(f"{position_name(path)} is {name}", body=encode(document))

    def list_positions(self) -> list[tuple]:
        return [
            path
            for path, node, _ in self.positions(self.operation.body_schema, self.base)
            if node.get("type") == "array"
        ]

    def oversized_case(self, path: tuple) -> Case:
        """A list of 10,000 plausible items at ``path``."""
        for where, node, value in self.positions(self.operation.body_schema, self.base):
            if where == path:
                items = value if isinstance(value, list) and value else [self.plausible(node.get("items"))]
                return self.case(path, f"a list of {OVERSIZED:,} items", items[:1] * OVERSIZED)
        raise LookupError(f"{self.operation} has no list at {position_name(path)}")

    def content_type_cases(self) -> Iterator[Case]:
        body = encode(self.base)
        for content_type in (
            f"application/json; charset={INVALID_UTF8_HEADER}",
            "application/json; charset=no-such-charset",
            "application/json; charset=utf-16",
            f"multipart/form-data; boundary={INVALID_UTF8_HEADER}",
            "multipart/form-data",
        ):
            yield Case(f"Content-Type is {content_type!r}", body=body, content_type=content_type)
        for form in (b"name=%ff%fe&title=%ff%fe&text=%ff%fe", b"name=a%00b&title=a%00b&text=a%00b"):
            yield Case(
                f"a form-encoded body is {form.decode()}",
                body=form,
                content_type="application/x-www-form-urlencoded",
            )


# Headers

HEADER_VALUES = [
    ("invalid UTF-8", INVALID_UTF8_HEADER),
    ("an entity tag of invalid UTF-8", f'"{INVALID_UTF8_HEADER}"'),
    ("a weak entity tag of invalid UTF-8", f'W/"{INVALID_UTF8_HEADER}"'),
    ("1,000 entity tags", ", ".join(['"1"'] * 1000)),
    ("brackets 2000 deep", "[" * 2000 + "]" * 2000),
]
AUTHORIZATION_VALUES = [
    f"Token {INVALID_UTF8_HEADER}",
    f"Bearer {INVALID_UTF8_HEADER}",
    f"Token {INVALID_UTF8_HEADER} {INVALID_UTF8_HEADER}",
    INVALID_UTF8_HEADER,
    "Token " + "a" * 8000,
    "Token",
]


def _environ_name(header: str) -> str:
    return "HTTP_" + header.upper().replace("-", "_")


def header_cases(operation: Operation) -> Iterator[Case]:
    """Each header the operation documents, and Accept, with each hostile value."""
    for parameter in operation.parameters_in("header"):
        for name, value in HEADER_VALUES:
            yield Case(f"{parameter['name']} is {name}", headers={_environ_name(parameter["name"]): value})
    for name, value in HEADER_VALUES[:1] + HEADER_VALUES[3:4]:
        yield Case(f"Accept is {name}", headers={"HTTP_ACCEPT": value})


def authorization_cases() -> Iterator[Case]:
    for value in AUTHORIZATION_VALUES:
        shown = value if len(value) < 40 else value[:20] + f"... ({len(value)} characters)"
        yield Case(
            f"Authorization is {shown!r}", headers={"HTTP_AUTHORIZATION": value}, replaces_credentials=True
        )


# Query strings


def _q(text: str) -> str:
    return quote(text, safe=",")


def cursor(payload: Any) -> str:
    """A cursor as the server writes them: urlsafe base64 of the JSON, padding stripped."""
    data = payload if isinstance(payload, bytes) else encode(payload)
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def cursor_cases(uuid: str) -> Iterator[tuple[str, str]]:
    """(name, cursor) of cursors no page link holds."""
    for instant in CURSOR_INSTANTS:
        yield f"a cursor at {instant}", cursor({"p": [instant, uuid], "r": 0})
    for instant in CURSOR_INSTANTS[-2:]:
        yield f"a backward cursor at {instant}", cursor({"p": [instant, uuid], "r": 1})
    # Invalid UTF-8 and deep nesting of the whole cursor are cases of their own, below.
    for name, value in WRONG_TYPES + FIELD_VALUES + PARSER_VALUES[:2]:
        yield f"a cursor whose first value is {name}", cursor({"p": [value, uuid], "r": 0})
        yield f"a cursor whose id is {name}", cursor({"p": ["2021-09-06T04:30:00Z", value], "r": 0})
    for name, value in WRONG_TYPES + FIELD_VALUES[:3]:
        yield f"a cursor whose direction is {name}", cursor({"p": ["2021-09-06T04:30:00Z", uuid], "r": value})
        yield f"a cursor that is {name}", cursor(value)
    yield "a cursor of brackets 1400 deep", cursor(b"[" * 1400 + b"]" * 1400)
    yield "a cursor of 100 KB", cursor({"p": ["x" * 100_000, uuid], "r": 0})
    yield "a cursor of invalid UTF-8", cursor(INVALID_UTF8)
    yield "a cursor with a repeated key", cursor(Pairs((("p", ["2021-09-06", uuid]), ("p", 1), ("r", 0))))
    yield "a cursor that is not base64", "!!!%ff%fe"
    yield "a cursor of one character", "a"


def query_cases(operation: Operation, plausible: Plausible, uuid: str, limited: bool) -> Iterator[Case]:
    """Every documented query parameter, in turn, with each hostile value and name; and
    parameters no operation documents."""
    yield Case("an unknown parameter has invalid UTF-8 in its name and value", query="%ff%fe=%ff%fe")
    yield Case("an unknown parameter has NUL in its name and value", query="a%00b=c%00d")
    yield Case("format is NUL", query="format=%00")
    yield Case("format is invalid UTF-8", query="format=%ff%fe")
    formats = [""]
    for parameter in operation.parameters_in("query"):
        name = parameter["name"]
        schema = plausible.resolve(parameter.get("schema"))
        value = query_value(plausible, parameter)
        yield Case(f"{name} has invalid UTF-8", query=f"{name}={_q(value)}%ff%fe")
        yield Case(f"{name} has NUL", query=f"{name}={_q(value[:1])}%00{_q(value[1:])}")
        if schema.get("format") in ("date", "date-time"):
            for edge in CALENDAR_EDGES:
                yield Case(f"{name} is the calendar edge {edge}", query=f"{name}={_q(edge)}")
        if name == "cursor":
            for case_name, value in cursor_cases(uuid):
                if not limited or "brackets" in case_name or "100 KB" in case_name:
                    yield Case(f"cursor is {case_name}", query=f"cursor={value}")
        if name == "format":
            formats += [f"&format={choice}" for choice in schema.get("enum", []) if choice != "json"]
        if limited:
            continue
        yield Case(f"{name} has invalid UTF-8 in its name", query=f"{name[:1]}%ff%fe{name[1:]}={_q(value)}")
        yield Case(f"{name} has NUL in its name", query=f"{name}%00={_q(value)}")
        yield Case(f"{name} is a list of 10,000 items", query=f"{name}=" + ",".join([_q(value)] * 10000))
        yield Case(f"{name} is brackets 10000 deep", query=f"{name}=" + "%5B" * 10000 + "%5D" * 10000)
        yield Case(f"{name} is an integer of 31 digits", query=f"{name}=1{'0' * 30}")
        yield Case(f"{name} is given 1,001 times", query="&".join([f"{name}={_q(value)}"] * 1001))
    if limited:
        return
    # The edges again where lists stream every row (csv, geojson) instead of a page, and
    # under each ordering (the cursor holds the ordering fields' values).
    dated = [
        parameter["name"]
        for parameter in operation.parameters_in("query")
        if plausible.resolve(parameter.get("schema")).get("format") in ("date", "date-time")
    ]
    for suffix in formats[1:]:
        for name in dated:
            for edge in CALENDAR_EDGES:
                yield Case(
                    f"{name} is the calendar edge {edge}, {suffix[1:]}", query=f"{name}={_q(edge)}{suffix}"
                )
        if operation.is_list:
            for case_name, value in list(cursor_cases(uuid))[:8]:
                yield Case(f"cursor is {case_name}, {suffix[1:]}", query=f"cursor={value}{suffix}")
    for parameter in operation.parameters_in("query"):
        if parameter["name"] != "ordering":
            continue
        choices = plausible.resolve(plausible.resolve(parameter.get("schema")).get("items")).get("enum", [])
        for choice in choices:
            for instant in CURSOR_INSTANTS[-2:]:
                value = cursor({"p": [instant, uuid], "r": 0})
                yield Case(
                    f"cursor is at {instant}, ordering={choice}", query=f"ordering={choice}&cursor={value}"
                )


def path_cases(operation: Operation, path_values: dict[str, str]) -> Iterator[Case]:
    """Each path parameter as invalid UTF-8, with a NUL, and 10,000 characters long."""
    for parameter in operation.parameters_in("path"):
        for name, value in (
            ("invalid UTF-8", "%ff%fe"),
            ("NUL", "%00"),
            ("10,000 characters long", "a" * 10000),
        ):
            path = fill_path(operation, {**path_values, parameter["name"]: value})
            yield Case(f"the {parameter['name']} in the path is {name}", path=path)


def fill_path(operation: Operation, path_values: dict[str, str]) -> str:
    path = operation.path
    for name, value in path_values.items():
        path = path.replace("{" + name + "}", value)
    return path
