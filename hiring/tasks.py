"""Background tasks for hiring: thin wrappers over the services."""

from __future__ import annotations

from celery import shared_task

from hiring.services.notifications import scorecard_reminders_send


@shared_task(name="hiring.tasks.remind_missing_scorecards", ignore_result=True, acks_late=True)
def remind_missing_scorecards() -> int:
    """Scheduled by beat: remind interviewers whose scorecard is a day overdue.

    Safe to run twice: each reminder has a dedupe key, so it is queued once.
    """
    return scorecard_reminders_send()
