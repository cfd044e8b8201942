"""Session limits: a signed-in session ends after SESSION_IDLE_SECONDS without a request
and SESSION_MAX_SECONDS after the sign-in, whatever happens in between.

Both times live in the session itself (epoch seconds): the sign-in time is written when
Django logs the user in (``user_logged_in``, every path: pages, admin, test client), and
the last-seen time is refreshed at most once a minute, so an active session costs one
session write a minute rather than one per request.
"""

from __future__ import annotations

import time
from enum import StrEnum

from django.conf import settings
from django.contrib.auth import SESSION_KEY

SIGNED_IN_AT = "accounts_signed_in_at"
LAST_SEEN_AT = "accounts_last_seen_at"
REFRESH_SECONDS = 60


class Ending(StrEnum):
    IDLE = "idle"
    MAX_AGE = "max_age"


def stamp_sign_in(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver: the session starts its clocks now."""
    session = getattr(request, "session", None)
    if session is not None:
        now = int(time.time())
        session[SIGNED_IN_AT] = now
        session[LAST_SEEN_AT] = now


def check(session, *, now: float | None = None) -> Ending | None:
    """Why a signed-in session has ended, or None; refreshes its last-seen time.

    A session without the stamps (signed in before they existed) starts its clocks now.
    An anonymous session is left alone (and not even loaded when there is no cookie).
    """
    if SESSION_KEY not in session:
        return None
    now = int(time.time() if now is None else now)
    signed_in = session.get(SIGNED_IN_AT)
    last_seen = session.get(LAST_SEEN_AT)
    if not isinstance(signed_in, int) or not isinstance(last_seen, int):
        session[SIGNED_IN_AT] = session[LAST_SEEN_AT] = now
        return None
    if now - signed_in >= settings.SESSION_MAX_SECONDS:
        return Ending.MAX_AGE
    if now - last_seen >= settings.SESSION_IDLE_SECONDS:
        return Ending.IDLE
    if now - last_seen >= min(REFRESH_SECONDS, settings.SESSION_IDLE_SECONDS // 10):
        session[LAST_SEEN_AT] = now
    return None


def ending_message(ending: Ending) -> str:
    if ending is Ending.IDLE:
        return (
            f"You were signed out after {_duration(settings.SESSION_IDLE_SECONDS)} without "
            "activity. Sign in again to continue."
        )
    return (
        f"Your session ended {_duration(settings.SESSION_MAX_SECONDS)} after you signed in. "
        "Sign in again to continue."
    )


def _duration(seconds: int) -> str:
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return f"{hours} hour{'s' if hours != 1 else ''}"
    minutes = max(1, round(seconds / 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
