"""Writes owned by the core app."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from core.models import WorkerHeartbeat


@transaction.atomic
def worker_heartbeat_record(*, hostname: str) -> WorkerHeartbeat:
    """Upsert the worker's row with the current time; running it twice is harmless."""
    heartbeat, _ = WorkerHeartbeat.objects.update_or_create(
        hostname=hostname, defaults={"seen_at": timezone.now()}
    )
    return heartbeat
