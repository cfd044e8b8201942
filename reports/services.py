"""Report runs: request, claim and generate, download, expire; and the weekly digests.

The background-job pattern of ``core.mail``: ``report_request`` writes a queued
``ReportRun`` and enqueues ``reports.tasks.generate_report`` after commit; the task
calls ``report_generate``, which holds the run's liveness lock (``reports.liveness``),
claims the run with one conditional UPDATE (queued → running, or a running run whose
worker died: nobody holds its lock, or its claim is older than the task's time limit),
streams the file to a temporary file, stores it under a random name, and marks the run
succeeded only if it still owns the claim. A run taken over meanwhile deletes its own
file, so one file remains. Any failure marks the run
failed with a message the requester can read; "retry" requests a new run.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import tempfile
import time
import uuid
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from core import access, audit
from core.errors import Conflict, DomainError, NotFound, PermissionDenied
from core.mail import email_enqueue
from hiring.permissions import eligible_recruiters
from reports import liveness, permissions
from reports.filters import Scope, clean_filters
from reports.kinds import CONTENT_TYPES, Format, Kind, download_name
from reports.models import DigestSchedule, ReportDownload, ReportRun
from reports.selectors import band_review_rows, build_report
from reports.writers import write

logger = logging.getLogger(__name__)

# The generate task's limits (reports.tasks). A running claim older than the hard limit
# belongs to a worker that died: another may take it over.
TIME_LIMIT = 30 * 60
SOFT_TIME_LIMIT = 28 * 60
STALE_CLAIM = datetime.timedelta(seconds=TIME_LIMIT + 60)
# A queued run untouched this long lost its task (the broker was down at commit).
QUEUED_FORGOTTEN = datetime.timedelta(minutes=15)
MAX_ATTEMPTS = 3
FOLDER = "reports"
PROGRESS_EVERY_ROWS = 2000
PROGRESS_EVERY_SECONDS = 1.0
# Set only by tests/reliability, in the workers it starts: a file that, while it exists,
# holds the seconds to wait after each row (a report slow enough to kill mid-run).
TEST_SLOW_ROWS_VARIABLE = "REPORTS_TEST_SLOW_ROWS"


def report_request(
    *,
    actor,
    kind: str,
    fmt: str,
    filters=None,
    notify: bool = False,
    retry_of: ReportRun | None = None,
    request=None,
) -> ReportRun:
    """Check the request, create a queued run, enqueue its generation after commit.

    When the broker is unreachable at commit the run is still created, queued, with
    ``run.enqueue_failed`` set: the sweep (``reports_sweep``) enqueues it once the broker is
    back. The run's creation is an export in the access log (who asked for which kind with
    which filters); ``request``, when there is one, gives the log the channel and address.

    Raises ``PermissionDenied`` (403) for a user or kind not allowed, and
    ``DomainError`` naming the field for an unknown kind or format, a bad date or a
    filter naming something the user may not see; no run is created then.
    """
    permissions.check_may_use_reports(actor)
    if kind not in Kind.values:
        raise DomainError.for_field(
            "kind", f"Unknown report kind {kind!r}; choose one of {', '.join(Kind.values)}."
        )
    if fmt not in Format.values:
        raise DomainError.for_field(
            "format", f"Unknown format {fmt!r}; choose one of {', '.join(Format.values)}."
        )
    if not permissions.may_request_kind(actor, kind):
        raise PermissionDenied(
            f"The {Kind(kind).label.lower()} report is not available to your role.",
            errors={"kind": ["Not available to your role."]},
        )
    cleaned = clean_filters(filters, user=actor, kind=kind)
    with transaction.atomic():
        run = ReportRun.objects.create(
            kind=kind,
            format=fmt,
            filters=cleaned,
            requested_by=actor,
            notify=notify,
            retry_of=retry_of,
        )
        audit.record(
            audit.Action.EXPORT,
            "report",
            run.pk,
            request=request,
            actor=actor,
            query=_export_query(kind, fmt, cleaned),
        )
        _enqueue_on_commit(run.pk, run)
    return run


def report_retry(*, actor, run: ReportRun, request=None) -> ReportRun:
    """A failed run is never rerun in place: a new run with the same request."""
    if run.status != ReportRun.Status.FAILED:
        raise Conflict(f"Only a failed report can be retried; this one is {run.status}.")
    return report_request(
        actor=actor,
        kind=run.kind,
        fmt=run.format,
        filters=run.filters,
        retry_of=run,
        request=request,
    )


def report_claim(run_id: int, *, owner_gone: bool = False) -> ReportRun | None:
    """Queued → running, or take over a running run whose worker died; None otherwise.

    ``owner_gone``: the caller holds the run's liveness lock, so whoever claimed it before
    is dead (their lock went with their connection) and the claim's age does not matter.
    """
    now = timezone.now()
    running = Q(status=ReportRun.Status.RUNNING)
    if not owner_gone:
        running &= Q(started_at__lt=now - STALE_CLAIM)
    claimed = ReportRun.objects.filter(
        Q(status=ReportRun.Status.QUEUED) | running, pk=run_id, attempts__lt=MAX_ATTEMPTS
    ).update(
        status=ReportRun.Status.RUNNING,
        started_at=now,
        progress=0,
        error="",
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return None
    return ReportRun.objects.select_related("requested_by").get(pk=run_id)


def report_generate(run_id: int) -> str:
    """Claim and generate one run: ``"succeeded"``, ``"failed"`` or ``"skipped"``.

    Holds the run's liveness lock from before the claim to after the last update: a live
    worker holding it makes every other delivery of the task skip; a dead one's lock is
    gone, so a redelivered task (or the sweep's) takes the run over at once.
    """
    with liveness.hold(run_id) as held:
        if held is False:  # a live worker is generating this run
            return "skipped"
        return _claim_and_generate(run_id, owner_gone=bool(held))


def _claim_and_generate(run_id: int, *, owner_gone: bool) -> str:
    run = report_claim(run_id, owner_gone=owner_gone)
    if run is None:
        return "skipped"
    owned = ReportRun.objects.filter(
        pk=run.pk, status=ReportRun.Status.RUNNING, started_at=run.started_at
    )
    try:
        name, rows = _generate(run, owned)
    except _ClaimLost:
        return "skipped"
    except SoftTimeLimitExceeded:
        return _fail(owned, f"The report took longer than {SOFT_TIME_LIMIT // 60} minutes.")
    except DomainError as exc:
        return _fail(owned, exc.message)
    except ObjectDoesNotExist:
        return _fail(owned, "Something this report names no longer exists or is hidden.")
    except Exception as exc:
        logger.exception("Report run %s failed", run.pk)
        return _fail(
            owned,
            f"The report could not be generated ({type(exc).__name__}). Retry it; if it "
            "fails again, tell an administrator.",
        )
    now = timezone.now()
    finished = owned.update(
        status=ReportRun.Status.SUCCEEDED,
        progress=100,
        row_count=rows,
        storage_name=name,
        finished_at=now,
        expires_at=now + datetime.timedelta(days=settings.REPORT_RETENTION_DAYS),
    )
    if not finished:  # taken over while we wrote: the other worker's file is the one
        default_storage.delete(name)
        return "skipped"
    if run.notify:
        _notify_ready(run)
    return "succeeded"


def report_open_for_download(*, run: ReportRun, actor, request=None):
    """Check, record the download (who, when, which run) and open the file.

    Recorded twice on purpose: ``ReportDownload`` is the run's own history (shown with
    the run), the access event is the personal-data log with everything else read.

    Returns ``(handle, filename, content_type)``. The caller found ``run`` through
    ``permissions.runs_visible_to(actor)``.
    """
    permissions.check_may_use_reports(actor)
    if run.status != ReportRun.Status.SUCCEEDED:
        raise Conflict(f"This report is {run.get_status_display().lower()}, not ready to download.")
    if run.file_erased:
        raise NotFound(
            "This report's file was removed because it named a candidate who was erased; "
            "request the report again.",
            code="erased",
        )
    if not run.storage_name:
        raise NotFound("This report's file has expired; request the report again.", code="expired")
    try:
        handle = default_storage.open(run.storage_name, "rb")
    except FileNotFoundError as exc:
        raise NotFound("This report's file is missing from storage.") from exc
    ReportDownload.objects.create(run=run, user=actor, at=timezone.now())
    audit.record(
        audit.Action.DOWNLOAD,
        "report",
        run.pk,
        request=request,
        actor=actor,
        row_count=run.row_count,
    )
    filename = download_name(
        run_id=run.pk, kind=run.kind, fmt=run.format, on=timezone.localdate(run.finished_at)
    )
    return handle, filename, CONTENT_TYPES[run.format]


def reports_sweep(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Run by beat: delete expired files, fail runs past their attempts, re-enqueue lost ones:
    queued runs whose task was lost, and running runs whose worker died (no liveness lock
    held on PostgreSQL; a claim older than the time limit anywhere)."""
    now = now or timezone.now()
    ReportRun.objects.filter(
        status=ReportRun.Status.RUNNING,
        started_at__lt=now - STALE_CLAIM,
        attempts__gte=MAX_ATTEMPTS,
    ).update(
        status=ReportRun.Status.FAILED,
        error="The worker was lost on every attempt; the report may be too large.",
        finished_at=now,
    )
    return {"deleted": reports_delete_expired(now=now), "requeued": _requeue_lost(now)}


def reports_delete_expired(*, now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Delete the files of runs past their expiry; the run rows stay, marked expired."""
    now = now or timezone.now()
    expired = ReportRun.objects.filter(expires_at__lt=now).exclude(storage_name="")
    deleted = 0
    for pk, name in expired.values_list("pk", "storage_name")[:limit]:
        default_storage.delete(name)
        deleted += ReportRun.objects.filter(pk=pk, storage_name=name).update(
            storage_name="", file_deleted_at=now
        )
    return deleted


def digests_send_due(*, now: datetime.datetime | None = None) -> list[str]:
    """Run by beat every few minutes: send each enabled digest once on its day, from its hour."""
    now = timezone.localtime(now or timezone.now())
    today = now.date()
    sent = []
    for schedule in DigestSchedule.objects.filter(enabled=True, weekday=today.weekday()):
        if now.hour < schedule.hour:
            continue
        claimed = (
            DigestSchedule.objects.filter(pk=schedule.pk)
            .filter(Q(last_sent_on__isnull=True) | Q(last_sent_on__lt=today))
            .update(last_sent_on=today)
        )
        if claimed:
            DIGESTS[schedule.digest](schedule, today)
            sent.append(schedule.digest)
    return sent


def digest_schedule_save(*, schedule: DigestSchedule, actor) -> DigestSchedule:
    """An admin's edit of a schedule: recorded with who changed it."""
    if not access.is_compensation_admin(actor):
        raise PermissionDenied("Only compensation admins edit digest schedules.")
    schedule.updated_by = actor
    schedule.full_clean()
    schedule.save()
    return schedule


def pipeline_digest(schedule: DigestSchedule, today: datetime.date) -> int:
    """A pipeline report for each recruiter, on their own requisitions, mailed when ready."""
    count = 0
    for recruiter in eligible_recruiters().exclude(email=""):
        report_request(
            actor=recruiter,
            kind=Kind.PIPELINE,
            fmt=schedule.format,
            filters={"recruiter": recruiter.pk},
            notify=True,
        )
        count += 1
    return count


def band_review_digest(schedule: DigestSchedule, today: datetime.date) -> int:
    """The requisitions the aging report marks, mailed to every compensation admin."""
    admins = [
        u
        for u in get_user_model()
        .objects.filter(is_active=True, groups__name=access.COMPENSATION_ADMINS)
        .distinct()
        if u.email and access.is_compensation_admin(u)
    ]
    if not admins:
        return 0
    rows = list(band_review_rows(Scope(user=admins[0], filters={}), today=today))
    lines = [
        f"- {title} ({level}, {track}, {zone}): open {days} days, "
        f"{declined} offers declined for compensation"
        for _pk, title, track, level, zone, _m, _r, _o, days, _a, declined, _f in rows
    ]
    body = (
        "Requisitions marked for a band review (open over 100 days, or two or more offers "
        "declined for compensation):\n\n"
        + ("\n".join(lines) if lines else "None this week.")
        + f"\n\nThe aging report has the details: {_site_url(reverse('reports:index'))}\n"
    )
    email_enqueue(
        to=[u.email for u in admins],
        subject=f"Band review digest: {len(rows)} requisitions",
        body=body,
        dedupe_key=f"band-review-digest:{today.isoformat()}",
    )
    return len(rows)


DIGESTS = {
    DigestSchedule.Digest.PIPELINE: pipeline_digest,
    DigestSchedule.Digest.BAND_REVIEW: band_review_digest,
}


class _ClaimLost(Exception):
    """Another worker took the run over: stop writing."""


class _Progress:
    """Records progress every few thousand rows or every second, on our own claim only.

    Without a row total up front (that would cost a second query per section) the bar
    climbs towards 95% as rows stream, and jumps to 100% at the end.
    """

    def __init__(self, owned) -> None:
        self.owned = owned
        self.last_rows, self.last_time = 0, time.monotonic()

    def __call__(self, rows: int) -> None:
        if slow_rows := os.environ.get(TEST_SLOW_ROWS_VARIABLE):
            _test_slow_row(slow_rows)
        if rows - self.last_rows < PROGRESS_EVERY_ROWS and (
            time.monotonic() - self.last_time < PROGRESS_EVERY_SECONDS
        ):
            return
        self.last_rows, self.last_time = rows, time.monotonic()
        progress = 5 + int(90 * rows / (rows + 20_000))
        if not self.owned.update(progress=progress):
            raise _ClaimLost


def _test_slow_row(path: str) -> None:
    """tests/reliability only: wait as the file says, and name this process (the victim)."""
    try:
        delay = float(Path(path).read_text())
    except (OSError, ValueError):
        return
    Path(f"{path}.pid").write_text(str(os.getpid()))
    time.sleep(delay)


def _generate(run: ReportRun, owned) -> tuple[str, int]:
    user = run.requested_by
    if not permissions.may_request_kind(user, run.kind):
        raise PermissionDenied("The requester may no longer run this report.")
    owned.update(progress=5)
    report = build_report(run.kind, Scope(user=user, filters=run.filters))
    with tempfile.TemporaryFile(dir=settings.REPORT_TEMP_DIR) as handle:
        rows = write(report, run.format, handle, _Progress(owned))
        handle.seek(0)
        name = f"{FOLDER}/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}"
        name = default_storage.save(name, File(handle, name=name))
    return name, rows


def _fail(owned, message: str) -> str:
    owned.update(status=ReportRun.Status.FAILED, error=message[:2000], finished_at=timezone.now())
    return "failed"


def _requeue_lost(now: datetime.datetime) -> int:
    lost = Q(status=ReportRun.Status.RUNNING, started_at__lt=now - STALE_CLAIM) | Q(
        status=ReportRun.Status.QUEUED, created_at__lt=now - QUEUED_FORGOTTEN
    )
    held = liveness.held_run_ids()
    if held is not None:  # PostgreSQL: a running run nobody holds lost its worker now
        lost |= Q(status=ReportRun.Status.RUNNING, attempts__lt=MAX_ATTEMPTS) & ~Q(pk__in=held)
    ids = list(ReportRun.objects.filter(lost).values_list("pk", flat=True)[:200])
    for run_id in ids:
        _enqueue_on_commit(run_id)
    return len(ids)


def _export_query(kind: str, fmt: str, filters: dict) -> str:
    """What was exported, as the access log's query text: kind, format and filters."""
    return f"kind={kind} format={fmt} filters=" + json.dumps(filters, sort_keys=True, default=str)


def _notify_ready(run: ReportRun) -> None:
    user = run.requested_by
    if not user.email:
        return
    link = _site_url(reverse("reports:download", args=[run.pk]))
    email_enqueue(
        to=user.email,
        subject=f"Your {run.get_kind_display().lower()} report is ready",
        body=(
            f"Hello {user.get_full_name() or user.get_username()},\n\n"
            f"Your weekly {run.get_kind_display().lower()} report is ready. Download it "
            f"(sign-in required) within {settings.REPORT_RETENTION_DAYS} days:\n{link}\n"
        ),
        dedupe_key=f"report-ready:{run.pk}",
    )


def _site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _enqueue_on_commit(run_id: int, run: ReportRun | None = None) -> None:
    """After commit, send the run's task. A broker outage then is logged, never a failed
    request: the run stays queued and the sweep re-enqueues it once the broker is back.
    ``run``, when given, gets ``enqueue_failed = True`` so the page can say so."""
    from reports.tasks import generate_report  # reports.tasks imports this module

    def enqueue() -> None:
        try:
            generate_report.delay(run_id)
        except Exception:
            logger.warning("Report run %s stays queued: the broker is unreachable", run_id)
            if run is not None:
                run.enqueue_failed = True

    transaction.on_commit(enqueue, robust=True)
