"""POST /api/v1/auth/token/ issues a token; DELETE revokes the one in use."""

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in, user_logged_out
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox.models import AuthToken
from knox.settings import knox_settings
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from eventsapi.api.authentication import TokenAuthentication


class CredentialsSerializer(serializers.Serializer):
    """A username and password to exchange for a token."""

    username = serializers.CharField(help_text="Your username.")
    password = serializers.CharField(
        style={"input_type": "password"}, trim_whitespace=False, help_text="Your password."
    )


class TokenSerializer(serializers.Serializer):
    """An API token and when it expires."""

    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`. Shown once.")
    expires_at = serializers.DateTimeField(help_text="When the token stops working.")


class TokenView(APIView):
    """Exchange a username and password for an API token, or revoke the token in use."""

    permission_classes = [AllowAny]
    authentication_classes = [TokenAuthentication]
    serializer_class = CredentialsSerializer

    @extend_schema(
        operation_id="auth_token_create",
        summary="Get a token",
        description=(
            "Exchange a username and password for a new API token (a user may hold several). "
            "Wrong credentials are a 401."
        ),
        request=CredentialsSerializer,
        responses={200: TokenSerializer},
    )
    def post(self, request):
        credentials = CredentialsSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        user = authenticate(
            request,
            username=credentials.validated_data["username"],
            password=credentials.validated_data["password"],
        )
        if user is None or not user.is_active:
            raise exceptions.AuthenticationFailed("Wrong username or password.")
        instance, token = AuthToken.objects.create(user=user, expiry=knox_settings.TOKEN_TTL)
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        body = TokenSerializer({"token": token, "expires_at": instance.expiry}).data
        return Response(body)

    @extend_schema(
        operation_id="auth_token_destroy",
        summary="Revoke the token in use",
        description="Revokes the token sent in the Authorization header; other tokens stay valid.",
        request=None,
        responses={204: OpenApiResponse(description="The token is revoked.")},
    )
    def delete(self, request):
        if not isinstance(request.auth, AuthToken):
            raise exceptions.NotAuthenticated("Send the token to revoke in the Authorization header.")
        request.auth.delete()
        user_logged_out.send(sender=request.user.__class__, request=request, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
