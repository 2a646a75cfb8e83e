"""Safe retries: POST with ``Idempotency-Key`` replays the first response.

- The same key and body from the same user: the stored response (status, body, Location,
  ETag) is replayed with ``Idempotent-Replayed: true``, and nothing is written again.
- The same key with another body (or path): 422.
- The same key while the first request is still in flight: 409.
Keys are scoped per user, kept in the database (shared by every process) for 24 hours; a
request that ends in a 5xx releases its key so it can be retried, and so does one still in
flight after two minutes (its process died).
"""

import hashlib
from datetime import timedelta

from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from rest_framework.exceptions import APIException
from rest_framework.request import Request

from eventsapi.api.authentication import TokenAuthentication
from eventsapi.api.problems import PROBLEM_CONTENT_TYPE, problem
from eventsapi.models import IdempotencyKey

HEADER = "Idempotency-Key"
LIFETIME = timedelta(hours=24)
# A key still "in flight" after this long belongs to a request whose process died (a
# worker timeout or crash); it is released so the client's retry can go through.
IN_FLIGHT_LIMIT = timedelta(seconds=120)
REPLAYED_HEADERS = ("Content-Type", "Location", "ETag")


def _problem(status: int, detail: str, code: str) -> JsonResponse:
    return JsonResponse(problem(status, detail, code=code), status=status, content_type=PROBLEM_CONTENT_TYPE)


def _user(request):
    if request.user.is_authenticated:
        return request.user
    try:
        authenticated = TokenAuthentication().authenticate(Request(request))
    except APIException:
        return None
    return authenticated[0] if authenticated else None


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(HEADER)
        if request.method != "POST" or not key or not request.path.startswith("/api/"):
            return self.get_response(request)
        if len(key) > 255:
            return _problem(400, f"{HEADER} must be at most 255 characters.", "invalid_idempotency_key")
        user = _user(request)
        if user is None:
            return self.get_response(request)  # the view answers 401

        try:
            body = request.body
        except RequestDataTooBig:
            return _problem(413, "The request body is too large.", "payload_too_large")
        fingerprint = hashlib.sha256(
            b"\n".join([request.method.encode(), request.get_full_path().encode(), body])
        ).hexdigest()
        record, created = self._claim(user, key, fingerprint)
        if not created:
            return self._answer_retry(record, fingerprint)

        response = self.get_response(request)
        if response.status_code >= 500:
            record.delete()
            return response
        record.response_status = response.status_code
        record.response_body = response.content
        record.response_headers = {name: response[name] for name in REPLAYED_HEADERS if name in response}
        record.save(update_fields=["response_status", "response_body", "response_headers"])
        return response

    @staticmethod
    def _claim(user, key: str, fingerprint: str) -> tuple[IdempotencyKey, bool]:
        now = timezone.now()
        IdempotencyKey.objects.filter(user=user, key=key, created_at__lt=now - LIFETIME).delete()
        IdempotencyKey.objects.filter(
            user=user, key=key, response_status__isnull=True, created_at__lt=now - IN_FLIGHT_LIMIT
        ).delete()
        try:
            with transaction.atomic():
                return IdempotencyKey.objects.create(user=user, key=key, fingerprint=fingerprint), True
        except IntegrityError:
            return IdempotencyKey.objects.get(user=user, key=key), False

    @staticmethod
    def _answer_retry(record: IdempotencyKey, fingerprint: str) -> HttpResponse:
        if record.fingerprint != fingerprint:
            return _problem(
                422,
                f"This {HEADER} was first used with a different request; use a new key for a new request.",
                "idempotency_key_reused",
            )
        if record.response_status is None:
            return _problem(
                409, f"A request with this {HEADER} is still in progress; retry later.", "request_in_flight"
            )
        replay = HttpResponse(bytes(record.response_body), status=record.response_status)
        for name, value in record.response_headers.items():
            replay[name] = value
        replay["Idempotent-Replayed"] = "true"
        return replay
