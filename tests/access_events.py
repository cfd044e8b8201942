"""Reading the access log back in tests (core.audit): the events, as plain tuples."""

from __future__ import annotations

from core.models import AccessEvent

FIELDS = ("actor_name", "action", "channel", "object_type", "object_id", "query", "row_count")


def logged() -> list[tuple]:
    """Every access event, oldest first: (actor, action, channel, type, id, query, rows)."""
    return list(AccessEvent.objects.order_by("id").values_list(*FIELDS))


def one_event(user, action, channel, object_type, object_id="", query="", rows=None) -> list:
    """What ``logged()`` holds after exactly one recorded request."""
    name = user.username if user is not None else ""
    return [(name, action, channel, object_type, str(object_id), query, rows)]
