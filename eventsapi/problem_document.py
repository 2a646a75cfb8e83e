"""The RFC 9457 problem document body, with no Django import.

Django's views and DRF's exception handler build their answers with it, and so does the
gunicorn worker (``eventsapi.gunicorn_workers``) for requests it refuses before Django runs.
"""

from http import HTTPStatus

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_PREFIX = "urn:eventsapi:problem:"


def problem(
    status_code: int,
    detail: str,
    code: str | None = None,
    errors: list[dict] | None = None,
    **extra,
) -> dict:
    """Build a problem document body; ``code`` defaults to the status's phrase in snake case."""
    title = HTTPStatus(status_code).phrase
    code = code or title.lower().replace(" ", "_").replace("-", "_")
    body = {
        "type": PROBLEM_TYPE_PREFIX + code,
        "title": title,
        "status": status_code,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    body.update(extra)
    return body
