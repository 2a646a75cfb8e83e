"""Validators shared by the models of both apps, and by the request parsers."""

import re

from django.core.exceptions import ValidationError

# BCP 47 in its common shape: language, optional script, region and variants ("en", "ps-AF",
# "zh-Hant-TW"). Full registry validation is out of scope; the shape catches typos.
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?(-[A-Za-z0-9]{5,8})*$")


def validate_language_tag(value: str) -> None:
    if value and not LANGUAGE_TAG.match(value):
        raise ValidationError("Enter a BCP 47 language tag such as en, ps or fa-AF.", code="invalid")


# NUL, and the lone surrogates a JSON escape can spell but UTF-8 cannot encode: no database
# stores either, and no news text holds one.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
UNSTORABLE_MESSAGE = "NUL characters and unpaired surrogates are not allowed."


def unstorable(text: str) -> bool:
    return UNSTORABLE.search(text) is not None
