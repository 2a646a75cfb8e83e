"""RFC 9457 problem documents for every error the API returns.

``problem_exception_handler`` is DRF's exception handler; the ``handler*`` views at the end
cover errors raised outside DRF (unknown paths, crashes). All of them return
``{type, title, status, detail}`` and, for validation, ``errors: [{field, code, message}]``,
served as ``application/problem+json`` by ``ProblemContentTypeMiddleware``.
"""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, OperationalError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from eventsapi.models import describe_referrer
from eventsapi.problem_document import PROBLEM_CONTENT_TYPE, problem
from eventsapi.services import STILL_REFERENCED

logger = logging.getLogger(__name__)


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the resource."
    default_code = "conflict"


class Gone(exceptions.APIException):
    status_code = status.HTTP_410_GONE
    default_detail = "This resource was deleted."
    default_code = "gone"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The resource changed since you read it."
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = "Send If-Match with the ETag you last read."
    default_code = "precondition_required"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "payload_too_large"


class PermanentRedirect(exceptions.APIException):
    """Raised where a resource now lives elsewhere (a merged actor): 308 with Location."""

    status_code = status.HTTP_308_PERMANENT_REDIRECT
    default_code = "moved"

    def __init__(self, location: str, detail: str):
        super().__init__(detail)
        self.location = location


def flatten_errors(detail, path: str = "") -> list[dict]:
    """Turn DRF's nested error detail into ``[{field, code, message}]``.

    Nested fields are written as paths: ``participants[1].actor``. Errors not tied to a
    field have ``field`` null.
    """
    if isinstance(detail, dict):
        flat = []
        for key, value in detail.items():
            if key in (api_settings.NON_FIELD_ERRORS_KEY, "__all__"):
                flat.extend(flatten_errors(value, path))
            elif isinstance(key, int):
                # List serializers and ListField key their errors by item index.
                flat.extend(flatten_errors(value, f"{path}[{key}]"))
            else:
                flat.extend(flatten_errors(value, f"{path}.{key}" if path else str(key)))
        return flat
    if isinstance(detail, list):
        if all(isinstance(item, (dict, list)) for item in detail) and detail:
            flat = []
            for index, item in enumerate(detail):
                flat.extend(flatten_errors(item, f"{path}[{index}]"))
            return flat
        flat = []
        for item in detail:
            flat.extend(flatten_errors(item, path))
        return flat
    return [
        {
            "field": path or None,
            "code": getattr(detail, "code", None) or "invalid",
            "message": str(detail),
        }
    ]


def _protected_detail(exc: ProtectedError | RestrictedError) -> str:
    objects = list(exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects)
    names = sorted({describe_referrer(obj) for obj in objects[:10]})
    more = "" if len(objects) <= 10 else f" and {len(objects) - 10} more"
    return "Still referred to by: " + ", ".join(names) + more + "."


class DatabaseBusy(exceptions.APIException):
    """SQLite's single writer stayed busy past the busy timeout: try again shortly."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The database is busy with other writes; nothing was changed. Retry shortly."
    default_code = "database_busy"
    wait = 1


def as_api_exception(exc: Exception) -> Exception:
    """``exc`` as the DRF exception the API answers it with (unchanged when there is none)."""
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge(
            f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes."
        )
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    if isinstance(exc, DjangoValidationError):
        if getattr(exc, "code", None) == STILL_REFERENCED:
            return Conflict(exc.messages[0], code=STILL_REFERENCED)
        return exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, (ProtectedError, RestrictedError)):
        return Conflict(_protected_detail(exc), code=STILL_REFERENCED)
    if isinstance(exc, OperationalError) and "database is locked" in str(exc):
        logger.warning("SQLite write lock timed out: %s", exc)
        return DatabaseBusy()
    if isinstance(exc, IntegrityError):
        logger.info("Integrity error turned into 409: %s", exc)
        return Conflict("The change conflicts with existing data (a concurrent write?).")
    return exc


def problem_exception_handler(exc: Exception, context: dict) -> Response | None:
    exc = as_api_exception(exc)
    if isinstance(exc, PermanentRedirect):
        return Response(
            {"detail": str(exc.detail), "location": exc.location},
            status=exc.status_code,
            headers={"Location": exc.location},
        )
    if not isinstance(exc, exceptions.APIException):
        return None

    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = "%d" % exc.wait

    if isinstance(exc, exceptions.ValidationError):
        errors = flatten_errors(exc.detail)
        fields = sorted({error["field"] for error in errors if error["field"]})
        detail = (
            "Invalid input for " + ", ".join(fields) + "."
            if fields
            else (errors[0]["message"] if errors else "Invalid input.")
        )
        body = problem(exc.status_code, detail, code="validation_error", errors=errors)
    else:
        detail = exc.detail
        if isinstance(detail, (list, dict)):
            body = problem(exc.status_code, "The request failed.", errors=flatten_errors(detail))
        else:
            body = problem(exc.status_code, str(detail), code=getattr(detail, "code", None))
    extra = getattr(exc, "problem_extra", None)
    if extra:
        body.update(extra)

    set_rollback()
    return Response(body, status=exc.status_code, headers=headers)


class ProblemContentTypeMiddleware:
    """Label JSON error responses as problem documents (RFC 9457 section 3)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if response.status_code >= 400 and content_type.startswith(
            ("application/json", "application/ld+json")
        ):
            response["Content-Type"] = PROBLEM_CONTENT_TYPE
        return response


def _problem_response(status_code: int, detail: str) -> JsonResponse:
    return JsonResponse(problem(status_code, detail), status=status_code, content_type=PROBLEM_CONTENT_TYPE)


def handler400(request, exception=None):
    return _problem_response(400, "The request could not be understood.")


def handler403(request, exception=None):
    return _problem_response(403, "You do not have permission to perform this action.")


def handler404(request, exception=None):
    return _problem_response(404, f"Nothing is found at {request.path}.")


def handler500(request):
    return _problem_response(500, "The server failed to handle the request; it has been logged.")
