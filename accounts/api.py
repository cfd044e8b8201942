"""The API's sign-in under the sign-in policy: a password, and a code when two-factor is on.

``core.api_views.ObtainTokenView`` issues tokens; this subclass (mounted at
``/api/v1/auth/token/`` by config) asks ``accounts.signin`` for the second factor, so a
password alone never yields a token for an account with two-factor sign-in, nor for an admin
who must enrol first.
"""

from __future__ import annotations

from accounts import signin
from core.api_views import ObtainTokenView


class TwoFactorTokenView(ObtainTokenView):
    def second_factor(self, request, user) -> None:
        signin.check_token_sign_in(request._request, user, str(request.data.get("otp") or ""))
