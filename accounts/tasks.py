"""The sign-in records' own retention: django-axes keeps a row per sign-in and per failure."""

from __future__ import annotations

from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from celery import shared_task
from django.conf import settings
from django.utils import timezone


@shared_task(name="accounts.tasks.purge_sign_in_records", ignore_result=True)
def purge_sign_in_records(now=None) -> int:
    """Scheduled by beat, nightly: sign-in and failure records older than
    ``ACCESS_LOG_RETENTION_DAYS`` go (a lockout's own attempts expire with its cool-off)."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
    deleted = AccessLog.objects.filter(attempt_time__lt=cutoff).delete()[0]
    deleted += AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()[0]
    deleted += AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()[0]
    return deleted
