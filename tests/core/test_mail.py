"""The mail outbox: one row per logical email, enqueued after commit, sent once.

The race and the real worker need committed rows: tests/core/test_mail_transactional.py.
"""

from __future__ import annotations

import datetime
import smtplib
from unittest import mock

import pytest
from django.core import mail as django_mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from core import mail
from core.errors import DomainError
from core.models import OutboundEmail
from core.tasks import send_email

LOCMEM_SEND = "django.core.mail.backends.locmem.EmailBackend.send_messages"


def enqueue(**overrides) -> OutboundEmail:
    fields = {"to": ["ada@example.com"], "subject": "Your offer", "body": "Hello Ada."}
    return mail.email_enqueue(**{**fields, **overrides})


def test_tests_use_the_in_memory_backend_and_the_sender_from_settings(settings):
    # pytest-django's test environment switches EMAIL_BACKEND to locmem, whatever the env says.
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"
    assert settings.DEFAULT_FROM_EMAIL


@pytest.mark.django_db
def test_enqueue_creates_the_row_and_enqueues_the_task_only_after_commit(
    recruiter, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(send_email, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        email = enqueue(to="ada@example.com", actor=recruiter)
        assert delay.call_count == 0  # not before the commit

    assert len(callbacks) == 1
    delay.assert_called_once_with(email.pk)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.QUEUED
    assert email.to == ["ada@example.com"]
    assert email.created_by == recruiter
    assert email.attempts == 0


@pytest.mark.django_db
def test_the_same_dedupe_key_twice_makes_one_row_and_one_enqueue(
    django_capture_on_commit_callbacks,
):
    with (
        mock.patch.object(send_email, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        first = enqueue(dedupe_key="offer:1:letter")
        second = enqueue(dedupe_key="offer:1:letter", subject="Changed")
        other = enqueue(dedupe_key="offer:2:letter")
        no_key = [enqueue(), enqueue()]

    assert second.pk == first.pk
    assert second.subject == "Your offer"
    assert OutboundEmail.objects.count() == 4
    assert other.pk != first.pk and no_key[0].pk != no_key[1].pk
    assert delay.call_count == 4


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"to": []}, "to"),
        ({"to": ["not an address"]}, "to"),
        ({"subject": "Two\nlines"}, "subject"),
        (
            {"attachments": [{"filename": "x.pdf", "storage_name": "letters/missing"}]},
            "attachments",
        ),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_no_row_is_made(overrides, field):
    with pytest.raises(DomainError) as error:
        enqueue(**overrides)

    assert field in error.value.errors
    assert not OutboundEmail.objects.exists()


@pytest.mark.django_db
def test_send_sends_from_the_configured_sender_and_marks_sent(settings):
    settings.DEFAULT_FROM_EMAIL = "Hiring <hiring@example.com>"
    email = enqueue(html="<p>Hello Ada.</p>")

    send_email.apply(args=(email.pk,))

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert email.sent_at is not None and email.claimed_at is not None
    assert email.attempts == 1
    [message] = django_mail.outbox
    assert message.from_email == "Hiring <hiring@example.com>"
    assert message.to == ["ada@example.com"]
    assert message.subject == "Your offer"
    assert message.alternatives[0][1] == "text/html"


@pytest.mark.django_db
def test_running_the_task_twice_sends_once():
    email = enqueue()

    send_email.apply(args=(email.pk,))
    send_email.apply(args=(email.pk,))

    assert len(django_mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert email.attempts == 1


@pytest.mark.django_db
def test_a_fresh_sending_claim_is_left_alone_and_a_stale_one_is_taken_over():
    email = enqueue()
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=OutboundEmail.Status.SENDING, claimed_at=timezone.now(), attempts=1
    )

    assert mail.email_send(email.pk) == "skipped"
    assert django_mail.outbox == []

    stale = timezone.now() - mail.STALE_CLAIM - datetime.timedelta(seconds=1)
    OutboundEmail.objects.filter(pk=email.pk).update(claimed_at=stale)

    assert mail.email_send(email.pk) == "sent"
    assert len(django_mail.outbox) == 1
    email.refresh_from_db()
    assert email.attempts == 2


@pytest.mark.django_db
def test_a_transient_error_retries_with_backoff_and_then_sends():
    email = enqueue()
    disconnected = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    with mock.patch(LOCMEM_SEND, side_effect=[disconnected, TimeoutError("timed out"), 1]):
        send_email.apply(args=(email.pk,))  # eager: the retries run at once

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert email.attempts == 3
    assert email.last_error == ""


@pytest.mark.django_db
def test_a_transient_error_that_never_passes_ends_failed_after_the_last_attempt():
    email = enqueue()
    busy = smtplib.SMTPSenderRefused(421, b"Service not available, try later", "hiring@localhost")

    with mock.patch(LOCMEM_SEND, side_effect=busy) as send:
        send_email.apply(args=(email.pk,))

    assert send.call_count == mail.MAX_ATTEMPTS
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED
    assert email.attempts == mail.MAX_ATTEMPTS
    assert "Service not available" in email.last_error


@pytest.mark.django_db
def test_a_permanent_error_fails_at_once_with_the_message():
    email = enqueue()
    refused = smtplib.SMTPRecipientsRefused({"ada@example.com": (550, b"No such user here")})

    with mock.patch(LOCMEM_SEND, side_effect=refused) as send:
        send_email.apply(args=(email.pk,))
    send_email.apply(args=(email.pk,))  # a failed email is never retried by a rerun

    assert send.call_count == 1
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED
    assert email.attempts == 1
    assert email.last_error.startswith("SMTPRecipientsRefused")
    assert "No such user here" in email.last_error
    assert django_mail.outbox == []


def test_which_errors_are_transient():
    assert mail.is_transient(ConnectionRefusedError())
    assert mail.is_transient(smtplib.SMTPConnectError(421, b"busy"))
    assert mail.is_transient(smtplib.SMTPDataError(451, b"try again"))
    assert not mail.is_transient(smtplib.SMTPAuthenticationError(535, b"bad credentials"))
    assert not mail.is_transient(smtplib.SMTPRecipientsRefused({"a@b.c": (550, b"no")}))
    assert not mail.is_transient(ValueError("bad header"))


@pytest.mark.django_db
def test_attachments_are_read_from_private_storage_and_attached(private_storage):
    name = default_storage.save("letters/ab/abcdef", ContentFile(b"%PDF-1.4 letter"))
    email = enqueue(
        attachments=[
            {"filename": "offer-1.pdf", "content_type": "application/pdf", "storage_name": name}
        ]
    )

    send_email.apply(args=(email.pk,))

    [message] = django_mail.outbox
    assert message.attachments == [("offer-1.pdf", b"%PDF-1.4 letter", "application/pdf")]


@pytest.mark.django_db
def test_an_attachment_gone_from_storage_fails_the_email_without_retrying(private_storage):
    name = default_storage.save("letters/cd/cdef01", ContentFile(b"%PDF-1.4"))
    email = enqueue(attachments=[{"filename": "offer.pdf", "storage_name": name}])
    default_storage.delete(name)

    send_email.apply(args=(email.pk,))

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED
    assert email.attempts == 1
    assert "FileNotFoundError" in email.last_error


@pytest.mark.django_db
def test_the_sweep_requeues_lost_emails_and_fails_those_out_of_attempts(
    django_capture_on_commit_callbacks,
):
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    fresh = enqueue()
    lost_queued = enqueue()
    lost_sending = enqueue()
    exhausted = enqueue()
    OutboundEmail.objects.filter(pk=lost_queued.pk).update(created_at=long_ago)
    OutboundEmail.objects.filter(pk=lost_sending.pk).update(
        status=OutboundEmail.Status.SENDING, claimed_at=long_ago, attempts=1
    )
    OutboundEmail.objects.filter(pk=exhausted.pk).update(
        status=OutboundEmail.Status.SENDING, claimed_at=long_ago, attempts=mail.MAX_ATTEMPTS
    )

    with (
        mock.patch.object(send_email, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert mail.email_requeue_stale() == 2

    assert sorted(call.args[0] for call in delay.call_args_list) == sorted(
        [lost_queued.pk, lost_sending.pk]
    )
    assert fresh.pk not in [call.args[0] for call in delay.call_args_list]
    exhausted.refresh_from_db()
    assert exhausted.status == OutboundEmail.Status.FAILED


def test_send_email_and_the_sweep_are_registered_and_the_sweep_is_on_beat(settings):
    from config.celery import app

    app.loader.import_default_modules()

    assert {"core.tasks.send_email", "core.tasks.requeue_stale_email"} <= set(app.tasks)
    task = app.tasks["core.tasks.send_email"]
    assert task.acks_late and task.max_retries == mail.MAX_ATTEMPTS - 1
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["mail-requeue-stale"]["task"] == "core.tasks.requeue_stale_email"
    assert schedule["offers-expire-daily"]["task"] == "offers.tasks.expire_offers"


def email_settings(tmp_path, **env) -> dict:
    """The email settings a fresh process reads from ``env`` (no test-environment override)."""
    from tests.core.test_settings import as_json, load_settings

    clean = {"EMAIL_URL": "", "EMAIL_BACKEND": "", **env}
    s = load_settings(VAR_DIR=str(tmp_path), **clean)
    names = (
        "EMAIL_BACKEND", "EMAIL_FILE_PATH", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER",
        "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS", "EMAIL_USE_SSL", "DEFAULT_FROM_EMAIL",
    )  # fmt: skip
    return as_json({name: getattr(s, name) for name in names})


def test_the_embedded_default_writes_mail_to_files_under_var(tmp_path):
    values = email_settings(tmp_path)

    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert values["EMAIL_FILE_PATH"] == str(tmp_path / "mail")
    assert (tmp_path / "mail").is_dir()


def test_email_url_configures_smtp_with_tls_and_the_sender(tmp_path):
    values = email_settings(
        tmp_path,
        EMAIL_URL="smtp://apikey:s%40cret@smtp.example.com:587?tls=true",
        DEFAULT_FROM_EMAIL="Hiring <hiring@example.com>",
    )

    assert values == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "EMAIL_HOST": "smtp.example.com",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "apikey",
        "EMAIL_HOST_PASSWORD": "s@cret",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "DEFAULT_FROM_EMAIL": "Hiring <hiring@example.com>",
    }
    assert not (tmp_path / "mail").exists()


@pytest.mark.django_db
def test_a_broker_outage_at_commit_keeps_the_row_queued_for_the_sweep(
    django_capture_on_commit_callbacks,
):
    with (
        mock.patch.object(send_email, "delay", side_effect=ConnectionRefusedError("broker down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        email = enqueue()  # the caller's request is not failed by the outage

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.QUEUED
