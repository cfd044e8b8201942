"""My interviews, scorecards due, the dashboard's links, the schedule prefill, and the
interview loose ends: scorecards only after the start, a warning for a past date."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import OutboundEmail
from hiring.models import Interview, Scorecard
from hiring.selectors.journeys import my_interviews, next_working_morning, scorecards_due
from tests.hiring.interview_world import InterviewFactory, ScorecardFactory

pytestmark = pytest.mark.django_db

SCORECARD = {
    "model_development": 3,
    "data_engineering": 3,
    "collaboration": 4,
    "research_infrastructure": 2,
    "recommendation": "yes",
    "comments": "Clear.",
}


def test_my_interviews_split_upcoming_and_past_with_my_scorecard_status(world, interviewer):
    upcoming = InterviewFactory(application=world.application, interviewers=[interviewer])
    scored = InterviewFactory(
        application=world.application,
        starts_at=timezone.now() - datetime.timedelta(days=3),
        interviewers=[interviewer],
    )
    ScorecardFactory(interview=scored, interviewer=interviewer)

    found = my_interviews(interviewer)

    assert found.upcoming == [upcoming]
    assert found.past == [world.interview, scored]
    assert [i.my_scorecard_in for i in found.past] == [False, True]
    assert scorecards_due(interviewer) == [world.interview]


@pytest.mark.parametrize(
    ("role", "status", "shown"),
    [
        ("interviewer", 200, True),
        ("recruiter", 200, False),
        ("outsider", 200, False),
        ("anonymous", 302, False),
    ],
)
def test_my_interviews_and_due_pages_by_role(world, cast, as_user, role, status, shown):
    client = as_user(cast[role])
    for name in ("hiring:my-interviews", "hiring:scorecards-due"):
        response = client.get(reverse(name))
        assert response.status_code == status
        if status == 200:
            html = response.content.decode()
            detail = reverse("hiring:interview-detail", args=[world.interview.pk])
            assert (detail in html) is shown
            assert (world.application.candidate.full_name in html) is shown


def test_dashboard_links_every_interview_and_the_scorecard_due(world, interviewer, as_user):
    soon = InterviewFactory(application=world.application, interviewers=[interviewer])

    html = as_user(interviewer).get(reverse("hiring:dashboard")).content.decode()

    due = reverse("hiring:interview-detail", args=[world.interview.pk]) + "#scorecard-form-title"
    assert f'href="{due}"' in html
    assert f'href="{reverse("hiring:interview-detail", args=[soon.pk])}"' in html
    assert f'href="{reverse("hiring:application-detail", args=[world.application.pk])}"' in html
    assert f'href="{reverse("hiring:scorecards-due")}"' in html
    assert f'href="{reverse("hiring:my-interviews")}"' in html


def test_scorecard_from_the_dashboard_link_is_one_form_away(world, interviewer, as_user):
    client = as_user(interviewer)
    page = client.get(reverse("hiring:interview-detail", args=[world.interview.pk]))
    assert 'id="scorecard-form-title"' in page.content.decode()

    response = client.post(reverse("hiring:scorecard-create", args=[world.interview.pk]), SCORECARD)

    assert response.status_code == 302
    assert Scorecard.objects.get().interviewer == interviewer
    assert scorecards_due(interviewer) == []


def test_scorecard_before_the_interview_starts_is_refused_with_a_message(
    world, interviewer, as_user
):
    world.interview.starts_at = timezone.now() + datetime.timedelta(days=1)
    world.interview.save()
    client = as_user(interviewer)
    url = reverse("hiring:interview-detail", args=[world.interview.pk])

    page = client.get(url).content.decode()
    refused = client.post(reverse("hiring:scorecard-create", args=[world.interview.pk]), SCORECARD)

    assert "submit the scorecard once it has started" in page
    assert 'name="model_development"' not in page
    assert refused.status_code == 400
    assert "submit the scorecard once it has started" in refused.content.decode()
    assert not Scorecard.objects.exists()


def test_schedule_form_prefills_the_last_panel_a_working_morning_and_the_round(
    world, recruiter, interviewer, other_interviewer, as_user
):
    html = (
        as_user(recruiter)
        .get(reverse("hiring:interview-create", args=[world.application.pk]))
        .content.decode()
    )

    assert 'value="Technical interview"' in html  # the application is at the interview stage
    checked = set(re.findall(r'name="interviewers" value="(\d+)"[^>]*checked', html))
    assert checked == {str(interviewer.pk), str(other_interviewer.pk)}
    morning = next_working_morning(timezone.now())
    assert timezone.localtime(morning).strftime("%Y-%m-%dT10:00") in html


def test_next_working_morning_skips_the_weekend():
    friday = timezone.make_aware(datetime.datetime(2026, 11, 27, 15, 0))

    assert next_working_morning(friday) == timezone.make_aware(datetime.datetime(2026, 11, 30, 10))


def test_scheduling_in_the_past_warns_but_saves(world, recruiter, interviewer, as_user):
    response = as_user(recruiter).post(
        reverse("hiring:interview-create", args=[world.application.pk]),
        {
            "round_name": "Backfill",
            "interviewers": [interviewer.pk],
            "starts_at": "2020-03-02T10:00",
            "duration_minutes": 60,
            "location": "",
        },
        follow=True,
    )

    assert response.status_code == 200
    assert Interview.objects.filter(round_name="Backfill").exists()
    html = response.content.decode()
    assert "This interview is dated in the past (02 Mar 2020 10:00)" in html
    assert "message-warning" in html
    assert not OutboundEmail.objects.exists()  # a back-dated record invites nobody


def test_the_api_warns_about_a_past_date_and_saves(world, recruiter, interviewer, api):
    response = api(recruiter).post(
        reverse("interview-list"),
        {
            "application": world.application.pk,
            "round_name": "Backfill",
            "interviewers": [interviewer.pk],
            "starts_at": "2020-03-02T10:00:00+00:00",
        },
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["warnings"] == [
        "This interview is dated in the past (02 Mar 2020 10:00). Check the date if that is a "
        "mistake."
    ]


def test_my_interviews_page_costs_the_same_for_one_or_many(world, interviewer, as_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(interviewer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("hiring:my-interviews")).status_code == 200
        return len(captured)

    InterviewFactory(application=world.application, interviewers=[interviewer])
    few = queries()  # one upcoming, one past
    for days in (1, 2, 3):
        InterviewFactory(
            application=world.application,
            starts_at=timezone.now() + datetime.timedelta(days=days),
            interviewers=[interviewer],
        )
    assert queries() == few
