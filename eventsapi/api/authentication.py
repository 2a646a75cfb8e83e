"""Token authentication (hashed, expiring, revocable tokens from django-rest-knox)."""

import re

from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions
from rest_framework.authentication import get_authorization_header

ACCEPTED_PREFIXES = (b"token", b"bearer")
# knox writes tokens as printable ASCII (hexadecimal, after an optional prefix); anything
# else (bytes that are not UTF-8, NUL, kilobytes of junk) is refused here, before it reaches
# knox's decoding or a database query.
TOKEN = re.compile(rb"[\x21-\x7e]{1,512}")
INVALID_TOKEN = "Invalid token in the Authorization header."


class TokenAuthentication(KnoxTokenAuthentication):
    """Accepts ``Authorization: Token <token>`` and, for generated clients, ``Bearer <token>``."""

    def authenticate(self, request):
        auth = get_authorization_header(request).split()
        if not auth or auth[0].lower() not in ACCEPTED_PREFIXES:
            return None
        if len(auth) != 2:
            return super().authenticate(request)
        return self.authenticate_credentials(auth[1])

    def authenticate_credentials(self, token: bytes):
        if not TOKEN.fullmatch(token):
            raise exceptions.AuthenticationFailed(INVALID_TOKEN)
        return super().authenticate_credentials(token)
