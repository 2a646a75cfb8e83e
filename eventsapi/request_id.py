"""A request id on every request: taken from ``X-Request-ID`` or made up, logged and echoed.

A load balancer or client that sends ``X-Request-ID`` (at most 200 characters of
``A-Z a-z 0-9 . _ -``) gets it back and finds it in every log line the request wrote; any
other value is replaced by a fresh UUID so a client cannot inject text into the logs.
"""

import logging
import re
import uuid
from contextvars import ContextVar

HEADER = "X-Request-ID"
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,200}")
NO_REQUEST = "-"

current_request_id: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)


def request_id_for(incoming: str | None) -> str:
    if incoming and VALID_REQUEST_ID.fullmatch(incoming):
        return incoming
    return str(uuid.uuid4())


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_for(request.headers.get(HEADER))
        request.request_id = request_id
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdLogFilter(logging.Filter):
    """Give every log record a ``request_id`` (``-`` outside a request).

    Django logs 4xx and 5xx responses (``django.request``) after the middleware has
    returned; those records carry the request itself, which holds the id.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            request_id = current_request_id.get()
            if request_id == NO_REQUEST:
                request_id = getattr(getattr(record, "request", None), "request_id", NO_REQUEST)
            record.request_id = request_id
        return True
