"""The API's rates: DRF throttles counted in the shared cache (core.throttle).

Signed-in callers are counted per user (scope ``user``), anonymous ones per address
(``anon``), and the token endpoint, which checks passwords, per address in a stricter scope
(``token``). Rates come from ``settings.API_THROTTLE_RATES``, read at each request. A caller
over a rate gets a 429 in the API's error shape with ``Retry-After`` (DRF's ``Throttled``).

DRF checks throttles after authentication and permissions: a request refused with a 401 or 403
is not counted.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import BaseThrottle

from core import throttle

PERIOD_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"100/minute"`` -> (100, 60): hits allowed, window in seconds."""
    count, _, period = rate.partition("/")
    return int(count), PERIOD_SECONDS[period.strip()[0]]


class _WindowThrottle(BaseThrottle):
    scope = ""

    def allow_request(self, request, view) -> bool:
        key = self.get_key(request)
        if key is None:
            return True
        limit, window = parse_rate(settings.API_THROTTLE_RATES[self.scope])
        self.retry_after = throttle.hit(self.scope, key, limit=limit, window_seconds=window)
        return self.retry_after == 0

    def wait(self) -> float | None:
        return getattr(self, "retry_after", None)

    def get_key(self, request) -> str | None:
        raise NotImplementedError


class UserRateThrottle(_WindowThrottle):
    """Per signed-in user (token or session)."""

    scope = "user"

    def get_key(self, request) -> str | None:
        return str(request.user.pk) if request.user.is_authenticated else None


class AnonRateThrottle(_WindowThrottle):
    """Per address, for callers not signed in."""

    scope = "anon"

    def get_key(self, request) -> str | None:
        return None if request.user.is_authenticated else throttle.client_address(request)


class TokenRateThrottle(_WindowThrottle):
    """Per address, on the token endpoint (password checks), signed in or not."""

    scope = "token"

    def get_key(self, request) -> str | None:
        return throttle.client_address(request)
