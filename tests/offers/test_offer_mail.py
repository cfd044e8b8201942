"""The approval and letter emails, end to end with the real outbox: sent once, even twice run.

The task is run in process here (``send_email.apply``), twice; tests/core/test_mail*.py show
the same task on a real worker through both brokers.
"""

from __future__ import annotations

import io
from decimal import Decimal as D

import pytest
from pypdf import PdfReader

from core.models import OutboundEmail
from core.tasks import send_email
from offers.services import offer_send, offer_submit
from tests.offers.test_offers_services import JUSTIFIED, approved, at_offer_stage, draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def enqueued(monkeypatch) -> list[int]:
    """The ids the outbox hands to the broker (no broker needed in process)."""
    ids: list[int] = []
    monkeypatch.setattr(send_email, "delay", lambda email_id: ids.append(email_id))
    return ids


def run_twice(ids: list[int]) -> None:
    for email_id in ids:
        send_email.apply(args=(email_id,))
        send_email.apply(args=(email_id,))


def test_approvers_get_one_email_each_even_when_the_task_runs_twice(
    guide,
    recruiter,
    hiring_manager,
    comp_admin,
    enqueued,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    application = at_offer_stage(recruiter=recruiter, hiring_manager=hiring_manager)
    offer = draft(application, recruiter, base_salary=D("245000"), justification=JUSTIFIED)
    with django_capture_on_commit_callbacks(execute=True):
        offer_submit(offer=offer, actor=recruiter)
    run_twice(enqueued)
    assert sorted(m.to[0] for m in mailoutbox) == [comp_admin.email, hiring_manager.email]
    assert all("waits for your approval" in m.subject for m in mailoutbox)
    assert "$245,000" in mailoutbox[0].body
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"sent"}


def test_the_letter_is_emailed_once_with_the_pdf_even_when_the_task_runs_twice(
    guide,
    recruiter,
    hiring_manager,
    enqueued,
    mailoutbox,
    private_storage,
    django_capture_on_commit_callbacks,
):
    application = at_offer_stage(recruiter=recruiter, hiring_manager=hiring_manager)
    offer = approved(application, drafter=recruiter, hiring_manager=hiring_manager)
    enqueued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        offer_send(offer=offer, actor=recruiter)
    run_twice(enqueued)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [application.candidate.email]
    (filename, content, mimetype) = message.attachments[0]
    assert (filename, mimetype) == (f"offer-{offer.pk}.pdf", "application/pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert application.candidate.full_name in text
    assert "$193,000" in text  # the worked example's recommended base, as offered
    assert OutboundEmail.objects.get().status == "sent"
