"""gunicorn workers whose own refusals are problem documents, like every other error of the API.

gunicorn answers some requests itself, before Django sees them: a request line over
``limit_request_line`` (414), a header field over ``limit_request_field_size`` or more than
``limit_request_fields`` of them (431), a malformed request line or header (400), and a few
rarer ones. Its answer is an HTML page; these workers send an RFC 9457 problem document
instead (``application/problem+json``, built by ``eventsapi.problem_document.problem``),
with a ``detail`` that says what was wrong and names the limit, and a ``type`` of its own:

- ``request_line_too_long`` (414), ``header_field_too_large``, ``too_many_header_fields``,
  ``header_section_too_large`` (431);
- ``invalid_request_line``, ``invalid_method``, ``invalid_http_version``,
  ``invalid_header_name``, ``invalid_header``, ``obsolete_line_folding`` (400);
- anything else gunicorn refuses: the status's phrase (e.g. ``expectation_failed``), with
  gunicorn's own message as the detail.

``gunicorn.conf.py`` sets ``worker_class = "eventsapi.gunicorn_workers.ProblemWorker"``, which
becomes ``ProblemSyncWorker`` with one thread and ``ProblemThreadWorker`` (gthread) with more,
decided from the final ``threads`` setting (environment, config file or ``--threads``).
Configure ``ProblemWorker`` rather than the sync class by name: for any class name ending in
``SyncWorker``, gunicorn swaps in its own stock gthread worker when ``threads`` > 1.

This module imports gunicorn but not Django: the master loads it before any app.
"""

import json
import threading

from gunicorn import util
from gunicorn.http import errors
from gunicorn.workers.gthread import ThreadWorker
from gunicorn.workers.sync import SyncWorker

from eventsapi.problem_document import PROBLEM_CONTENT_TYPE, problem

# The exception that the worker's handle_error is answering, per thread: gunicorn's error
# writer is handed only a status and a message, the exception says more.
_refusing = threading.local()

SHOWN_CHARACTERS = 100


def _shown(value) -> str:
    """A client-sent value quoted for a detail, cut short: a request line may be 8 KB."""
    text = value if isinstance(value, str) else str(value)
    if len(text) > SHOWN_CHARACTERS:
        text = text[:SHOWN_CHARACTERS] + "..."
    return repr(text)


def _cut(message: str, length: int = 2 * SHOWN_CHARACTERS) -> str:
    return message if len(message) <= length else message[:length] + "..."


def _bytes_limit(value: int, what: str) -> str:
    return f"{what} than {value} bytes" if value > 0 else f"{what} than this server accepts"


def refusal(exc: Exception | None, status: int, message: str, cfg) -> tuple[str | None, str]:
    """The problem ``code`` (None: the status's phrase) and ``detail`` for a refused request.

    ``exc`` is what gunicorn raised (None if unknown), ``message`` gunicorn's own text and
    ``cfg`` the worker's settings, for the limits.
    """
    if status >= 500:  # the server's fault (or a transfer coding it lacks), not the request's form
        return None, _cut(message) or "The server could not handle the request."
    if isinstance(exc, errors.LimitRequestLine):
        # gunicorn names the limit it applied (it caps the setting); else the setting says it.
        limit = exc.max_size if isinstance(exc.max_size, int) else cfg.limit_request_line
        return "request_line_too_long", (
            f"The request line is {_bytes_limit(limit, 'longer')}; send a shorter URL "
            "(fewer or shorter query parameters)."
        )
    if isinstance(exc, errors.LimitRequestHeaders):
        if "size" in exc.msg:
            size = _bytes_limit(cfg.limit_request_field_size, "larger")
            return "header_field_too_large", f"A header field (name and value) is {size}."
        if "fields" in exc.msg:
            count = cfg.limit_request_fields
            return "too_many_header_fields", (
                f"The request has more than {count} header fields."
                if count > 0
                else "The request has more header fields than this server accepts."
            )
        return "header_section_too_large", "The header fields together are larger than this server accepts."
    if isinstance(exc, errors.InvalidRequestLine):
        return "invalid_request_line", (
            "The request line is malformed: it must be a method, a request target without "
            "spaces or control characters, and the HTTP version, separated by single spaces."
        )
    if isinstance(exc, errors.InvalidRequestMethod):
        return "invalid_method", f"The request method {_shown(exc.method)} is not valid."
    if isinstance(exc, errors.InvalidHTTPVersion):
        return "invalid_http_version", f"The HTTP version {_shown(exc.version)} is not supported."
    if isinstance(exc, errors.InvalidHeaderName):
        return "invalid_header_name", (
            f"The header name {_shown(exc.hdr)} is not valid: a name is letters, digits and "
            "!#$%&'*+-.^_`|~ with no spaces."
        )
    if isinstance(exc, errors.ObsoleteFolding):
        return "obsolete_line_folding", (
            f"The header field {_shown(exc.hdr)} continues on a folded line, which HTTP/1.1 no longer allows."
        )
    if isinstance(exc, errors.InvalidHeader):
        return "invalid_header", f"The header field {_shown(exc.hdr)} is not valid."
    return None, _cut(message) or "The server refused the request."


class ProblemWorkerMixin:
    """Answers gunicorn's own refusals with problem documents; mixed into a gunicorn worker."""

    def init_process(self):
        # gunicorn's handle_error writes its answer through the module function
        # gunicorn.util.write_error. It is replaced once, here, for the life of the worker
        # process (after the fork: the master keeps gunicorn's), and never put back: the
        # gthread worker calls handle_error from several threads at once, so swapping the
        # function in and out around each call would race. super().init_process() runs the
        # worker's loop, so this has to come first.
        util.write_error = self.write_problem
        super().init_process()

    def handle_error(self, req, client, addr, exc):
        _refusing.exc = exc
        try:
            super().handle_error(req, client, addr, exc)
        finally:
            _refusing.exc = None

    def write_problem(self, sock, status_int, reason, mesg):
        """What gunicorn.util.write_error does, with a problem document for a body."""
        code, detail = refusal(getattr(_refusing, "exc", None), status_int, mesg, self.cfg)
        document = problem(status_int, detail, code=code)
        body = json.dumps(document).encode("ascii")  # json escapes anything beyond ASCII
        head = (
            f"HTTP/1.1 {status_int} {document['title']}\r\n"
            "Connection: close\r\n"
            f"Content-Type: {PROBLEM_CONTENT_TYPE}\r\n"
            f"Content-Length: {len(body)}\r\n"
            "\r\n"
        )
        util.write_nonblock(sock, head.encode("ascii") + body)


class ProblemSyncWorker(ProblemWorkerMixin, SyncWorker):
    """gunicorn's sync worker (one request at a time), refusing with problem documents."""


class ProblemThreadWorker(ProblemWorkerMixin, ThreadWorker):
    """gunicorn's gthread worker (``threads`` requests at a time), refusing with problem documents."""


def worker_class_for(threads: int) -> type:
    return ProblemThreadWorker if threads > 1 else ProblemSyncWorker


class ProblemWorker:
    """The worker class to configure: the sync or threaded one, as ``threads`` asks.

    gunicorn's choice between sync and gthread is made only for its own sync class, and the
    config file cannot see a ``--threads`` given on the command line; this class chooses
    when gunicorn creates a worker, from the settings as they finally are.
    """

    def __new__(cls, age, ppid, sockets, app, timeout, cfg, log):
        return worker_class_for(cfg.threads)(age, ppid, sockets, app, timeout, cfg, log)

    @classmethod
    def check_config(cls, cfg, log):
        chosen = worker_class_for(cfg.threads)
        if hasattr(chosen, "check_config"):
            chosen.check_config(cfg, log)
