"""Background tasks owned by the core app: thin wrappers over services."""

from __future__ import annotations

from celery import shared_task

from core.services import worker_heartbeat_record


@shared_task(bind=True, name="core.tasks.record_heartbeat", ignore_result=True)
def record_heartbeat(self) -> None:
    """Scheduled by beat; proves a worker takes tasks from the broker and writes to the DB."""
    worker_heartbeat_record(hostname=self.request.hostname or "unknown")
