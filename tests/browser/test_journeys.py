"""The daily journeys in a real browser, each counted in actions (a click, a choice, a typed
field, a file chosen): a scorecard from the dashboard, adding an existing candidate from
their profile, scheduling an interview from the board card, and applying on /careers/."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from candidates.models import Candidate
from core.models import OutboundEmail
from hiring.models import Application, Interview, Scorecard
from tests.candidates.conftest import MINIMAL_PDF
from tests.candidates.factories import CandidateFactory
from tests.hiring.factories import apply_candidate, build_role_data, open_requisition
from tests.hiring.interview_world import InterviewFactory

pytestmark = pytest.mark.django_db


class Actions:
    """Counts what the user does; page loads that follow a click are not counted twice."""

    def __init__(self, page) -> None:
        self.page = page
        self.count = 0

    def click(self, locator) -> None:
        self.count += 1
        locator.click()

    def check(self, locator) -> None:
        self.count += 1
        locator.check()

    def fill(self, locator, value: str) -> None:
        self.count += 1
        locator.fill(value)

    def choose_file(self, locator, name: str, content: bytes, mime: str) -> None:
        self.count += 1
        locator.set_input_files({"name": name, "mimeType": mime, "buffer": content})


@pytest.fixture
def pipeline(recruiter, hiring_manager, interviewer):
    build_role_data()
    requisition = open_requisition(
        actor=recruiter, hiring_manager=hiring_manager, title="Search Ranking Engineer"
    )
    ada = apply_candidate(requisition=requisition, actor=recruiter, full_name="Ada Lovelace")
    return requisition, ada


def test_interviewer_submits_a_scorecard_from_the_dashboard(
    open_page, check_page, pipeline, interviewer
):
    _, ada = pipeline
    interview = InterviewFactory(
        application=ada,
        round_name="Technical",
        starts_at=timezone.now() - datetime.timedelta(hours=2),
        interviewers=[interviewer],
    )
    page = open_page(interviewer, path=reverse("hiring:dashboard"))
    act = Actions(page)

    act.click(page.get_by_role("link", name="Scorecard for Technical · Ada Lovelace"))
    form = page.locator("form.scorecard-form")
    # The ratings themselves: one choice per work area and the recommendation.
    for name in ("model_development", "data_engineering", "collaboration"):
        form.locator(f"input[name={name}][value='3']").check()
    form.locator("input[name=research_infrastructure][value='4']").check()
    form.locator("input[name=recommendation][value=yes]").check()
    act.click(page.get_by_role("button", name="Submit scorecard"))

    page.get_by_text("Scorecard submitted.").wait_for()
    assert act.count == 2  # + 5 rating choices, the scorecard's content
    card = Scorecard.objects.get()
    assert (card.interview, card.interviewer, card.research_infrastructure) == (
        interview,
        interviewer,
        4,
    )
    check_page(page, "journey-scorecard-submitted", axe=False)


def test_recruiter_adds_an_existing_candidate_from_the_profile(
    open_page, check_page, pipeline, recruiter
):
    size = "phone"
    requisition, _ = pipeline
    paula = CandidateFactory(full_name="Paula Prospect", email="paula@example.com")
    page = open_page(recruiter, size, reverse("candidates:detail", args=[paula.pk]))
    check_page(page, f"journey-profile-add-to-requisition-{size}")
    act = Actions(page)

    act.fill(page.get_by_label("Find a requisition"), "ranking")
    act.click(page.get_by_role("button", name="Add to requisition"))

    page.get_by_text("Paula Prospect added to Search Ranking Engineer.").wait_for()
    assert act.count <= 3
    application = Application.objects.get(candidate=paula)
    assert application.requisition == requisition
    assert page.url.endswith(reverse("hiring:application-detail", args=[application.pk]))


def test_recruiter_schedules_an_interview_from_the_board_card(
    open_page, check_page, pipeline, recruiter, hiring_manager
):
    requisition, ada = pipeline
    page = open_page(recruiter, path=reverse("hiring:requisition-detail", args=[requisition.pk]))
    act = Actions(page)

    card = page.locator(f"#card-{ada.pk}")
    act.click(
        card.get_by_role("link", name=f"Schedule an interview with {ada.candidate.full_name}")
    )
    check_page(page, "journey-schedule-prefilled", axe=False)
    act.click(page.get_by_role("button", name="Schedule interview"))

    page.get_by_text("invitations are on their way").wait_for()
    assert act.count <= 4
    interview = Interview.objects.get()
    assert list(interview.interviewers.all()) == [hiring_manager]  # prefilled: the manager
    assert interview.starts_at > timezone.now()
    recipients = sorted(e.to[0] for e in OutboundEmail.objects.all())
    assert recipients == sorted([hiring_manager.email, ada.candidate.email])


def test_candidate_applies_on_the_careers_page(open_page, check_page, pipeline):
    size = "phone"  # candidates apply from their phones; the desktop layout is the same form
    requisition, _ = pipeline
    requisition.posted_min, requisition.posted_max = Decimal("150000"), Decimal("190000")
    requisition.save()
    page = open_page(None, size, reverse("careers:list"))
    check_page(page, f"journey-careers-list-{size}")
    act = Actions(page)

    act.click(page.get_by_role("link", name="Search Ranking Engineer"))
    check_page(page, f"journey-careers-position-{size}", contrast=True)  # not in the walks
    act.fill(page.get_by_label("Full name"), "Nia Newcomer")
    act.fill(page.get_by_label("Email"), f"nia-{size}@example.com")
    act.fill(page.get_by_label("Years of professional experience"), "3")
    act.choose_file(page.get_by_label("Résumé"), "cv.pdf", MINIMAL_PDF, "application/pdf")
    act.check(page.get_by_label("I agree to the consent text above"))
    act.click(page.get_by_role("button", name="Send my application"))

    page.get_by_role("heading", name="Thank you").wait_for()
    check_page(page, f"journey-careers-thanks-{size}", axe=False)
    assert act.count == 7
    candidate = Candidate.objects.get(email=f"nia-{size}@example.com")
    assert Application.objects.get(candidate=candidate).stage == "applied"


def test_my_interviews_passes_the_page_check(open_page, check_page, pipeline, interviewer):
    _, ada = pipeline
    InterviewFactory(application=ada, interviewers=[interviewer])
    InterviewFactory(
        application=ada,
        starts_at=timezone.now() - datetime.timedelta(days=1),
        interviewers=[interviewer],
    )
    # Upcoming and past rows, with the scorecard-due badge (the due page uses the same rows).
    page = open_page(interviewer, "phone", reverse("hiring:my-interviews"))
    assert page.get_by_text("Scorecard due").count() == 1
    check_page(page, "journey-my-interviews-phone", contrast=True)  # rows and due badge
