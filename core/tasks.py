"""Background tasks owned by the core app: thin wrappers over services."""

from __future__ import annotations

from celery import shared_task

from core import audit, mail
from core.services import worker_heartbeat_record


@shared_task(bind=True, name="core.tasks.record_heartbeat", ignore_result=True)
def record_heartbeat(self) -> None:
    """Scheduled by beat; proves a worker takes tasks from the broker and writes to the DB."""
    worker_heartbeat_record(hostname=self.request.hostname or "unknown")


@shared_task(
    bind=True,
    name="core.tasks.send_email",
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=mail.SEND_TIME_LIMIT,
    soft_time_limit=mail.SEND_SOFT_TIME_LIMIT,
    # Only transient errors retry (core.mail.is_transient); a permanent one ends failed.
    autoretry_for=(mail.TransientMailError,),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=mail.MAX_ATTEMPTS - 1,
)
def send_email(self, email_id: int) -> None:
    """Send one outbox row; safe to run twice (the second run finds it claimed or sent)."""
    mail.email_send(email_id, final_attempt=self.request.retries >= self.max_retries)


@shared_task(name="core.tasks.requeue_stale_email", ignore_result=True)
def requeue_stale_email() -> None:
    """Scheduled by beat: re-enqueue emails whose task was lost (core.mail)."""
    mail.email_requeue_stale()


@shared_task(name="core.tasks.purge_access_log", ignore_result=True)
def purge_access_log() -> int:
    """Scheduled by beat, nightly: delete access events past ACCESS_LOG_RETENTION_DAYS."""
    return audit.purge_expired()


@shared_task(name="core.tasks.purge_expired_tokens", ignore_result=True)
def purge_expired_tokens() -> int:
    """Scheduled by beat, nightly: expired API tokens are deleted (they sign nobody in)."""
    from core import api_tokens

    return api_tokens.tokens_purge_expired()
