"""The second step of a sign-in: between a right password and a right code.

The password step leaves the user's id, the backend that accepted them and where to go
next in the (still anonymous) session, for PENDING_SECONDS; nothing is signed in until
the code step succeeds. A wrong code counts as a failed sign-in for the lockout.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed

from accounts import two_factor
from core.errors import DomainError, PermissionDenied

PENDING = "accounts_pending_sign_in"
PENDING_SECONDS = 300


@dataclass(frozen=True)
class Pending:
    user: object
    backend: str
    next_url: str


def start(request, *, user, next_url: str) -> None:
    request.session[PENDING] = {
        "user": user.pk,
        "backend": user.backend,
        "next": next_url,
        "at": int(time.time()),
    }


def current(request) -> Pending | None:
    """The pending sign-in, if one was started in the last PENDING_SECONDS."""
    data = request.session.get(PENDING)
    if not isinstance(data, dict) or time.time() - data.get("at", 0) > PENDING_SECONDS:
        return None
    user = get_user_model()._default_manager.filter(pk=data.get("user"), is_active=True).first()
    if user is None or data.get("backend") not in settings.AUTHENTICATION_BACKENDS:
        return None
    return Pending(user=user, backend=data["backend"], next_url=data.get("next") or "/")


def clear(request) -> None:
    request.session.pop(PENDING, None)


def is_locked_out(request, user) -> bool:
    if not settings.AXES_ENABLED:
        return False
    return not AxesProxyHandler.is_allowed(request, _credentials(user))


def try_code(request, user, device, code: str) -> two_factor.Outcome:
    """One try at the code step, on the page or the API: a wrong code counts toward the
    lockout like a wrong password. ``request`` is Django's (axes reads its address)."""
    outcome = two_factor.check_code(device, code)
    if outcome is two_factor.Outcome.WRONG:
        record_wrong_code(request, user)
    return outcome


CODE_NEEDED = "This account signs in with a code: send the 6-digit code from the app as `otp`."
ENROL_FIRST = (
    "Your role must sign in with two-factor: set it up at /account/two-factor/ first, "
    "then ask for a token with the code."
)


def check_token_sign_in(request, user, code: str) -> None:
    """The API's sign-in after a right password: the code when the user has a device, and
    no token at all for an admin who must enrol first. Raises a ``DomainError``."""
    device = two_factor.confirmed_device(user)
    if device is None:
        if two_factor.is_required(user):
            raise PermissionDenied(ENROL_FIRST, code="two_factor_required")
        return
    if not code.strip():
        raise DomainError.for_field("otp", CODE_NEEDED, code="otp_required")
    outcome = try_code(request, user, device, code)
    if outcome is not two_factor.Outcome.OK:
        raise DomainError.for_field("otp", two_factor.outcome_message(outcome), code="otp_wrong")


def record_wrong_code(request, user) -> None:
    """Counts toward the lockout like a wrong password (axes listens to this signal)."""
    user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)


def _credentials(user) -> dict:
    return {"username": user.get_username()}
