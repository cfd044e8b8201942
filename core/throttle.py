"""Counters in the cache: how many times a key was hit in a window.

Used for public forms (the careers application: per client address and per email) and for
the API's rates (core.api_throttling: per user and per address). The cache is shared by
every process (config/settings.py CACHES): Redis when ``CACHE_URL`` is set, where counting is
atomic; else files on this host, where two processes counting the same key at the same
instant may lose one hit.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


def allow(scope: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit for ``key``; False once it was hit more than ``limit`` times.

    The window starts at the key's first hit.
    """
    return _count(_name(scope, key), window_seconds) <= limit


def hit(scope: str, key: str, *, limit: int, window_seconds: int, now: float | None = None) -> int:
    """Count one hit for ``key`` in the current clock-aligned window.

    Returns 0 while ``key`` is within ``limit`` hits in this window, else the whole seconds
    until the window ends (what a ``Retry-After`` header says).
    """
    now = time.time() if now is None else now
    window = int(now // window_seconds)
    # The window's number is in the name: a new window starts a new counter, and the old one
    # expires on its own.
    count = _count(f"{_name(scope, key)}:{window}", window_seconds + 1)
    if count <= limit:
        return 0
    return max(1, math.ceil((window + 1) * window_seconds - now))


def client_address(request) -> str:
    """The client's address: the peer's, or behind ``TRUSTED_PROXY_COUNT`` proxies the one
    the outermost of them saw (``X-Forwarded-For`` counted from the right: the left-hand
    entries are whatever the client sent, so they are never trusted). One rule for the
    throttles, the lockout, the careers form and the access log."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _name(scope: str, key: str) -> str:
    digest = hashlib.sha256(key.strip().lower().encode("utf-8")).hexdigest()[:32]
    return f"throttle:{scope}:{digest}"


def _count(name: str, timeout: int) -> int:
    """The key's count after this hit; 0 (allowed) while the cache is unreachable: a Redis
    outage must not turn every API request into a 500. Sign-in stays guarded meanwhile by
    the lockout, whose failure counts are in the database (django-axes)."""
    try:
        # add() creates the counter with its expiry only if absent; incr() is atomic on Redis.
        cache.add(name, 0, timeout=timeout)
        try:
            return cache.incr(name)
        except ValueError:  # expired between add() and incr()
            cache.add(name, 1, timeout=timeout)
            return 1
    except Exception:  # redis.ConnectionError, OSError: the cache server is down
        logger.warning("Throttle counters unavailable (cache unreachable): not counting %s", name)
        return 0
