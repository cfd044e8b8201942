"""A fixed-window counter in the cache: how many times a key was hit in a window.

Used for public forms (the careers application): per client address and per email.
The cache is Redis when ``CACHE_URL`` is set (shared by every web process), else the
process-local memory cache (enough for one process, and for tests).
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def allow(scope: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit for ``key``; False once it was hit more than ``limit`` times."""
    digest = hashlib.sha256(key.strip().lower().encode("utf-8")).hexdigest()[:32]
    name = f"throttle:{scope}:{digest}"
    # add() creates the counter with its expiry only if absent; incr() is atomic on Redis.
    cache.add(name, 0, timeout=window_seconds)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add() and incr()
        cache.add(name, 1, timeout=window_seconds)
        count = 1
    return count <= limit


def client_address(request) -> str:
    """The client's address as the web server saw it (set REMOTE_ADDR behind a proxy)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"
