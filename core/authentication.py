"""API token authentication: knox's tokens, checked in one query, refused with a plain 401."""

from __future__ import annotations

from hmac import compare_digest

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox import auth
from knox.crypto import hash_token
from knox.models import AuthToken
from knox.settings import CONSTANTS
from rest_framework.exceptions import AuthenticationFailed

from core import access

INVALID = "Invalid token: it was revoked, has expired or never existed. Sign in for a new one."
EXPIRED = "The token has expired. Sign in for a new one."
#: Longer than any key knox issues (64 characters plus a prefix of at most 10).
MAX_KEY_LENGTH = 100


class TokenAuthentication(auth.TokenAuthentication):
    """``Authorization: Token <key>`` against knox's hashed tokens.

    knox's own check also loads every other token of the user on each request to delete the
    expired ones (a second query per request); here a token is one select joined to its user,
    as DRF's token was, and expired tokens are deleted when presented and when their owner
    signs in again (``core.api_tokens.token_issue``). The user's group names come in the same
    query (``core.access.with_group_names``). A key that is not printable ASCII (or too long)
    is refused before any query.
    """

    def authenticate_credentials(self, token: bytes):
        try:
            key = token.decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(INVALID) from None
        if not key.isprintable() or len(key) > MAX_KEY_LENGTH:
            raise AuthenticationFailed(INVALID)
        digest = hash_token(key)
        found = AuthToken.objects.filter(token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH])
        found = access.with_group_names(found, user="user_id")
        for auth_token in found.select_related("user"):
            if not compare_digest(digest, auth_token.digest):
                continue
            if auth_token.expiry is not None and auth_token.expiry <= timezone.now():
                auth_token.delete()
                raise AuthenticationFailed(EXPIRED)
            access.keep_group_names(auth_token, auth_token.user)
            return self.validate_user(auth_token)
        raise AuthenticationFailed(INVALID)


class TokenScheme(OpenApiAuthenticationExtension):
    """The OpenAPI security scheme of ``TokenAuthentication``: as DRF's token was described."""

    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=self.target.authenticate_header(None)
        )
