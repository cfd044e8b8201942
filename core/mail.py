"""The mail outbox: emails are rows written in the caller's transaction, sent by the worker.

``email_enqueue`` creates an ``OutboundEmail`` row and, once the transaction commits,
enqueues ``core.tasks.send_email``. The task calls ``email_send``, which claims the row
with a conditional update (queued → sending; a sending row whose claim is older than the
task's time limit may be taken over, its worker having died), sends it through Django's
email backend (``EMAIL_BACKEND``, from the environment) and marks it sent or failed.
Running the task twice, or twice at once, sends once: only one run wins the claim.

A transient error (the server unreachable, a 4xx reply) puts the row back to queued and
raises ``TransientMailError`` for the task to retry with backoff; a permanent one, or the
last attempt, marks it failed with the error. ``email_requeue_stale`` (on beat) re-enqueues
rows whose task was lost: a stale claim, or a queued row nobody picked up.

This is the background-job pattern other outputs (reports) follow: a status row, a claim
by conditional update, enqueue after commit, a thin task.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from core.errors import DomainError
from core.models import OutboundEmail

logger = logging.getLogger(__name__)

# The send task's limits (core.tasks.send_email). A claim older than the hard limit
# belongs to a worker that died mid-send: it may be taken over.
SEND_TIME_LIMIT = 5 * 60
SEND_SOFT_TIME_LIMIT = 4 * 60
STALE_CLAIM = datetime.timedelta(seconds=SEND_TIME_LIMIT)
# Total tries per email, whoever enqueues them (task retries and the stale sweep).
MAX_ATTEMPTS = 6
# A queued row untouched this long lost its task (broker down at commit, a retry
# dropped): longer than the task's longest backoff (retry_backoff_max, 10 minutes).
QUEUED_FORGOTTEN = datetime.timedelta(minutes=15)
# Inline attachments live in the row (JSON): small text only; files go to storage.
INLINE_ATTACHMENT_MAX_CHARS = 64 * 1024


class TransientMailError(Exception):
    """The send failed for a reason that may pass (connection, 4xx): retry later."""


def email_enqueue(
    *,
    to: str | Iterable[str],
    subject: str,
    body: str,
    html: str = "",
    attachments: Iterable[Mapping[str, str]] = (),
    actor=None,
    dedupe_key: str = "",
) -> OutboundEmail:
    """Add an email to the outbox and send it from the worker once the transaction commits.

    ``attachments``: ``{"filename", "content_type", "storage_name"}`` for files already in
    private storage (``default_storage``), or ``{"filename", "content_type", "content"}`` for
    a small text part carried in the row itself (a calendar invitation). With a
    ``dedupe_key``, enqueueing the same logical email again returns the existing row and
    enqueues nothing.
    """
    recipients = [to] if isinstance(to, str) else list(to)
    files = [_attachment(item) for item in attachments]
    _validate(recipients, subject, files)
    fields = {
        "to": recipients,
        "subject": subject,
        "body": body,
        "html": html,
        "attachments": files,
        "created_by": actor if getattr(actor, "pk", None) else None,
    }
    with transaction.atomic():
        if dedupe_key:
            try:
                with transaction.atomic():
                    email, created = OutboundEmail.objects.get_or_create(
                        dedupe_key=dedupe_key, defaults=fields
                    )
            except IntegrityError:  # a concurrent enqueue of the same key won
                email, created = OutboundEmail.objects.get(dedupe_key=dedupe_key), False
        else:
            email, created = OutboundEmail.objects.create(**fields), True
        if created:
            _enqueue_on_commit(email.pk)
    return email


def email_send(email_id: int, *, final_attempt: bool = False) -> str:
    """Claim the email and send it: ``"sent"``, ``"failed"`` or ``"skipped"`` (not claimed).

    Raises ``TransientMailError`` (the row back to queued) when a retry may succeed and
    this is not the final attempt.
    """
    email = email_claim(email_id)
    if email is None:
        return "skipped"
    final_attempt = final_attempt or email.attempts >= MAX_ATTEMPTS
    try:
        message = build_message(email)
    except Exception as exc:  # a missing attachment, a bad header: never better on retry
        return _finish_failed(email, exc)
    try:
        message.send()
    except Exception as exc:
        if is_transient(exc) and not final_attempt:
            _release(email, exc)
            raise TransientMailError(_describe(exc)) from exc
        return _finish_failed(email, exc)
    _owned(email).update(status=OutboundEmail.Status.SENT, sent_at=timezone.now(), last_error="")
    return "sent"


def email_claim(email_id: int) -> OutboundEmail | None:
    """Queued → sending, or take over a sending row whose claim went stale; None if neither.

    One conditional UPDATE: of two workers racing for the row, exactly one changes it.
    """
    now = timezone.now()
    claimable = Q(status=OutboundEmail.Status.QUEUED) | Q(
        status=OutboundEmail.Status.SENDING, claimed_at__lt=now - STALE_CLAIM
    )
    claimed = (
        OutboundEmail.objects.filter(claimable, pk=email_id)
        .filter(attempts__lt=MAX_ATTEMPTS)
        .update(status=OutboundEmail.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return None
    return OutboundEmail.objects.get(pk=email_id)


def email_requeue_stale() -> int:
    """Re-enqueue emails whose task was lost; returns how many. Run by beat.

    A sending row with a stale claim (its worker died), or a queued row untouched for
    longer than any retry backoff (the broker was down at commit). A stale row that used
    its last attempt is marked failed instead. The claim decides who
    sends, so enqueueing a row that another task also holds sends it once.
    """
    now = timezone.now()
    stale = Q(status=OutboundEmail.Status.SENDING, claimed_at__lt=now - STALE_CLAIM)
    OutboundEmail.objects.filter(stale, attempts__gte=MAX_ATTEMPTS).update(
        status=OutboundEmail.Status.FAILED,
        last_error="The worker was lost during the last allowed attempt.",
    )
    lost = OutboundEmail.objects.filter(
        stale
        | Q(status=OutboundEmail.Status.QUEUED, claimed_at__lt=now - QUEUED_FORGOTTEN)
        | Q(
            status=OutboundEmail.Status.QUEUED,
            claimed_at__isnull=True,
            created_at__lt=now - QUEUED_FORGOTTEN,
        )
    )
    ids = list(lost.values_list("pk", flat=True)[:500])
    for email_id in ids:
        _enqueue_on_commit(email_id)
    return len(ids)


def build_message(email: OutboundEmail) -> EmailMultiAlternatives:
    """The Django message for a row: text body, optional HTML part, files from storage."""
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(email.to),
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    for item in email.attachments:
        if "content" in item:
            message.attach(item["filename"], item["content"], item["content_type"])
            continue
        with default_storage.open(item["storage_name"], "rb") as handle:
            message.attach(item["filename"], handle.read(), item["content_type"])
    return message


def is_transient(exc: BaseException) -> bool:
    """Worth a retry: the server unreachable or gone, a timeout, or a 4xx SMTP reply."""
    if isinstance(exc, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return True
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPException):
        return False
    # The network (refused, reset, DNS, TLS handshake) or a timeout: OSError covers them.
    return isinstance(exc, OSError)


def _enqueue_on_commit(email_id: int) -> None:
    from core.tasks import send_email  # core.tasks imports this module

    # transaction.on_commit rather than Task.delay_on_commit: the same with any task class,
    # and robust: a broker outage at commit is logged, never a failed request; the row
    # stays queued and the beat sweep (email_requeue_stale) enqueues it later.
    transaction.on_commit(lambda: send_email.delay(email_id), robust=True)


def _owned(email: OutboundEmail):
    """This run's claim: a row taken over by another worker is no longer ours to mark."""
    return OutboundEmail.objects.filter(
        pk=email.pk, status=OutboundEmail.Status.SENDING, claimed_at=email.claimed_at
    )


def _release(email: OutboundEmail, exc: BaseException) -> None:
    logger.warning("Email %s: transient error, will retry: %s", email.pk, _describe(exc))
    _owned(email).update(status=OutboundEmail.Status.QUEUED, last_error=_describe(exc))


def _finish_failed(email: OutboundEmail, exc: BaseException) -> str:
    logger.error("Email %s failed: %s", email.pk, _describe(exc))
    _owned(email).update(status=OutboundEmail.Status.FAILED, last_error=_describe(exc))
    return "failed"


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


def _attachment(item: Mapping[str, str]) -> dict[str, str]:
    try:
        if "content" in item:
            if len(item["content"]) > INLINE_ATTACHMENT_MAX_CHARS:
                raise DomainError.for_field("attachments", "An inline attachment is too large.")
            return {
                "filename": str(item["filename"]),
                "content_type": str(item.get("content_type") or "text/plain"),
                "content": str(item["content"]),
            }
        return {
            "filename": str(item["filename"]),
            "content_type": str(item.get("content_type") or "application/octet-stream"),
            "storage_name": str(item["storage_name"]),
        }
    except (KeyError, TypeError):
        raise DomainError.for_field(
            "attachments", "Each attachment needs a filename and a storage_name or content."
        ) from None


def _validate(recipients: list[str], subject: str, files: list[dict[str, str]]) -> None:
    if not recipients:
        raise DomainError.for_field("to", "An email needs at least one recipient.")
    for address in recipients:
        try:
            validate_email(address)
        except DjangoValidationError:
            raise DomainError.for_field("to", f"Not an email address: {address!r}.") from None
    if not subject.strip() or "\n" in subject or "\r" in subject:
        raise DomainError.for_field("subject", "The subject must be one non-empty line.")
    for item in files:
        if "/" in item["filename"] or "\n" in item["filename"]:
            raise DomainError.for_field("attachments", "An attachment name is a plain name.")
        if "storage_name" in item and not default_storage.exists(item["storage_name"]):
            raise DomainError.for_field(
                "attachments", f"No stored file {item['storage_name']!r} to attach."
            )
