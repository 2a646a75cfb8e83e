"""Query strings a view can trust: every parameter's name and value is UTF-8 without NUL.

Django would decode broken UTF-8 into replacement characters and pass a ``%00`` through
to a filter, where PostgreSQL refuses it with an error. Both are refused here instead, with
a 400 problem document naming the parameter, before any view or filter runs; a NUL in the
path is refused the same way.
"""

from urllib.parse import unquote_to_bytes

from django.core.handlers.wsgi import get_bytes_from_wsgi
from django.http import JsonResponse

from eventsapi.problem_document import PROBLEM_CONTENT_TYPE, problem

NUL = b"\x00"


def _decoded(raw: bytes) -> tuple[str, str | None]:
    """The text of a percent-encoded name or value, and what is wrong with it (or None)."""
    octets = unquote_to_bytes(raw.replace(b"+", b" "))
    try:
        text = octets.decode("utf-8")
    except UnicodeDecodeError:
        return octets.decode("utf-8", errors="replace"), "is not valid UTF-8 once percent-decoded."
    if "\x00" in text:
        return text.replace("\x00", "\\0"), "holds a NUL character."
    return text, None


def query_string_errors(query: bytes) -> list[dict]:
    """``[{field, code, message}]`` for every parameter whose name or value is refused."""
    errors = []
    for pair in query.split(b"&"):
        raw_name, _, raw_value = pair.partition(b"=")
        name, name_problem = _decoded(raw_name)
        _value, value_problem = _decoded(raw_value)
        if name_problem or value_problem:
            what = "name" if name_problem else "value"
            errors.append(
                {"field": name, "code": "invalid", "message": f"The {what} {name_problem or value_problem}"}
            )
    return errors


class QueryStringMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = get_bytes_from_wsgi(request.environ, "QUERY_STRING", "")
        suspicious = query and (b"%" in query or NUL in query or not query.isascii())
        errors = query_string_errors(query) if suspicious else []
        if "\x00" in request.path:
            errors.insert(0, {"field": "path", "code": "invalid", "message": "The path holds a NUL."})
        if not errors:
            return self.get_response(request)
        fields = sorted({error["field"] for error in errors})
        body = problem(400, "Invalid input for " + ", ".join(fields) + ".", "validation_error", errors)
        return JsonResponse(body, status=400, content_type=PROBLEM_CONTENT_TYPE)
