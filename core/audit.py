"""The access log for personal data: one call records who read, exported or erased what.

Every place that shows or hands out candidate data calls :func:`record` (pages, API
details and lists, document downloads, report exports, erasure). Reads are recorded
even when the request later fails to render: the data left the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from core.models import AccessEvent

Action = AccessEvent.Action
Channel = AccessEvent.Channel

_QUERY_MAX = AccessEvent._meta.get_field("query").max_length


def _channel_of(request) -> str:
    if request is None:
        return Channel.WORKER
    path = getattr(request, "path", "") or ""
    if path.startswith("/api/"):
        return Channel.API
    if path.startswith("/admin/"):
        return Channel.ADMIN
    return Channel.PAGE


def _query_of(request) -> str:
    if request is None:
        return ""
    return request.get_full_path()[:_QUERY_MAX]


def record(
    action: str,
    object_type: str,
    object_id: object = "",
    *,
    request=None,
    actor=None,
    query: str | None = None,
    row_count: int | None = None,
    channel: str | None = None,
) -> AccessEvent:
    """Write one access event. ``actor`` defaults to the request's user."""
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
    return AccessEvent.objects.create(
        at=timezone.now(),
        actor=actor,
        actor_name=actor.get_username() if actor is not None else "",
        action=action,
        channel=channel or _channel_of(request),
        object_type=object_type,
        object_id="" if object_id in (None, "") else str(object_id),
        query=(_query_of(request) if query is None else query)[:_QUERY_MAX],
        row_count=row_count,
        address=(request.META.get("REMOTE_ADDR") or None) if request is not None else None,
    )


def record_rows(
    action: str, object_type: str, ids: Iterable[object], *, request=None, actor=None, **kwargs
) -> AccessEvent:
    """A list or search: one event with the row count (the ids are not stored one by one)."""
    return record(
        action, object_type, "", request=request, actor=actor, row_count=len(list(ids)), **kwargs
    )


def purge_expired(now=None) -> int:
    """Delete events older than ``ACCESS_LOG_RETENTION_DAYS``; returns how many went."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
    deleted, _ = AccessEvent.objects.filter(at__lt=cutoff).delete()
    return deleted
