"""Request body parsers that refuse hostile input before anything recurses over it.

- ``loads`` reads JSON strictly: at most ``MAX_JSON_DEPTH`` nested arrays and objects
  (checked by a linear scan *before* parsing, so no parser, serializer or validator ever
  recurses deeper), no key twice in one object, only finite numbers, and no NUL character
  or unpaired surrogate escape (``\\ud800``) in any key or string: no database stores
  either, and no news text holds one.
- ``JSONParser`` (what clients send) and the form parsers (what the browsable API sends)
  turn every refusal into a 400 problem document; an unstorable character, or an array or
  object of more than ``MAX_ITEMS`` items, names the field that holds it.
"""

import json
import math
import re
from itertools import accumulate

from django.conf import settings
from django.http import QueryDict
from rest_framework import exceptions, parsers

from eventsapi.validators import UNSTORABLE_MESSAGE, unstorable

MAX_JSON_DEPTH = 64
# A JSON string, escapes included (the unrolled form stays linear on long strings).
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_A_BRACKET = re.compile(r"[^\[\]{}]+")
# Items in one array or object: more than any one record holds (a country's alternate names,
# an event's participants), few enough that validating each (a query per related id) stays
# well inside a worker's timeout.
MAX_ITEMS = 1000
TOO_MANY_MESSAGE = f"At most {MAX_ITEMS} items are allowed."


class JSONRefused(ValueError):
    """JSON that parses but is refused: a duplicate key or a number that is not finite."""


def json_depth(text: str) -> int:
    """How deeply arrays and objects nest in ``text``, without parsing it."""
    brackets = _NOT_A_BRACKET.sub("", _JSON_STRING.sub("", text))
    return max(accumulate(1 if bracket in "[{" else -1 for bracket in brackets), default=0)


def _object_without_duplicates(pairs: list[tuple[str, object]]) -> dict:
    document = dict(pairs)
    if len(document) != len(pairs):
        seen = set()
        for key, _value in pairs:
            if key in seen:
                raise JSONRefused(f'The key "{key}" appears more than once in one object.')
            seen.add(key)
    return document


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise JSONRefused(f"The number {text[:40]} is out of range.")
    return number


def _refuse_constant(name: str):
    raise JSONRefused(f"{name} is not JSON.")


def loads(text: str, max_depth: int = MAX_JSON_DEPTH):
    """Parse ``text`` as strict JSON; ``ValueError`` (with a reason) when it is refused."""
    depth = json_depth(text)
    if depth > max_depth:
        raise JSONRefused(f"JSON nested {depth} levels deep; at most {max_depth} are allowed.")
    return json.loads(
        text,
        object_pairs_hook=_object_without_duplicates,
        parse_float=_finite,
        parse_constant=_refuse_constant,
    )


def refusals(document, path: str = "") -> dict[str, str]:
    """What is refused inside a parsed ``document``, by path (``about[0].stance``): keys and
    strings holding a character no database stores (NUL, an unpaired surrogate; a bad key
    names the object holding it), and arrays or objects of more than ``MAX_ITEMS``."""
    found = {}
    pending = [(path, document)]
    while pending:
        at, value = pending.pop()
        if isinstance(value, str):
            if unstorable(value):
                found[at] = UNSTORABLE_MESSAGE
        elif isinstance(value, (dict, list)) and len(value) > MAX_ITEMS:
            found[at] = TOO_MANY_MESSAGE
        elif isinstance(value, dict):
            for key, item in value.items():
                if unstorable(key):
                    found[at] = UNSTORABLE_MESSAGE
                else:
                    pending.append((f"{at}.{key}" if at else key, item))
        elif isinstance(value, list):
            pending.extend((f"{at}[{index}]", item) for index, item in enumerate(value))
    return found


def refuse(document) -> None:
    found = refusals(document)
    if found:
        raise exceptions.ValidationError(
            {path or "body": [message] for path, message in sorted(found.items())}
        )


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding)
        except (UnicodeDecodeError, LookupError) as error:
            raise exceptions.ParseError(f"The body is not valid {encoding} text.") from error
        try:
            document = loads(text)
        except ValueError as error:
            raise exceptions.ParseError(f"JSON parse error - {error}") from error
        refuse(document)
        return document


def _refuse_unstorable_in_form(form: QueryDict) -> None:
    fields = sorted(
        "body" if unstorable(key) else key
        for key in form
        if unstorable(key) or any(isinstance(value, str) and unstorable(value) for value in form.getlist(key))
    )
    if fields:
        raise exceptions.ValidationError({field: [UNSTORABLE_MESSAGE] for field in fields})


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        form = super().parse(stream, media_type, parser_context)
        _refuse_unstorable_in_form(form)
        return form


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        _refuse_unstorable_in_form(parsed.data)
        return parsed
