"""The access log for personal data: one call records who read, exported or erased what.

Every place that shows or hands out candidate data calls :func:`record` (pages, API
details and lists, document downloads, report exports, erasure). Reads are recorded
even when the request later fails to render: the data left the database.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from core import access, throttle
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


def _address_of(request) -> str | None:
    if request is None:
        return None
    address = throttle.client_address(request)
    return None if address == "unknown" else address


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
        address=_address_of(request),
    )


def record_rows(
    action: str, object_type: str, ids: Iterable[object], *, request=None, actor=None, **kwargs
) -> AccessEvent:
    """A list or search: one event with the row count (the ids are not stored one by one)."""
    return record(
        action, object_type, "", request=request, actor=actor, row_count=len(list(ids)), **kwargs
    )


def record_list(
    object_type: str, row_count: int, *, request, search_params: Iterable[str] = ("q", "search")
) -> AccessEvent:
    """A page or endpoint that returned rows: a search if the request typed a search term."""
    params = getattr(request, "GET", {})
    searched = any((params.get(name) or "").strip() for name in search_params)
    action = Action.SEARCH if searched else Action.LIST
    return record(action, object_type, request=request, row_count=row_count)


def may_read_log(user) -> bool:
    """Compensation admins and superusers read the access log; nobody edits it."""
    return access.is_compensation_admin(user)


def events(
    *,
    actor: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    before: int | None = None,
    limit: int = 50,
) -> tuple[list[AccessEvent], int | None]:
    """A page of events, newest first, and the cursor of the next (older) page or None.

    Keyset pagination on the id (ids follow insertion, so time): a page reads ``limit + 1``
    rows however deep it is, and nothing counts the whole table.
    """
    rows = AccessEvent.objects.all()
    if actor:
        users = get_user_model().objects.filter(username=actor).values("pk")
        rows = rows.filter(Q(actor__in=users) | Q(actor__isnull=True, actor_name=actor))
    if action:
        rows = rows.filter(action=action)
    if object_type:
        rows = rows.filter(object_type=object_type)
    if object_id:
        rows = rows.filter(object_id=object_id)
    if date_from:
        rows = rows.filter(at__gte=_start_of(date_from))
    if date_to:
        rows = rows.filter(at__lt=_start_of(date_to + timedelta(days=1)))
    if before:
        rows = rows.filter(pk__lt=before)
    found = list(rows.order_by("-id")[: limit + 1])
    return found[:limit], (found[limit - 1].pk if len(found) > limit else None)


def purge_expired(now=None) -> int:
    """Delete events older than ``ACCESS_LOG_RETENTION_DAYS``; returns how many went."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
    deleted, _ = AccessEvent.objects.filter(at__lt=cutoff).delete()
    return deleted


def _start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of ``day`` in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
