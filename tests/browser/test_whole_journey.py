"""The whole journey in a real browser (issue 11): from a requisition to a hire, an offer
outside the band approved by the manager and a compensation admin in their own browsers, a
pipeline report followed to the end of its progress bar and downloaded, and an interviewer
who finds no amount anywhere.

The report's worker is this test: the browser's server shares the test's transaction, which
never commits, so the task queued "on commit" is run here, on the same connection, while the
page polls the API as it does against a real worker.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from candidates.models import Candidate
from hiring.models import Application, Interview, Requisition, Stage
from offers.models import Offer
from reports.models import ReportRun
from reports.tasks import generate_report
from tests.candidates.conftest import MINIMAL_PDF
from tests.hiring.factories import open_requisition
from tests.test_pay_policy import _leaks

pytestmark = pytest.mark.django_db

#: Outside the guide's L3 AI-engineer band (155,000 to 230,000): a compensation admin approves.
OFFERED_BASE = "240000"


@pytest.fixture
def requisition(guide, recruiter, hiring_manager):
    return open_requisition(
        actor=recruiter, hiring_manager=hiring_manager, level="L3", title="Senior AI engineer"
    )


def _move_to(page, application: Application, stage: str) -> None:
    """The board's move dialog, by keyboard, one forward stage."""
    page.locator(f"#card-{application.pk} [data-move]").focus()
    page.keyboard.press("Enter")
    page.locator("#move-to").select_option(stage)
    page.locator("#move-dialog").get_by_role("button", name="Move").click()
    page.locator("#board-status").get_by_text(f"moved to {stage}").wait_for()


def test_from_requisition_to_hire_report_and_an_interviewer_who_sees_no_pay(
    open_page, check_page, requisition, recruiter, hiring_manager, comp_admin, interviewer
):
    board_url = reverse("hiring:requisition-detail", args=[requisition.pk])

    # The recruiter adds a candidate with a résumé, then puts them on the requisition.
    page = open_page(recruiter, path=reverse("candidates:create"))
    page.get_by_label("Full name").fill("Grace Hopper")
    page.get_by_label("Email").fill("grace@example.com")
    page.get_by_label("Years of experience").fill("7.5")
    page.get_by_label("Résumé").set_input_files(
        {"name": "grace.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}
    )
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Grace Hopper").wait_for()
    grace = Candidate.objects.get(email="grace@example.com")
    assert grace.documents.count() == 1
    page.get_by_label("Find a requisition").fill("Senior AI")
    page.get_by_role("button", name="Add to requisition").click()
    page.get_by_text("Grace Hopper added to Senior AI engineer.").wait_for()
    application = Application.objects.get(candidate=grace)

    # Through the stages on the board, then the recommendation and an offer outside the band.
    page.goto(board_url)
    for stage in (Stage.SCREEN, Stage.INTERVIEW, Stage.OFFER):
        _move_to(page, application, stage)
    page.goto(reverse("hiring:application-detail", args=[application.pk]))
    recommendation = page.locator("section", has_text="Recommendation and offer")
    assert "$193,000" in recommendation.inner_text()
    check_page(page, "whole-journey-recommendation")
    page.get_by_label("Base salary").fill(OFFERED_BASE)
    page.get_by_label("Justification").fill("Competing offer at 240k from a research lab.")
    page.get_by_role("button", name="Create offer").click()
    page.get_by_role("button", name="Submit for approval").click()
    offer = Offer.objects.get(application=application)
    assert (offer.status, offer.base_salary, offer.inside_band) == (
        "pending_approval",
        Decimal(OFFERED_BASE),
        False,
    )
    offer_url = reverse("offers:detail", args=[offer.pk])

    # The hiring manager and a compensation admin approve, each in their own browser.
    for approver in (hiring_manager, comp_admin):
        other = open_page(approver, path=reverse("hiring:dashboard"))
        other.locator(f"a[href='{offer_url}']").first.click()
        other.get_by_role("button", name="Approve").click()
        other.get_by_text("Approved").first.wait_for()
    offer.refresh_from_db()
    assert offer.status == "approved"

    # Sent, accepted: the candidate is hired and the requisition filled.
    page.goto(offer_url)
    page.get_by_role("button", name="Mark as sent to the candidate").click()
    page.get_by_role("button", name="Record acceptance").click()
    page.get_by_text("Accepted").first.wait_for()
    application.refresh_from_db()
    requisition.refresh_from_db()
    assert (application.stage, requisition.status) == (Stage.HIRED, Requisition.Status.FILLED)
    page.goto(board_url)
    assert page.locator(".badge", has_text="Filled").count() >= 1
    check_page(page, "whole-journey-filled-requisition")

    # A pipeline report: requested, followed to the end of its progress bar, downloaded.
    page.goto(reverse("reports:index"))
    page.get_by_label("Report", exact=True).select_option("pipeline")
    page.get_by_label("Format", exact=True).select_option("csv")
    page.get_by_role("button", name="Request report").click()
    run = ReportRun.objects.get(requested_by=recruiter)
    row = page.locator(f"tr[data-run='{run.pk}']")
    assert row.locator("[data-status]").inner_text() == "Queued"
    generate_report(run.pk)  # the worker's part (see the module's docstring)
    row.locator("[data-status]", has_text="Succeeded").wait_for()
    assert row.locator("[data-progress]").get_attribute("value") == "100"
    check_page(page, "whole-journey-report-done")
    with page.expect_download() as download:
        row.get_by_role("link", name="Download").click()
    lines = list(csv.reader(io.StringIO(download.value.path().read_text("utf-8-sig"))))
    header = next(i for i, line in enumerate(lines) if "Requisition id" in line)
    table = [dict(zip(lines[header], line, strict=False)) for line in lines[header + 1 :]]
    ours = next(r for r in table if r.get("Requisition id") == str(requisition.pk))
    assert (ours["Requisition"], ours["Status"], ours["Applications"]) == (
        "Senior AI engineer",
        Requisition.Status.FILLED,
        "1",
    )
    assert ours["Reached hired"] == "1"

    # The interviewer walks what they reach and finds no amount anywhere.
    amounts = {
        int(offer.base_salary),
        int(requisition.posted_min),
        int(requisition.posted_max),
        int(Decimal(OFFERED_BASE)),
        193_000,
    }
    # On the panel of the hire's interview: the interviewer's view of them, never their pay.
    interview = Interview.objects.create(
        application=application, round_name="Technical", starts_at=timezone.now()
    )
    interview.interviewers.add(interviewer)
    seen = open_page(interviewer)
    for url in (
        reverse("hiring:dashboard"),
        reverse("hiring:requisition-list"),
        board_url,
        reverse("hiring:application-detail", args=[application.pk]),
        reverse("candidates:detail", args=[grace.pk]),
        reverse("hiring:interview-detail", args=[interview.pk]),
        reverse("roles:levels"),
    ):
        assert seen.goto(url).status == 200, url
        assert "Grace Hopper" in seen.content() or url in (
            reverse("roles:levels"),
            reverse("hiring:requisition-list"),
        )
        assert _leaks(seen.content(), amounts) == [], url
    assert seen.goto(offer_url).status in (403, 404)
