"""The outbox with committed rows: two racing sends, and a real worker through the broker.

Transactional tests live in files of their own (tests/conftest.py enforces it). The
thread worker and the test share django.core.mail.outbox (locmem), so the test sees
what the worker sent.
"""

from __future__ import annotations

import threading
import time
from unittest import mock

import pytest
from django.core import mail as django_mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connections

from core import mail
from core.models import OutboundEmail
from tests.conftest import wait_for


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sends_racing_for_one_email_send_it_once():
    email = mail.email_enqueue(to=["ada@example.com"], subject="Your offer", body="Hello.")
    start = threading.Barrier(2)
    outcomes: list[str] = []
    real_send = EmailBackend.send_messages

    def slow_send(self, messages):
        time.sleep(0.2)  # the winner is still sending while the loser tries to claim
        return real_send(self, messages)

    def run() -> None:
        try:
            start.wait(timeout=5)
            outcomes.append(mail.email_send(email.pk))
        finally:
            connections.close_all()

    with mock.patch.object(EmailBackend, "send_messages", slow_send):
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    assert sorted(outcomes) == ["sent", "skipped"]
    assert len(django_mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert email.attempts == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_enqueued_email_is_sent_once_by_a_real_worker_through_the_broker(live_worker):
    email = mail.email_enqueue(
        to=["ada@example.com"], subject="Offer waiting", body="Please approve.", dedupe_key="k1"
    )
    # Enqueueing the same logical email again (e.g. a retried request) sends nothing more.
    assert mail.email_enqueue(
        to=["ada@example.com"], subject="x", body="y", dedupe_key="k1"
    ).pk == (email.pk)

    def sent() -> bool:
        return OutboundEmail.objects.filter(pk=email.pk, status="sent").exists()

    assert wait_for(sent, seconds=20)
    time.sleep(0.5)  # a duplicate delivery would land here
    assert len(django_mail.outbox) == 1
    assert django_mail.outbox[0].subject == "Offer waiting"
    email.refresh_from_db()
    assert email.attempts == 1
