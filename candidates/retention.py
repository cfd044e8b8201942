"""Retention: how long a candidate's data is kept, who is due, extensions, the nightly sweep.

A candidate's ``retain_until`` is their last activity plus ``RETENTION_MONTHS``. Activity
is a profile change (candidate create and update), a stage change (an application created
or moved), a note on one of their applications, or an interview scheduled: each calls
``retention_touch``, one UPDATE that only ever moves the date later (an extension is
never cut short). Recruiters see who is due within ``RETENTION_DUE_DAYS`` and extend with
a reason (a ``RetentionExtension`` row and an access event). The nightly task
(``candidates.tasks.erase_due_candidates``) erases everyone past their date unless a
keep provider (hiring: anyone hired) holds them.
"""

from __future__ import annotations

import calendar
import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from candidates import erasure
from candidates.models import Candidate, RetentionExtension
from core import access, audit
from core.errors import Conflict, DomainError, NotFound, PermissionDenied

logger = logging.getLogger(__name__)

REASON_MAX_LENGTH = 2000


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus ``months`` calendar months; the 31st becomes the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_retain_until(on: datetime.date | None = None) -> datetime.date:
    """The date data touched on ``on`` (today) is kept until."""
    return add_months(on or timezone.localdate(), settings.RETENTION_MONTHS)


def retention_touch(candidate_ids: Iterable[int], *, on: datetime.date | None = None) -> int:
    """Activity on these candidates: keep them at least until ``on`` + RETENTION_MONTHS.

    One UPDATE, no history row (the activity itself is recorded where it happened).
    """
    keep_until = default_retain_until(on)
    return (
        Candidate.objects.filter(pk__in=list(candidate_ids), erased_at__isnull=True)
        .filter(Q(retain_until__isnull=True) | Q(retain_until__lt=keep_until))
        .update(retain_until=keep_until)
    )


def kept_ids() -> set[int]:
    """Candidates the sweep never erases (every keep provider's ids: the hired)."""
    ids: set[int] = set()
    for provider in erasure.registry.keep:
        ids.update(provider().values_list("candidate_id", flat=True))
    return ids


def retention_due(*, as_of: datetime.date | None = None, within_days: int | None = None):
    """Candidates not erased, not kept, whose date falls within ``within_days`` of
    ``as_of`` (or has passed), soonest first."""
    as_of = as_of or timezone.localdate()
    within = settings.RETENTION_DUE_DAYS if within_days is None else within_days
    return (
        Candidate.objects.filter(
            erased_at__isnull=True, retain_until__lte=as_of + datetime.timedelta(days=within)
        )
        .exclude(pk__in=kept_ids())
        .order_by("retain_until", "id")
    )


def past_retention(as_of: datetime.date) -> QuerySet[Candidate]:
    """Candidates past their date on ``as_of`` (the day itself still keeps them)."""
    return Candidate.objects.filter(erased_at__isnull=True, retain_until__lt=as_of).exclude(
        pk__in=kept_ids()
    )


def retention_erase_due(*, as_of: datetime.date | None = None) -> list[int]:
    """The nightly sweep: erase each candidate past their date, one transaction each.

    Safe to run twice: an erased candidate is no longer due, and a candidate erased
    meanwhile by someone else is skipped. Returns the ids erased.
    """
    as_of = as_of or timezone.localdate()
    erased = []
    for candidate_id in past_retention(as_of).values_list("pk", flat=True):
        try:
            erasure.erase_candidate(candidate_id=candidate_id, actor=None)
        except (Conflict, NotFound):
            continue
        erased.append(candidate_id)
    if erased:
        logger.info("Retention erased %d candidates due before %s", len(erased), as_of)
    return erased


def may_extend(user) -> bool:
    return access.sees_all_candidates(user)


def retention_extend(
    *, candidate: Candidate, new_date: datetime.date, reason: str, actor, request=None
) -> RetentionExtension:
    """Keep a candidate's data until ``new_date``, for a reason; recorded and logged.

    The new date must be later than the current one and than today, and at most
    RETENTION_MONTHS from today (no one keeps data longer than fresh activity would).
    """
    if not may_extend(actor):
        raise PermissionDenied("Only recruiters and compensation admins extend retention.")
    text = (reason or "").strip()
    _check_extension(new_date, text)
    with transaction.atomic():
        locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
        if locked.erased_at is not None:
            raise Conflict("This candidate has been erased.", code="already_erased")
        if locked.retain_until and new_date <= locked.retain_until:
            raise DomainError.for_field(
                "new_date", f"Choose a date after the current one ({locked.retain_until})."
            )
        extension = RetentionExtension.objects.create(
            candidate=locked,
            actor=actor,
            at=timezone.now(),
            old_date=locked.retain_until,
            new_date=new_date,
            reason=text,
        )
        Candidate.objects.filter(pk=locked.pk).update(retain_until=new_date)
        audit.record(audit.Action.RETENTION, "candidate", locked.pk, request=request, actor=actor)
    return extension


def _check_extension(new_date: datetime.date | None, reason: str) -> None:
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    latest = default_retain_until(today)
    if new_date is None:
        errors["new_date"] = ["Give the new retain-until date."]
    elif new_date <= today:
        errors["new_date"] = ["The new date must be in the future."]
    elif new_date > latest:
        errors["new_date"] = [
            f"At most {settings.RETENTION_MONTHS} months from today ({latest.isoformat()})."
        ]
    if not reason:
        errors["reason"] = ["Give a reason for keeping the data longer."]
    elif len(reason) > REASON_MAX_LENGTH:
        errors["reason"] = [f"A reason is at most {REASON_MAX_LENGTH:,} characters."]
    if errors:
        first = next(iter(errors))
        raise DomainError(errors[first][0], errors=errors)
