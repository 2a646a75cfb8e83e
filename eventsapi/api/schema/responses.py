"""What every operation may answer besides its own body: problem documents, the 308 body,
the words of each status, and the headers (ETag, Location, Idempotent-Replayed, Retry-After,
WWW-Authenticate) and the Idempotency-Key parameter. Used by ``auto_schema.ProblemAutoSchema``."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers


class ProblemFieldErrorSerializer(serializers.Serializer):
    """One validation error: which field or parameter, a code and a message."""

    field = serializers.CharField(
        allow_null=True,
        help_text="The field or query parameter at fault, as a path (`participants[0].actor`).",
    )
    code = serializers.CharField(help_text="Machine-readable error code, e.g. `required`, `invalid`.")
    message = serializers.CharField(help_text="Human-readable message.")


class RedirectSerializer(serializers.Serializer):
    """Where a merged item now lives (the body of a 308)."""

    detail = serializers.CharField(help_text="What happened to the item.")
    location = serializers.URLField(help_text="The address of the item it was merged into.")


class ProblemSerializer(serializers.Serializer):
    """An RFC 9457 problem document."""

    type = serializers.CharField(help_text="URI identifying the problem type.")
    title = serializers.CharField(help_text="Short summary of the problem type (the HTTP status phrase).")
    status = serializers.IntegerField(help_text="HTTP status code.")
    detail = serializers.CharField(help_text="Explanation specific to this occurrence.")
    errors = ProblemFieldErrorSerializer(
        many=True, required=False, help_text="Validation errors, one per field and problem."
    )


ERROR_DESCRIPTIONS = {
    "400": "Invalid input: the problem document names each field or parameter at fault.",
    "401": "Authentication is required, or the token sent is invalid or expired.",
    "403": "Authenticated, but not allowed to do this (see the groups in the description).",
    "404": "No such resource.",
    "409": (
        "Conflicts with the current state: the item is still referred to, a unique value is "
        "taken, or a request with the same Idempotency-Key is still in flight."
    ),
    "410": "The item was deleted (a tombstone): its history stays readable.",
    "412": "If-Match is stale: the item changed since you read it. Nothing was changed.",
    "413": "The request body is larger than the server accepts.",
    "414": "The URL is too long (the server reads at most 8190 bytes of request line).",
    "415": "The request body's Content-Type is not supported: send application/json.",
    "422": "This Idempotency-Key was first used with a different request.",
    "428": "If-Match is required (the server runs with EVENTSAPI_REQUIRE_IF_MATCH) and was not sent.",
    "429": "Too many requests: wait for Retry-After seconds.",
}
SUCCESS_DESCRIPTIONS = {
    "200": "Success.",
    "201": "Created.",
    "204": "Done; no content.",
}
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=(
        "Any unique string (at most 255 characters, e.g. a UUID) for a safe retry: the same key and "
        "body replay the first response (`Idempotent-Replayed: true`); the same key with another "
        "body is a 422; while the first request is in flight, a 409. Kept per user for 24 hours."
    ),
)
HEADERS = {
    "ETag": {
        "description": 'The item\'s version as an entity tag, e.g. `"3"`: send it back in If-Match.',
        "schema": {"type": "string"},
    },
    "Location": {"description": "The address of the item.", "schema": {"type": "string", "format": "uri"}},
    "Idempotent-Replayed": {
        "description": "`true` when this is the stored response to an earlier request with the same "
        "Idempotency-Key.",
        "schema": {"type": "string", "enum": ["true"]},
    },
    "Retry-After": {"description": "Seconds to wait before retrying.", "schema": {"type": "integer"}},
    "WWW-Authenticate": {"description": "The authentication scheme expected.", "schema": {"type": "string"}},
}


def header(name: str, required: bool = False) -> dict:
    """A response header object: HEADERS' words and schema, required or not."""
    return {**HEADERS[name], "required": required}
