"""drf-spectacular extensions: how brief relations and the two authentication schemes appear.

They register themselves when imported (``eventsapi.api.schema`` imports this module).
"""

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes


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
