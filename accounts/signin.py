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


def record_wrong_code(request, user) -> None:
    """Counts toward the lockout like a wrong password (axes listens to this signal)."""
    user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)


def _credentials(user) -> dict:
    return {"username": user.get_username()}
