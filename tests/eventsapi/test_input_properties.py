"""Properties of the two decoders that read bytes from anyone: the body parser and the cursor.

Hypothesis generates the inputs. Whatever arrives, each decoder either returns a value or
raises the one error its caller turns into a 400 (``ValueError`` for the JSON reader and the
cursor codec, ``ParseError``/``ValidationError`` for the DRF parser): never ``RecursionError``,
``OverflowError`` or a decoding error that would become a 500.
"""

import base64
import contextlib
import io
import json
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework import exceptions

from eventsapi.api.pagination import MAX_CURSOR_LENGTH, decode_cursor, encode_cursor
from eventsapi.api.parsers import MAX_ITEMS, MAX_JSON_DEPTH, JSONParser, json_depth, loads, refusals

# JSON documents of every shape, strings with any character (NUL and lone surrogates aside,
# which json.dumps escapes), finite numbers only.
json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
json_documents = st.recursive(
    json_scalars | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=30,
)
anything = st.binary(max_size=512) | st.text(max_size=512).map(str.encode)
# What rows hold: text without the characters no database stores.
stored_text = st.text(st.characters(exclude_characters="\x00", exclude_categories=["Cs"]), max_size=60)
cursor_values = stored_text | st.integers() | st.floats(allow_nan=False, allow_infinity=False)


def _nested(depth: int, inner: str = "1") -> str:
    return "[" * depth + inner + "]" * depth


def _depth_of(document) -> int:
    if isinstance(document, list):
        return 1 + max((_depth_of(item) for item in document), default=0)
    if isinstance(document, dict):
        return 1 + max((_depth_of(item) for item in document.values()), default=0)
    return 0


def _parse(body: bytes):
    return JSONParser().parse(io.BytesIO(body), "application/json", {"encoding": "utf-8"})


@given(json_documents)
def test_the_depth_scan_measures_what_the_parser_would_nest(document):
    assert json_depth(json.dumps(document)) == _depth_of(document)


@given(json_documents)
def test_every_json_document_within_the_depth_limit_reads_back_as_itself(document):
    text = json.dumps(document)

    assert loads(text, max_depth=max(_depth_of(document), 1)) == document


@given(st.integers(min_value=MAX_JSON_DEPTH + 1, max_value=50_000), st.sampled_from(["[", '{"a":']))
def test_nesting_past_the_limit_is_refused_before_parsing_at_any_depth(depth, opener):
    closer = "]" if opener == "[" else "}"

    with pytest.raises(ValueError, match="nested"):
        loads(opener * depth + "1" + closer * depth)


def test_brackets_inside_strings_do_not_count_as_nesting():
    text = json.dumps({"title": "[" * 10_000, "quote": 'he said "{{{{" and \\ left'})

    assert json_depth(text) == 1
    assert loads(text)["title"] == "[" * 10_000


@given(anything)
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_the_body_parser_answers_any_bytes_with_data_or_a_client_error(body):
    with contextlib.suppress(exceptions.ParseError, exceptions.ValidationError):
        _parse(body)


@given(json_documents, st.sampled_from(["\x00", "a\x00", "\x00b", "\ud800", "x\udfff"]))
def test_a_nul_or_lone_surrogate_anywhere_in_a_body_is_a_validation_error_naming_where(document, poison):
    body = json.dumps({"outer": [document, {"key": poison}]}).encode()

    with pytest.raises(exceptions.ValidationError) as refused:
        _parse(body)

    assert "outer[1].key" in refused.value.detail


def test_a_nul_in_a_key_names_the_object_that_holds_the_key():
    assert list(refusals({"external_ids": {"wiki\x00data": "Q1"}})) == ["external_ids"]


@pytest.mark.parametrize("container", [list, dict])
def test_an_array_or_object_of_more_than_the_limit_is_refused_naming_it(container):
    items = [str(number) for number in range(MAX_ITEMS + 1)]
    body = json.dumps({"aliases": {item: item for item in items} if container is dict else items})

    with pytest.raises(exceptions.ValidationError) as refused:
        _parse(body.encode())

    assert list(refused.value.detail) == ["aliases"]


def test_an_array_of_exactly_the_limit_is_read():
    assert len(_parse(json.dumps({"aliases": ["a"] * MAX_ITEMS}).encode())["aliases"]) == MAX_ITEMS


def test_a_duplicate_key_is_refused_naming_the_key():
    with pytest.raises(exceptions.ParseError, match='"name" appears more than once'):
        _parse(b'{"name": "a", "name": "b"}')


@pytest.mark.parametrize("number", ["1e999", "-1e999", "NaN", "Infinity", "-Infinity"])
def test_numbers_that_are_not_finite_are_refused(number):
    with pytest.raises(exceptions.ParseError):
        _parse(f'{{"latitude": {number}}}'.encode())


@pytest.mark.parametrize("body", [b'{"name": "\xff\xfe"}', b"\xe9\xff\xfe"])
def test_a_body_that_is_not_utf8_is_a_parse_error(body):
    with pytest.raises(exceptions.ParseError, match="not valid utf-8"):
        _parse(body)


@given(st.lists(cursor_values, min_size=1, max_size=4), st.booleans())
def test_a_cursor_the_server_writes_reads_back_as_written(position, reverse):
    assert decode_cursor(encode_cursor(position, reverse), len(position)) == (position, reverse)


@given(st.text(alphabet=string.ascii_letters + string.digits + "-_=", max_size=200) | st.text(max_size=200))
@settings(max_examples=300)
def test_any_text_as_a_cursor_decodes_or_is_a_value_error(raw):
    with contextlib.suppress(ValueError):
        decode_cursor(raw, 2)


@given(json_documents)
def test_any_json_inside_a_cursor_decodes_only_when_it_has_the_cursor_shape(payload):
    raw = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")
    try:
        position, _reverse = decode_cursor(raw, 2)
    except ValueError:
        return
    assert isinstance(payload, dict)
    assert payload["p"] == position


@pytest.mark.parametrize(
    "payload",
    [
        _nested(1400),
        '{"p": [' + _nested(3) + ', "x"], "r": 0}',
        json.dumps({"p": [None, "x"], "r": 0}),
        json.dumps({"p": [True, "x"], "r": 0}),
        json.dumps({"p": ["a", "b"], "r": 0, "extra": 1}),
        json.dumps({"p": ["a", "b"], "r": 7}),
        json.dumps({"p": ["a"], "r": 0}),
    ],
)
def test_cursors_of_the_wrong_shape_are_value_errors(payload):
    raw = base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")

    with pytest.raises(ValueError, match=r"cursor|nested|scalars"):
        decode_cursor(raw, 2)


def test_a_cursor_longer_than_the_limit_is_refused_unread():
    with pytest.raises(ValueError, match="too long"):
        decode_cursor("A" * (MAX_CURSOR_LENGTH + 1), 2)


def test_the_longest_cursor_the_server_can_write_is_within_the_limit():
    # A source title: 500 characters of four UTF-8 bytes each, and the row's id.
    longest_title = "\U0001f4f0" * 500

    assert (
        len(encode_cursor([longest_title, "c7f1a0de-8a4e-4c3a-9d51-0c8a5b7f2e11"], False))
        <= MAX_CURSOR_LENGTH
    )


@pytest.mark.parametrize("poison", ["wiki\x00data", "\ud800"])
def test_the_model_validators_refuse_what_the_parser_refuses(poison):
    from django.core.exceptions import ValidationError

    from events.models import validate_string_list, validate_string_mapping

    for validate, value in ((validate_string_mapping, {poison: "Q1"}), (validate_string_list, [poison])):
        with pytest.raises(ValidationError, match="NUL characters and unpaired surrogates"):
            validate(value)
