"""Interview invitations with .ics to the panel and the candidate; scorecard reminders once."""

from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings
from django.utils import timezone

from core.mail import build_message
from core.models import OutboundEmail
from hiring.services.interviews import interview_schedule, interview_update
from hiring.services.notifications import scorecard_reminders_send
from hiring.tasks import remind_missing_scorecards
from tests.hiring.interview_world import InterviewFactory, ScorecardFactory

pytestmark = pytest.mark.django_db
SEQUENCE = re.compile(r"SEQUENCE:(\d+)")


def unfolded(text: str) -> str:
    return text.replace("\r\n ", "")


def test_scheduling_queues_one_invitation_each_with_a_calendar_file(
    world, recruiter, interviewer, other_interviewer
):
    starts = timezone.now() + datetime.timedelta(days=2)
    interview = interview_schedule(
        application=world.application,
        round_name="System design",
        interviewers=[interviewer, other_interviewer],
        starts_at=starts,
        location="Room 9",
        actor=recruiter,
    )

    emails = {tuple(e.to): e for e in OutboundEmail.objects.all()}
    candidate = world.application.candidate
    assert set(emails) == {(interviewer.email,), (other_interviewer.email,), (candidate.email,)}
    panel_ics = emails[(interviewer.email,)].attachments[0]
    assert panel_ics["filename"] == "invite.ics"
    panel_text = unfolded(panel_ics["content"])
    own_text = unfolded(emails[(candidate.email,)].attachments[0]["content"])
    assert f"UID:interview-{interview.pk}@hiring-pipeline" in panel_text
    assert f"mailto:{other_interviewer.email}" in panel_text
    assert f"mailto:{interviewer.email}" not in own_text
    assert f"mailto:{candidate.email}" in own_text
    message = build_message(emails[(candidate.email,)])
    assert message.attachments[0][0] == "invite.ics"
    assert message.attachments[0][2].startswith("text/calendar")


def test_rescheduling_sends_an_update_with_a_higher_sequence(world, recruiter, interviewer):
    interview = interview_schedule(
        application=world.application,
        round_name="Screen",
        interviewers=[interviewer],
        starts_at=timezone.now() + datetime.timedelta(days=1),
        actor=recruiter,
    )
    interview_update(interview=interview, actor=recruiter, location="Room 2")
    interview_update(interview=interview, actor=recruiter, location="Room 2")  # no change

    sent = OutboundEmail.objects.filter(to=[interviewer.email]).order_by("pk")
    sequences = [int(SEQUENCE.search(e.attachments[0]["content"])[1]) for e in sent]
    assert len(sequences) == 2
    assert sequences[0] == 0 < sequences[1]


def test_reminder_goes_once_to_each_interviewer_still_missing_a_scorecard(
    world, interviewer, other_interviewer
):
    past = InterviewFactory(
        application=world.application,
        starts_at=timezone.now() - datetime.timedelta(hours=26),
        interviewers=[interviewer, other_interviewer],
    )
    ScorecardFactory(interview=past, interviewer=other_interviewer)

    first = remind_missing_scorecards()
    second = scorecard_reminders_send()

    reminder = OutboundEmail.objects.get()
    assert (first, second) == (1, 0)
    assert reminder.to == [interviewer.email]
    assert reminder.dedupe_key == f"interview:{past.pk}:scorecard-reminder:user:{interviewer.pk}"


def test_no_reminder_within_a_day_of_the_interview(world):
    # world.interview started an hour ago and has no scorecards.
    assert scorecard_reminders_send() == 0
    assert not OutboundEmail.objects.exists()


def test_beat_runs_the_reminders():
    entry = settings.CELERY_BEAT_SCHEDULE["hiring-scorecard-reminders"]
    assert entry["task"] == remind_missing_scorecards.name
