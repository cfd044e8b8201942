"""The API's session authentication, with the two-factor requirement."""

from __future__ import annotations

from drf_spectacular.authentication import SessionScheme as SpectacularSessionScheme
from rest_framework import authentication, exceptions

from accounts import two_factor

TWO_FACTOR_REQUIRED = (
    "Your account must use two-factor sign-in: set it up or enter a code at /account/two-factor/ "
    "before using the API from a signed-in session."
)


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's session authentication; refuses (403) the session of a compensation admin or
    superuser not verified with a code while REQUIRE_2FA_FOR_ADMINS is on."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None and not two_factor.satisfied(result[0]):
            raise exceptions.PermissionDenied(TWO_FACTOR_REQUIRED, code="two_factor_required")
        return result


class SessionScheme(SpectacularSessionScheme):
    """The OpenAPI schema describes it as DRF's session cookie (drf-spectacular extension)."""

    target_class = "accounts.authentication.SessionAuthentication"
