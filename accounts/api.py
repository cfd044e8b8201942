"""The API's sign-in under the sign-in policy: a password, and a code when two-factor is on.

``core.api_views.ObtainTokenView`` issues tokens; this subclass (mounted at
``/api/v1/auth/token/`` by config) adds the second factor, so a password alone never yields
a token for an account with two-factor sign-in, nor for an admin who must enrol first.
"""

from __future__ import annotations

from accounts import signin, two_factor
from core.api_views import ObtainTokenView
from core.errors import DomainError, PermissionDenied

CODE_NEEDED = "This account signs in with a code: send the 6-digit code from the app as `otp`."
ENROL_FIRST = (
    "Your role must sign in with two-factor: set it up at /account/two-factor/ first, "
    "then ask for a token with the code."
)


class TwoFactorTokenView(ObtainTokenView):
    def second_factor(self, request, user) -> None:
        device = two_factor.confirmed_device(user)
        if device is None:
            if two_factor.is_required(user):
                raise PermissionDenied(ENROL_FIRST, code="two_factor_required")
            return
        code = str(request.data.get("otp") or "")
        if not code.strip():
            raise DomainError.for_field("otp", CODE_NEEDED, code="otp_required")
        outcome = two_factor.check_code(device, code)
        if outcome is two_factor.Outcome.OK:
            return
        if outcome is two_factor.Outcome.WRONG:
            signin.record_wrong_code(request._request, user)  # counts toward the lockout
        raise DomainError.for_field("otp", two_factor.outcome_message(outcome), code="otp_wrong")
