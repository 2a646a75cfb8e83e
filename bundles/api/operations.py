"""Reading a bundle: its operations, checked for shape before anything is written.

Everything that can be known without the database is checked here, so a malformed bundle
fails before its first write: the ``op`` and ``resource``, which keys each op takes, local
ids (``lid``: defined once, used only after their definition and only where a record of
their resource is expected, never by the operation that defines them), ``id`` and ``lid``
never together, and the shape of each ``match``. Each failure is a 400 ``BundleError``
whose field points into the bundle: ``operations[3].data.about[0].event``.
"""

import datetime
import uuid
from dataclasses import dataclass, field

from django.db.models import Model

from bundles.api.errors import BundleError
from bundles.api.references import is_local_reference, map_references, writable_fields
from bundles.api.resources import RESOURCE_BY_MODEL, RESOURCES, BundleResource
from bundles.natural_keys import NaturalKey, whitespace_normalized
from claims.api.serializers import ReviewSerializer
from claims.urls_normalization import normalize_source_url
from events.models import Actor, Place
from events.selectors import EXTERNAL_ID

OPS = ("create", "update", "upsert", "delete", "review")
LID_MAX_LENGTH = 200
# The keys each op takes (besides `op` and `resource`); `target` stands for one of id/lid/ref.
OP_KEYS = {
    "create": {"lid", "match", "data"},
    "upsert": {"lid", "match", "data", "if_match"},
    "update": {"target", "data", "if_match"},
    "delete": {"target", "if_match"},
    "review": {"target", "data"},
}
REQUIRED_KEYS = {"create": {"data"}, "upsert": {"match"}, "update": {"data"}, "review": {"data"}}
TARGET_KEYS = ("id", "lid", "ref")
ALL_KEYS = {"op", "resource", "lid", "id", "ref", "match", "data", "if_match"}
# A match's reference fields, and the model each refers to.
MATCH_REFERENCES = {"parent": Place, "speaker": Actor}


@dataclass(frozen=True)
class Target:
    """The record an update, delete or review acts on: an id, or a lid defined earlier."""

    id: uuid.UUID | None = None
    lid: str | None = None


@dataclass
class Operation:
    index: int
    op: str
    resource: BundleResource
    lid: str | None = None  # defined by create and upsert
    target: Target | None = None
    match: dict | None = None  # raw, references still as sent
    data: dict = field(default_factory=dict)
    if_match: int | None = None  # None: no precondition (absent or "*")

    @property
    def path(self) -> str:
        return f"operations[{self.index}]"

    def describe(self) -> dict:
        return {"index": self.index, "op": self.op, "resource": self.resource.name, "lid": self.lid}

    def data_fields(self):
        serializer = ReviewSerializer if self.op == "review" else self.resource.serializer
        return writable_fields(serializer)


@dataclass
class Bundle:
    operations: list[Operation]
    dry_run: bool


class _Parser:
    def __init__(self, raw_operations: list):
        self.raw = raw_operations
        self.defined: dict[str, tuple[BundleResource, int]] = {}
        # Every lid a create or upsert defines, wherever it is: for "used before defined".
        self.defined_later: dict[str, int] = {}
        for index, raw in enumerate(raw_operations):
            if (
                isinstance(raw, dict)
                and raw.get("op") in ("create", "upsert")
                and isinstance(raw.get("lid"), str)
            ):
                self.defined_later.setdefault(raw["lid"], index)
        self.index = 0
        self.current: dict = {"index": 0}

    def fail(self, suffix: str, code: str, message: str, status: int = 400):
        raise BundleError(
            status, message, field=f"operations[{self.index}]{suffix}", code=code, operation=self.current
        )

    # -- the operation ------------------------------------------------------------------------

    def parse(self) -> list[Operation]:
        return [self.operation(index, raw) for index, raw in enumerate(self.raw)]

    def operation(self, index: int, raw) -> Operation:
        self.index = index
        self.current = {"index": index, "op": None, "resource": None, "lid": None}
        if not isinstance(raw, dict):
            self.fail("", "invalid", "Each operation is an object with `op`, `resource` and its data.")
        self.current.update(
            {key: raw.get(key) for key in ("op", "resource", "lid") if isinstance(raw.get(key), str)}
        )
        for key in raw:
            if key not in ALL_KEYS:
                self.fail(f".{key}", "unknown_field", f"`{key}` is not a key of an operation.")
        op = raw.get("op")
        if op not in OPS:
            self.fail(".op", "invalid_choice", "`op` is one of " + ", ".join(OPS) + ".")
        resource = RESOURCES.get(raw.get("resource")) if isinstance(raw.get("resource"), str) else None
        if resource is None:
            self.fail(".resource", "invalid_choice", "`resource` is one of " + ", ".join(RESOURCES) + ".")
        if op == "review" and not resource.reviewable:
            self.fail(".resource", "invalid_choice", "Reviews are of events, statements or sources.")
        allowed = OP_KEYS[op]
        for key in raw:
            if key in ("op", "resource"):
                continue
            if (
                key in TARGET_KEYS
                and "target" in allowed
                and not (key == "lid" and op in ("create", "upsert"))
            ):
                continue
            if key not in allowed:
                self.fail(f".{key}", "not_allowed", self._not_allowed(op, key))
        for key in REQUIRED_KEYS.get(op, ()):
            if key not in raw:
                self.fail(f".{key}", "required", f"`{key}` is required on {op}.")

        operation = Operation(index=index, op=op, resource=resource)
        if "target" in allowed:
            operation.target = self.target(raw, resource)
        if op in ("create", "upsert") and "lid" in raw:
            operation.lid = self.lid_definition(raw["lid"], resource, index)
        if "match" in raw:
            operation.match = self.match(raw["match"], resource, operation.lid)
        if "data" in raw:
            if not isinstance(raw["data"], dict):
                self.fail(".data", "invalid", "`data` is an object: what the resource's endpoint accepts.")
            operation.data = raw["data"]
            map_references(
                operation.data,
                operation.data_fields(),
                f"operations[{index}].data",
                self._checker(operation.lid),
            )
        if "if_match" in raw:
            operation.if_match = self.if_match(raw["if_match"])
        if operation.lid is not None:
            self.defined[operation.lid] = (resource, index)
        return operation

    @staticmethod
    def _not_allowed(op: str, key: str) -> str:
        if op in ("create", "upsert") and key in ("id", "ref"):
            return (
                f"`{key}` is not allowed on {op}: the server assigns ids "
                "(use `match` to find an existing record)."
            )
        if key == "lid":
            return f"`lid` on {op} names its target; use `ref` or `id`."
        return f"`{key}` is not allowed on {op}."

    # -- local ids ----------------------------------------------------------------------------

    def lid_definition(self, lid, resource: BundleResource, index: int) -> str:
        if not isinstance(lid, str) or not lid.strip() or len(lid) > LID_MAX_LENGTH:
            self.fail(
                ".lid", "invalid", f"`lid` is a non-empty string of at most {LID_MAX_LENGTH} characters."
            )
        if lid in self.defined:
            earlier = self.defined[lid][1]
            self.fail(".lid", "duplicate_lid", f'lid "{lid}" is already defined by operation {earlier}.')
        return lid

    def lid_use(self, lid, model: type[Model] | None, suffix: str, own_lid: str | None) -> str:
        if not isinstance(lid, str) or not lid:
            self.fail(suffix, "invalid", "A `lid` is a non-empty string.")
        if own_lid is not None and lid == own_lid:
            self.fail(
                suffix, "cycle", f'lid "{lid}" is defined by this operation: a record cannot refer to itself.'
            )
        if lid not in self.defined:
            later = self.defined_later.get(lid)
            if later is not None:
                self.fail(
                    suffix,
                    "lid_used_before_definition",
                    f'lid "{lid}" is used before operation {later} defines it.',
                )
            self.fail(suffix, "unknown_lid", f'No operation before this one defines lid "{lid}".')
        resource, index = self.defined[lid]
        if model is not None and resource.model is not model:
            expected = (
                RESOURCE_BY_MODEL[model].name if model in RESOURCE_BY_MODEL else model._meta.verbose_name
            )
            self.fail(
                suffix,
                "lid_wrong_resource",
                f'lid "{lid}" is a record of {resource.name} (operation {index}); '
                f"{expected} is expected here.",
            )
        return lid

    def _checker(self, own_lid: str | None):
        prefix = f"operations[{self.index}]"

        def check(value, model, path):
            if is_local_reference(value):
                suffix = path.removeprefix(prefix)
                if "id" in value:
                    self.fail(suffix, "id_and_lid", "A reference has an `id` or a `lid`, not both.")
                if set(value) != {"lid"}:
                    self.fail(suffix, "invalid", 'A local reference is {"lid": "..."} alone.')
                self.lid_use(value["lid"], model, suffix, own_lid)
            return value

        return check

    def target(self, raw: dict, resource: BundleResource) -> Target:
        given = [key for key in TARGET_KEYS if key in raw]
        if set(given) >= {"id", "lid"}:
            self.fail(".lid", "id_and_lid", "An operation names its target by `id` or by `lid`, not both.")
        if len(given) != 1:
            self.fail(
                "",
                "required" if not given else "invalid",
                "Name the target with one of `id`, `lid` or `ref`.",
            )
        key = given[0]
        if key == "ref":
            ref = raw["ref"]
            if not isinstance(ref, dict):
                self.fail(".ref", "invalid", 'A `ref` is {"id": "..."} or {"lid": "..."}.')
            if {"id", "lid"} <= set(ref):
                self.fail(".ref", "id_and_lid", "A `ref` has an `id` or a `lid`, not both.")
            if len(ref) != 1 or not ({"id", "lid"} & set(ref)):
                self.fail(".ref", "invalid", 'A `ref` is {"id": "..."} or {"lid": "..."}.')
            key, value, suffix = next(iter(ref)), next(iter(ref.values())), f".ref.{next(iter(ref))}"
        else:
            value, suffix = raw[key], f".{key}"
        if key == "lid":
            return Target(lid=self.lid_use(value, resource.model, suffix, None))
        if not _is_uuid(value):
            self.fail(suffix, "invalid", "Expected an id (UUID).")
        return Target(id=uuid.UUID(value))

    # -- match and if_match -------------------------------------------------------------------

    def match(self, match, resource: BundleResource, own_lid: str | None) -> dict:
        keys_text = " or ".join("{" + ", ".join(sorted(keys)) + "}" for keys in resource.match_keys)
        if not isinstance(match, dict) or frozenset(match) not in resource.match_keys:
            self.fail(".match", "invalid_match", f"A match on {resource.name} names {keys_text}.")
        for name, value in match.items():
            suffix = f".match.{name}"
            if name in MATCH_REFERENCES:
                if value is None and name == "parent":
                    continue
                if is_local_reference(value):
                    self._checker(own_lid)(value, MATCH_REFERENCES[name], f"operations[{self.index}]{suffix}")
                    continue
                if isinstance(value, dict) and set(value) == {"id"}:
                    value = value["id"]
                if not _is_uuid(value):
                    self.fail(suffix, "invalid", 'Expected an id (UUID) or {"lid": "..."}.')
            elif name == "stated_on":
                if not isinstance(value, str) or not _is_date(value):
                    self.fail(suffix, "invalid", "Expected an ISO date, e.g. 2021-09-06.")
            elif not isinstance(value, str) or not whitespace_normalized(value):
                self.fail(suffix, "invalid", "Expected a non-empty string.")
            elif name == "external_id" and not EXTERNAL_ID.match(value):
                self.fail(suffix, "invalid", "Enter scheme:value, such as wikidata:Q42834.")
            elif name == "url":
                try:
                    normalize_source_url(value)
                except ValueError as error:
                    self.fail(suffix, "invalid", str(error))
            elif name == "kind":
                choices = [choice for choice, _ in resource.model._meta.get_field("kind").choices]
                if value not in choices:
                    self.fail(suffix, "invalid_choice", f"`kind` is one of {', '.join(choices)}.")
        return match

    def if_match(self, value) -> int | None:
        if isinstance(value, str):
            text = value.strip().removeprefix("W/").strip('"')
            if text == "*":
                return None
            value = int(text) if text.isdigit() else value
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.fail(
                ".if_match", "invalid", 'Send the version you read (an integer, or its ETag such as "3").'
            )
        return value


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(value)
    except (ValueError, TypeError, AttributeError):
        return False
    return True


def _is_date(value: str) -> bool:
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def parse_bundle(body, *, max_operations: int) -> Bundle:
    """The bundle in ``body``, checked for shape; ``BundleError`` on the first problem."""
    if not isinstance(body, dict):
        raise BundleError(400, "The body is an object with `operations`.", field="operations", code="invalid")
    for key in body:
        if key not in ("operations", "dry_run"):
            raise BundleError(400, f"`{key}` is not a key of a bundle.", field=key, code="unknown_field")
    operations = body.get("operations")
    if not isinstance(operations, list):
        raise BundleError(400, "`operations` is a list of operations.", field="operations", code="required")
    if not operations:
        raise BundleError(400, "A bundle needs at least one operation.", field="operations", code="empty")
    if len(operations) > max_operations:
        raise BundleError(
            413,
            f"A bundle holds at most {max_operations} operations; this one has {len(operations)}. "
            "Split it into several bundles.",
            field=f"operations[{max_operations}]",
            code="too_many_operations",
        )
    dry_run = body.get("dry_run", False)
    if not isinstance(dry_run, bool):
        raise BundleError(400, "`dry_run` is true or false.", field="dry_run", code="invalid")
    return Bundle(operations=_Parser(operations).parse(), dry_run=dry_run)


def natural_key(operation: Operation, resolve) -> NaturalKey:
    """The operation's match as a ``NaturalKey``; ``resolve`` turns a local reference into an id."""
    match = dict(operation.match)
    if operation.resource.model is Place and "name" in match and "parent" not in match:
        # A place matched by name and kind lies where its data puts it (top level when unsaid).
        parent = operation.data.get("parent")
        if isinstance(parent, dict) and set(parent) == {"id"}:
            parent = parent["id"]
        # A malformed parent finds nothing here; the create that follows names the field.
        match["parent"] = parent if parent is None or is_local_reference(parent) or _is_uuid(parent) else None
    values = []
    for name, value in sorted(match.items()):
        if name in MATCH_REFERENCES:
            if is_local_reference(value):
                value = resolve(value["lid"])
            elif isinstance(value, dict):
                value = uuid.UUID(value["id"])
            elif value is not None:
                value = uuid.UUID(value)
        elif name == "stated_on":
            value = datetime.date.fromisoformat(value)
        elif name == "external_id":
            parsed = EXTERNAL_ID.match(value)
            value = (parsed["scheme"], parsed["value"])
        elif name == "url":
            value = normalize_source_url(value)
        values.append((name, value))
    return NaturalKey(model=operation.resource.model, values=tuple(sorted(values, key=lambda item: item[0])))
