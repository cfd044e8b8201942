"""Background tasks for offers: thin wrappers over the services."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from offers.services import offers_expire


@shared_task(name="offers.tasks.expire_offers", ignore_result=True, acks_late=True)
def expire_offers() -> int:
    """Scheduled by beat: expire approved and sent offers past their expiry date.

    Safe to run twice: an expired offer is not picked again.
    """
    return offers_expire(today=timezone.localdate())
