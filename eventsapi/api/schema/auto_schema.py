"""The schema class of every view: operation ids, summaries and descriptions, security,
headers, and the problem document on every error response an operation can return."""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.backends.base.operations import BaseDatabaseOperations
from drf_spectacular.openapi import AutoSchema
from rest_framework.permissions import AllowAny

from eventsapi.api.problems import PROBLEM_CONTENT_TYPE
from eventsapi.api.schema.responses import (
    ERROR_DESCRIPTIONS,
    IDEMPOTENCY_KEY,
    SUCCESS_DESCRIPTIONS,
    ProblemSerializer,
    RedirectSerializer,
    header,
)

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
STANDARD_ACTIONS = ("list", "create", "retrieve", "update", "partial_update", "destroy")
ACTION_SUMMARIES = {
    "list": "List {plural}",
    "create": "Create {article} {name}",
    "retrieve": "Get {article} {name}",
    "update": "Replace {article} {name}",
    "partial_update": "Update {article} {name}",
    "destroy": "Delete {article} {name}",
}
ACTION_DESCRIPTIONS = {
    "list": (
        "A cursor-paginated list of {plural}, filtered by the query parameters below "
        "(an unparsable value is a 400 naming the parameter)."
    ),
    "create": (
        "Editors only. Answers 201 with the new {name}, its address in `Location` and its `ETag`. "
        "Send an `Idempotency-Key` to retry safely."
    ),
    "retrieve": (
        "One {name}, with its `ETag`. Send `If-None-Match` with the ETag you hold for a 304. "
        "A deleted {name} answers 410."
    ),
    "update": (
        "Editors only. Replaces every writable field (nested lists included). Send `If-Match` with "
        "the ETag you read: a stale one is a 412."
    ),
    "partial_update": (
        "Editors only. Changes only the fields sent (a nested list sent is replaced whole). Send "
        "`If-Match` with the ETag you read: a stale one is a 412."
    ),
    "destroy": (
        "Editors only. Leaves a tombstone: the {name} leaves lists, GET answers 410 and its history "
        "stays. A {name} still referred to by live items is a 409 naming them."
    ),
}


def _model_field(field):
    """The model field a serializer field reads, when it reads one directly."""
    parent = getattr(field, "parent", None)
    model = getattr(getattr(parent, "Meta", None), "model", None)
    source = getattr(field, "source", None)
    if model is None or not source or "." in source or source == "*":
        return None
    try:
        return model._meta.get_field(source)
    except FieldDoesNotExist:
        return None


def _is_public(permission) -> bool:
    return isinstance(permission, AllowAny)


def _public_reads(permission) -> bool:
    from eventsapi.api.permissions import EditorWriteOrPublicRead, VerifierWriteOrPublicRead

    return isinstance(permission, (EditorWriteOrPublicRead, VerifierWriteOrPublicRead))


class ProblemAutoSchema(AutoSchema):
    """Operation ids, summaries, security, headers, and the problem document on every error."""

    # -- names and words ------------------------------------------------------------------------

    def _action(self) -> str | None:
        return getattr(self.view, "action", None)

    def _model_names(self) -> tuple[str, str] | None:
        queryset = getattr(self.view, "queryset", None)
        if queryset is None:
            return None
        meta = queryset.model._meta
        return str(meta.verbose_name), str(meta.verbose_name_plural)

    def _is_list_view(self, serializer=None):
        # A `list` action answering one object (the change feed's page) sets
        # `schema_list_is_object = True` on its view, so the schema does not wrap it in an array.
        if getattr(self.view, "schema_list_is_object", False):
            return False
        return super()._is_list_view(serializer)

    def get_operation_id(self):
        # A custom action with one method is named after the action alone: `events_timeline`,
        # `actors_merge`, `events_history`, not `events_timeline_retrieve`.
        operation_id = super().get_operation_id()
        action = self._action()
        if action and action not in STANDARD_ACTIONS:
            handler = getattr(self.view, action, None)
            if len(getattr(handler, "mapping", {})) == 1:
                for suffix in ("_list", "_retrieve", "_create", "_partial_update", "_update", "_destroy"):
                    if operation_id.endswith(suffix):
                        return operation_id.removesuffix(suffix)
        return operation_id

    def get_summary(self):
        summary = super().get_summary()
        names = self._model_names()
        action = self._action()
        if summary or not names or action not in ACTION_SUMMARIES:
            return summary or self._first_sentence(self.get_description())
        name, plural = names
        article = "an" if name[0] in "aeiou" else "a"
        return ACTION_SUMMARIES[action].format(name=name, plural=plural, article=article)

    @staticmethod
    def _first_sentence(text: str | None) -> str | None:
        if not text:
            return None
        sentence = text.strip().split("\n")[0].split(". ")[0].rstrip(".:")
        return sentence[:80]

    def get_description(self):
        description = super().get_description()
        names = self._model_names()
        action = self._action()
        if not names or action not in ACTION_DESCRIPTIONS:
            return description
        name, plural = names
        specific = ACTION_DESCRIPTIONS[action].format(name=name, plural=plural)
        return f"{specific}\n\n{description}" if description else specific

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        # Model integer bounds come from the database in use, and SQLite gives every integer
        # column a 64-bit range: state the portable (PostgreSQL) range so the schema is the same
        # whichever engine generates it.
        model_field = _model_field(field)
        if isinstance(schema, dict) and schema.get("type") == "integer" and "maximum" in schema:
            internal_type = model_field.get_internal_type() if model_field is not None else None
            if internal_type in BaseDatabaseOperations.integer_field_ranges:
                low, high = BaseDatabaseOperations.integer_field_ranges[internal_type]
                schema["minimum"] = max(schema.get("minimum", low), low)
                schema["maximum"] = min(schema["maximum"], high)
                if high <= 2**31 - 1:
                    schema.pop("format", None)
        # A field declared on the serializer (a BriefRelatedField, say) does not take its model
        # field's help_text as ModelSerializer's own fields do: the model's words describe it
        # unless the serializer field has its own (or its mapping wrote one).
        help_text = getattr(model_field, "help_text", None)
        if isinstance(schema, dict) and help_text and not field.help_text and "description" not in schema:
            schema = {**schema, "description": str(help_text)}
        return schema

    # -- security and headers -------------------------------------------------------------------

    def get_auth(self):
        auth = super().get_auth()
        # Reading is public unless EVENTSAPI_PUBLIC_READ=false: declare anonymous access too.
        if (
            (self.method in ("GET", "HEAD") or getattr(self.view, "schema_public_read", False))
            and settings.EVENTSAPI_PUBLIC_READ
            and all(_public_reads(permission) for permission in self.view.get_permissions())
            and {} not in auth
        ):
            auth = [*auth, {}]
        return auth

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self.method == "POST" and not self._is_public_operation():
            parameters.append(IDEMPOTENCY_KEY)
        return parameters

    def _get_pagination_parameters(self):
        parameters = super()._get_pagination_parameters()
        paginator = self._get_paginator()
        for parameter in parameters:
            if parameter["name"] == getattr(paginator, "cursor_query_param", None):
                parameter["description"] = "Opaque cursor from a page's `next` or `previous` address."
            elif parameter["name"] == getattr(paginator, "page_size_query_param", None):
                maximum = getattr(paginator, "max_page_size", None)
                parameter["schema"] = {"type": "integer", "minimum": 1}
                parameter["description"] = (
                    f"Items per page, from 1 (larger values than {maximum} are capped); "
                    f"default {paginator.page_size}."
                )
        return parameters

    def _is_public_operation(self) -> bool:
        if getattr(self.view, "schema_public_read", False) and settings.EVENTSAPI_PUBLIC_READ:
            return True
        return any(_is_public(permission) for permission in self.view.get_permissions())

    # -- responses ------------------------------------------------------------------------------

    def _is_resource(self) -> bool:
        """A ResourceViewSet: ETags, If-Match preconditions and tombstones."""
        from eventsapi.api.viewsets import ResourceViewSet

        return isinstance(self.view, ResourceViewSet)

    def _error_codes(self) -> list[str]:
        detail = "{" in self.path
        resource = self._is_resource()
        action = self._action()
        codes = ["400", "401"]
        if not self._is_public_operation():
            codes.append("403")
        if detail:
            codes.append("404")
            if resource and action != "history":
                codes.append("410")
        if self.method in WRITE_METHODS:
            codes.append("409")
        if self.method in ("PUT", "PATCH", "DELETE") and detail and resource:
            codes += ["412", "428"]
        if self.method in ("POST", "PUT", "PATCH"):
            codes += ["413", "415"]
        if self.method == "POST" and not self._is_public_operation():
            codes.append("422")
        codes += [code for code in getattr(self.view, "schema_error_codes", ()) if code not in codes]
        if self.method == "GET":
            codes.append("414")  # from gunicorn (eventsapi/gunicorn_workers.py), a problem too
        codes.append("429")
        return sorted(codes)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        action = self._action()
        resource = self._is_resource()
        etag_actions = ("retrieve", "update", "partial_update", "create")
        for code, response in responses.items():
            if not code.startswith("2"):
                continue
            if not response.get("description"):
                response["description"] = SUCCESS_DESCRIPTIONS.get(code, "Success.")
            headers = response.setdefault("headers", {})
            if action in etag_actions and resource:
                headers["ETag"] = header("ETag", required=True)
            if action == "create" and code == "201" and resource:
                headers["Location"] = header("Location", required=True)
            if self.method == "POST" and not self._is_public_operation():
                headers["Idempotent-Replayed"] = header("Idempotent-Replayed")
            if not headers:
                del response["headers"]
        if action == "retrieve" and resource:
            responses["304"] = {
                "description": "Not modified: the If-None-Match ETag is still current. No body.",
                "headers": {"ETag": header("ETag", required=True)},
            }
        if "{" in self.path and getattr(self.view, "schema_permanent_redirect", False) and action != "merge":
            response = self._get_response_for_code(
                RedirectSerializer, "308", media_types=["application/json"], direction=direction
            )
            response["description"] = "This item was merged into another: `Location` gives the survivor."
            response["headers"] = {"Location": header("Location", required=True)}
            responses["308"] = response
        for code in self._error_codes():
            if code in responses:
                continue
            response = self._get_response_for_code(
                ProblemSerializer, code, media_types=[PROBLEM_CONTENT_TYPE], direction=direction
            )
            response["description"] = ERROR_DESCRIPTIONS[code]
            if code == "429":
                response["headers"] = {"Retry-After": header("Retry-After")}
            if code == "401":
                response["headers"] = {"WWW-Authenticate": header("WWW-Authenticate")}
            responses[code] = response
        return responses

    def _get_response_for_code(self, serializer, status_code, media_types=None, direction="response"):
        # Export renderers (CSV, GeoJSON) describe their own body instead of the JSON page.
        response = super()._get_response_for_code(serializer, status_code, media_types, direction)
        if not str(status_code).startswith("2"):
            return response
        described = set()
        for renderer in self.view.get_renderers():
            schema = getattr(renderer, "openapi_schema", None)
            # A dataset layout shares text/csv with the plain CSV export, which names it.
            if (
                schema
                and renderer.media_type in response.get("content", {})
                and renderer.media_type not in described
            ):
                response["content"][renderer.media_type] = {"schema": schema}
                described.add(renderer.media_type)
        return response

    def _get_format_parameters(self):
        parameters = super()._get_format_parameters()
        for parameter in parameters:
            formats = parameter["schema"].get("enum", [])
            exports = " or ".join(f"`{name}`" for name in formats if name != "json")
            parameter["description"] = "Response format: `json` (the default; one page)" + (
                f", or {exports}: the whole filtered list, streamed." if exports else "."
            )
        return parameters
