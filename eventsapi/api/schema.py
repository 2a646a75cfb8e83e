"""OpenAPI generation: problem documents on every error response, brief relations typed."""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.backends.base.operations import BaseDatabaseOperations
from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.permissions import AllowAny

from eventsapi.api.problems import PROBLEM_CONTENT_TYPE


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


def _header(name: str, required: bool = False) -> dict:
    return {**HEADERS[name], "required": required}


def _model_field_type(field) -> str | None:
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or not field.source or "." in field.source:
        return None
    try:
        return model._meta.get_field(field.source).get_internal_type()
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
        if isinstance(schema, dict) and schema.get("type") == "integer" and "maximum" in schema:
            internal_type = _model_field_type(field)
            if internal_type in BaseDatabaseOperations.integer_field_ranges:
                low, high = BaseDatabaseOperations.integer_field_ranges[internal_type]
                schema["minimum"] = max(schema.get("minimum", low), low)
                schema["maximum"] = min(schema["maximum"], high)
                if high <= 2**31 - 1:
                    schema.pop("format", None)
        return schema

    # -- security and headers -------------------------------------------------------------------

    def get_auth(self):
        auth = super().get_auth()
        # Reading is public unless EVENTSAPI_PUBLIC_READ=false: declare anonymous access too.
        if (
            self.method in ("GET", "HEAD")
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
        return any(_is_public(permission) for permission in self.view.get_permissions())

    # -- responses ------------------------------------------------------------------------------

    def _is_resource(self) -> bool:
        """A ResourceViewSet: ETags, If-Match preconditions and tombstones."""
        return hasattr(self.view, "_locked_for_write")

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
                headers["ETag"] = _header("ETag", required=True)
            if action == "create" and code == "201" and resource:
                headers["Location"] = _header("Location", required=True)
            if self.method == "POST" and not self._is_public_operation():
                headers["Idempotent-Replayed"] = _header("Idempotent-Replayed")
            if not headers:
                del response["headers"]
        if action == "retrieve" and resource:
            responses["304"] = {
                "description": "Not modified: the If-None-Match ETag is still current. No body.",
                "headers": {"ETag": _header("ETag", required=True)},
            }
        if "{" in self.path and getattr(self.view, "schema_permanent_redirect", False) and action != "merge":
            response = self._get_response_for_code(
                RedirectSerializer, "308", media_types=["application/json"], direction=direction
            )
            response["description"] = "This item was merged into another: `Location` gives the survivor."
            response["headers"] = {"Location": _header("Location", required=True)}
            responses["308"] = response
        for code in self._error_codes():
            if code in responses:
                continue
            response = self._get_response_for_code(
                ProblemSerializer, code, media_types=[PROBLEM_CONTENT_TYPE], direction=direction
            )
            response["description"] = ERROR_DESCRIPTIONS[code]
            if code == "429":
                response["headers"] = {"Retry-After": _header("Retry-After")}
            if code == "401":
                response["headers"] = {"WWW-Authenticate": _header("WWW-Authenticate")}
            responses[code] = response
        return responses

    def _get_response_for_code(self, serializer, status_code, media_types=None, direction="response"):
        # Export renderers (CSV, GeoJSON) describe their own body instead of the JSON page.
        response = super()._get_response_for_code(serializer, status_code, media_types, direction)
        if not str(status_code).startswith("2"):
            return response
        for renderer in self.view.get_renderers():
            schema = getattr(renderer, "openapi_schema", None)
            if schema and renderer.media_type in response.get("content", {}):
                response["content"][renderer.media_type] = {"schema": schema}
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


class BriefRelatedFieldExtension(OpenApiSerializerFieldExtension):
    """Requests send an id; responses carry the brief nested object."""

    target_class = "eventsapi.api.serializers.BriefRelatedField"

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            schema = build_basic_type(OpenApiTypes.UUID)
            schema["description"] = "Id of the related " + self.target.queryset.model._meta.verbose_name + "."
            return schema
        component = auto_schema.resolve_serializer(self.target.brief_serializer, direction)
        return component.ref


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "eventsapi.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <token>` (or `Bearer <token>`), from POST /api/v1/auth/token/.",
        }


class SessionAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "rest_framework.authentication.SessionAuthentication"
    name = "cookieAuth"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": (
                "The session of a user logged in at /api-auth/login/ (the browsable API). "
                "Writes also need the CSRF token in `X-CSRFToken`."
            ),
        }


# -- the postprocessing hook: descriptions, links and examples ------------------------------------

# Field descriptions by field name, or by "Component.field" where the meaning depends on the
# resource. Request and Patched components share their response component's words.
FIELD_DESCRIPTIONS = {
    "id": "The item's id (UUID), assigned by the server.",
    "url": "The item's address in the API.",
    "api_url": "The source's address in the API (`url` is the source's own address).",
    "version": "1 on create, +1 on every change. The ETag is this number in quotes.",
    "created_at": "When the item was created.",
    "updated_at": "When the item last changed.",
    "name": "The name in common use.",
    "title": "A short headline.",
    "text": "What was said, as published (translated when not a direct quote).",
    "summary": "A few sentences on what happened.",
    "description": "Who or what this is, in a sentence or two.",
    "language": "BCP 47 language tag, e.g. `en`, `ps`, `fa-AF`.",
    "start_date": "First day (ISO date).",
    "end_date": "Last day (ISO date); null when unknown or a single day.",
    "latitude": "WGS 84 latitude in degrees, -90 to 90.",
    "longitude": "WGS 84 longitude in degrees, -180 to 180.",
    "event_type": "What kind of event (ACLED's event types, plus political and other).",
    "date_precision": "How precise the dates are: day, week, month or year.",
    "author": "Who wrote or made it, as credited.",
    "published_at": "When it was published.",
    "archived_url": "An archived copy, e.g. on the Wayback Machine.",
    "publisher": "The actor that published it.",
    "stated_on": "The day it was said (ISO date).",
    "stated_at": "The exact time it was said, when known.",
    "is_direct_quote": "True when `text` is the speaker's own words, false for a paraphrase.",
    "speaker": "Who said it.",
    "stance": "Whether the statement supports, refutes or is neutral toward the event.",
    "event": "The event.",
    "actor": "The actor.",
    "organization": "The organisation.",
    "verdict": "The verification status this review sets.",
    "previous_status": "The verification status before this review.",
    "next": "Address of the next page; null on the last page.",
    "previous": "Address of the previous page; null on the first page.",
    "results": "The items of this page.",
    "changed_at": "When the change was committed.",
    "username": "Your username.",
    "password": "Your password.",
    "field": "The field that changed.",
    "before": "Its value before the change (null when it was absent).",
    "after": "Its value after the change (null when it was removed).",
    "Place.kind": "What kind of place: country, admin1 (province), admin2 (district), locality or feature.",
    "Actor.kind": "A person or an organization.",
    "Source.kind": "What kind of source: article, social_post, video, image, press_release, ...",
    "Participant.role": "What part the actor played: initiator, target, affected or other.",
    "Affiliation.role": "The role in the organisation, e.g. spokesperson.",
    "Affiliation.start_date": "When the affiliation began (ISO date), if known.",
    "Affiliation.end_date": "When it ended (ISO date); null while it lasts or when unknown.",
    "Review.id": "The review's id (UUID).",
    "Review.created_at": "When the verdict was given.",
    "TimelineEntry.id": "The id of the statement, source or review.",
    "Timeline.event": "The event this timeline is about.",
    "Timeline.results": "The entries, oldest first.",
    "Event.place": "Where it happened.",
    "Webhook.owner": "The user who created the webhook.",
    "Webhook.paused_at": "When deliveries were paused after repeated failures; null while active.",
    "Webhook.consecutive_failures": "Failed deliveries in a row since the last success.",
    "Webhook.last_delivered_seq": "The `seq` of the last change delivered.",
    "Webhook.next_attempt_at": "When the next delivery is due (after a failure, with backoff).",
    "WebhookDelivery.succeeded": "True when the receiver answered 2xx.",
    "WebhookDelivery.status_code": "The receiver's HTTP status; null when no answer came.",
    "WebhookDelivery.error": "Why the delivery failed, when it did.",
    "WebhookDelivery.duration_ms": "How long the delivery took, in milliseconds.",
    "WebhookDelivery.attempted_at": "When the delivery was attempted.",
}
COMPONENT_DESCRIPTIONS = {
    "ActorBrief": "An actor in brief, as nested in other items.",
    "EventBrief": "An event in brief, as nested in other items.",
    "PlaceBrief": "A place in brief, as nested in other items.",
    "SourceBrief": "A source in brief, as nested in other items.",
    "StatementBrief": "A statement in brief, as nested in other items.",
    "Affiliation": "An actor's role in an organisation, with dates.",
    "Participant": "An actor taking part in an event, and in what role.",
    "Stance": "An event a statement bears on, and its stance on it.",
    "ActorMerge": "Which actor survives a merge.",
    "Change": "One committed change: which item, what action, which version.",
    "ChangeFeed": "A page of the change feed, in seq order.",
    "FieldChange": "One field's value before and after a change.",
    "HistoryEntry": "One version of an item: who made it, when, and what changed.",
    "Timeline": "An event's dated statements, sources and reviews, oldest first.",
    "Token": "An API token and when it expires.",
    "Credentials": "A username and password to exchange for a token.",
    "Webhook": "A subscription: the change feed POSTed to a URL as changes commit.",
    "WebhookDelivery": "One attempt to deliver changes to a webhook.",
}


def _base_name(component: str) -> str:
    return component.removeprefix("Patched").removesuffix("Request")


def _describe_properties(name: str, component: dict) -> None:
    base = _base_name(name)
    for field, prop in component.get("properties", {}).items():
        if prop.get("description"):
            continue
        text = (
            FIELD_DESCRIPTIONS.get(f"{base}.{field}")
            or FIELD_DESCRIPTIONS.get(f"{base.removesuffix('Created')}.{field}")
            or FIELD_DESCRIPTIONS.get(field)
        )
        if text is None:
            continue
        if "$ref" in prop:
            # A sibling of $ref is ignored in OpenAPI 3.0: wrap the reference to describe it.
            component["properties"][field] = {"allOf": [{"$ref": prop.pop("$ref")}], **prop}
            prop = component["properties"][field]
        prop["description"] = text


def _describe_component(name: str, component: dict, components: dict) -> None:
    if component.get("description") or "enum" in component:
        return
    base = _base_name(name)
    if name.startswith("Paginated") and name.endswith("List"):
        item = name.removeprefix("Paginated").removesuffix("List")
        component["description"] = f"A page of {item} items with the addresses of its neighbours."
    elif name.startswith("Patched"):
        component["description"] = f"The fields of {base} to change (PATCH); each one optional."
    elif name.endswith("Request") and base in COMPONENT_DESCRIPTIONS:
        component["description"] = COMPONENT_DESCRIPTIONS[base] + " Relations are sent as ids."
    elif name.endswith("Request") and components.get(base, {}).get("description"):
        component["description"] = components[base]["description"]
    elif base in COMPONENT_DESCRIPTIONS:
        component["description"] = COMPONENT_DESCRIPTIONS[base]


def _operations(schema: dict):
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, operation


def _add_links(schema: dict) -> None:
    """From each create response to the new item's detail, update, delete, reviews and history."""
    operation_ids = {operation["operationId"] for _, _, operation in _operations(schema)}
    targets = {
        "retrieve": ("Get{}", "The item just created."),
        "partial_update": ("Update{}", "Change the item just created (send If-Match: its ETag)."),
        "destroy": ("Delete{}", "Delete the item just created."),
        "reviews_list": ("{}Reviews", "The verdicts on the item just created."),
        "reviews_create": ("Review{}", "Post a verdict on the item just created (verifiers)."),
        "history": ("{}History", "Every version of the item just created."),
        "timeline": ("{}Timeline", "The timeline of the event just created."),
    }
    for _, _, operation in _operations(schema):
        operation_id = operation["operationId"]
        if not operation_id.endswith("_create") or "201" not in operation["responses"]:
            continue
        prefix = operation_id.removesuffix("_create")
        if f"{prefix}_retrieve" not in operation_ids:
            continue
        noun = prefix.rstrip("s").capitalize()
        links = {}
        for suffix, (name, description) in targets.items():
            if f"{prefix}_{suffix}" in operation_ids:
                parameters = {"id": "$response.body#/id"}
                if suffix in ("partial_update", "destroy"):
                    parameters["header.If-Match"] = "$response.header.ETag"
                links[name.format(noun)] = {
                    "operationId": f"{prefix}_{suffix}",
                    "parameters": parameters,
                    "description": description,
                }
        operation["responses"]["201"]["links"] = links


def _reference_named_enums(schema: dict) -> None:
    """A query parameter taking one of a named vocabulary refers to its enum component, so SDKs
    get one type per meaning (`EventTypeEnum`), not one per parameter (`EventsListEventTypeItem`)."""
    components = schema.get("components", {}).get("schemas", {})
    named = {
        frozenset(component["enum"]): f"#/components/schemas/{name}"
        for name, component in components.items()
        if "enum" in component and name.endswith("Enum")
    }
    for _, _, operation in _operations(schema):
        for parameter in operation.get("parameters", []):
            holder = parameter["schema"]
            if holder.get("type") == "array":
                holder = holder["items"]
            reference = named.get(frozenset(holder.get("enum", ())))
            if reference:
                holder.clear()
                holder["$ref"] = reference


def postprocess_schema(result, generator, request, public):
    """Fill in descriptions, add links between operations and examples of the main ones."""
    from eventsapi.api.schema_examples import EXAMPLES

    components = result.get("components", {}).get("schemas", {})
    for name, component in components.items():
        _describe_component(name, component, components)
        _describe_properties(name, component)
    for _, _, operation in _operations(result):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path" and parameter["name"] == "id" and not parameter.get("description"):
                parameter["description"] = "The item's id (UUID)."
            if parameter["in"] == "query":
                # Every query parameter takes an empty value as absent (`?date_from=`, `?after=`,
                # as the browsable API's forms send them), so the schema says so.
                parameter["allowEmptyValue"] = True
        for media_type, example in EXAMPLES.get(operation["operationId"], {}).items():
            content = operation.get("requestBody", {}).get("content", {})
            if media_type == "request" and "application/json" in content:
                content["application/json"]["examples"] = example
            elif media_type != "request":
                content = operation["responses"].get(media_type, {}).get("content", {})
                if "application/json" in content:
                    content["application/json"]["examples"] = example
    _reference_named_enums(result)
    _add_links(result)
    return result
