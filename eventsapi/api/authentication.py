"""Token authentication (hashed, expiring, revocable tokens from django-rest-knox)."""

from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework.authentication import get_authorization_header

ACCEPTED_PREFIXES = (b"token", b"bearer")


class TokenAuthentication(KnoxTokenAuthentication):
    """Accepts ``Authorization: Token <token>`` and, for generated clients, ``Bearer <token>``."""

    def authenticate(self, request):
        auth = get_authorization_header(request).split()
        if not auth or auth[0].lower() not in ACCEPTED_PREFIXES:
            return None
        if len(auth) != 2:
            return super().authenticate(request)
        return self.authenticate_credentials(auth[1])
