"""Report tasks: thin wrappers over ``reports.services``.

``generate_report`` runs on its own queue, ``reports`` (``CELERY_TASK_ROUTES``), so
a long report never delays the heartbeat or offer mail.
"""

from __future__ import annotations

from celery import shared_task

from reports import services


@shared_task(
    name="reports.tasks.generate_report",
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=services.TIME_LIMIT,
    soft_time_limit=services.SOFT_TIME_LIMIT,
)
def generate_report(run_id: int) -> str:
    """Generate one run; safe to run twice (the second finds it claimed or finished)."""
    return services.report_generate(run_id)


@shared_task(name="reports.tasks.sweep", ignore_result=True)
def sweep() -> dict:
    """Scheduled by beat: delete expired files, re-enqueue runs whose task was lost."""
    return services.reports_sweep()


@shared_task(name="reports.tasks.send_due_digests", ignore_result=True)
def send_due_digests() -> list[str]:
    """Scheduled by beat every few minutes: the weekly digests, on the admins' schedule."""
    return services.digests_send_due()
