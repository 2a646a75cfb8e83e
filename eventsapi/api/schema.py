"""OpenAPI generation: problem documents on every error response, brief relations typed."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes
from rest_framework import serializers
from rest_framework.permissions import AllowAny

from eventsapi.api.problems import PROBLEM_CONTENT_TYPE


class ProblemFieldErrorSerializer(serializers.Serializer):
    field = serializers.CharField(
        allow_null=True,
        help_text="The field or query parameter at fault, as a path (`participants[0].actor`).",
    )
    code = serializers.CharField(help_text="Machine-readable error code, e.g. `required`, `invalid`.")
    message = serializers.CharField(help_text="Human-readable message.")


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
    "401": "Authentication is required.",
    "403": "Authenticated, but not allowed to do this.",
    "404": "No such resource.",
    "409": "Conflicts with the current state, e.g. the resource is still referred to.",
}


class ProblemAutoSchema(AutoSchema):
    """Adds the problem document to every error response an operation can return."""

    def _error_codes(self) -> list[str]:
        codes = ["400"]
        public = any(isinstance(permission, AllowAny) for permission in self.view.get_permissions())
        if not public:
            codes += ["401", "403"]
        if "{" in self.path:
            codes.append("404")
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            codes.append("409")
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code in responses:
                continue
            response = self._get_response_for_code(
                ProblemSerializer, code, media_types=[PROBLEM_CONTENT_TYPE], direction=direction
            )
            response["description"] = ERROR_DESCRIPTIONS[code]
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
