"""Background tasks for candidates: thin wrappers over the services."""

from __future__ import annotations

import datetime

from celery import shared_task

from candidates.retention import retention_erase_due


@shared_task(name="candidates.tasks.erase_due_candidates", ignore_result=True, acks_late=True)
def erase_due_candidates(as_of: str | None = None) -> int:
    """Scheduled nightly by beat: erase candidates past their retain-until date, unless hired.

    ``as_of`` (an ISO date) is for tests and catch-up runs; beat passes none: today.
    Safe to run twice: an erased candidate is no longer due.
    """
    day = datetime.date.fromisoformat(as_of) if as_of else None
    return len(retention_erase_due(as_of=day))
