"""Selectors: my upcoming interviews, and the blind rule on prefetched rows."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from hiring.selectors.interviews import (
    interviews_visible_to,
    is_blind,
    may_submit_scorecard,
    my_upcoming_interviews,
    visible_scorecards,
)
from tests.hiring.interview_world import InterviewFactory, ScorecardFactory, build_world


@pytest.fixture
def world(recruiter, hiring_manager, interviewer, other_interviewer, other_manager):
    return build_world(
        recruiter=recruiter,
        hiring_manager=hiring_manager,
        interviewer=interviewer,
        other_interviewer=other_interviewer,
        other_manager=other_manager,
    )


@pytest.mark.django_db
def test_my_upcoming_interviews_are_future_ones_i_sit_on(world, interviewer, other_interviewer):
    # world.interview started an hour ago: not upcoming.
    soon = InterviewFactory(
        application=world.application,
        starts_at=timezone.now() + datetime.timedelta(days=1),
        interviewers=[interviewer],
    )
    later = InterviewFactory(
        application=world.application,
        starts_at=timezone.now() + datetime.timedelta(days=9),
        interviewers=[interviewer],
    )

    assert my_upcoming_interviews(interviewer) == [soon, later]
    assert my_upcoming_interviews(interviewer, limit=1) == [soon]
    assert my_upcoming_interviews(other_interviewer) == [world.other_interview]


@pytest.mark.django_db
def test_recruiter_not_on_a_panel_has_no_upcoming_interviews(world, recruiter, outsider):
    assert my_upcoming_interviews(recruiter) == []
    assert my_upcoming_interviews(outsider) == []
    assert my_upcoming_interviews(AnonymousUser()) == []


@pytest.mark.django_db
def test_blind_until_own_scorecard_then_sees_all(
    world, interviewer, other_interviewer, django_assert_num_queries
):
    theirs = ScorecardFactory(interview=world.interview, interviewer=other_interviewer)
    interview = interviews_visible_to(interviewer).get(pk=world.interview.pk)

    with django_assert_num_queries(0):
        assert is_blind(interview, interviewer) is True
        assert visible_scorecards(interview, interviewer) == []
        assert may_submit_scorecard(interview, interviewer) is True

    mine = ScorecardFactory(interview=world.interview, interviewer=interviewer)
    interview = interviews_visible_to(interviewer).get(pk=world.interview.pk)

    assert is_blind(interview, interviewer) is False
    assert visible_scorecards(interview, interviewer) == [theirs, mine]
    assert may_submit_scorecard(interview, interviewer) is False


@pytest.mark.django_db
def test_recruiter_off_the_panel_is_never_blind(world, recruiter, other_interviewer):
    card = ScorecardFactory(interview=world.interview, interviewer=other_interviewer)
    interview = interviews_visible_to(recruiter).get(pk=world.interview.pk)

    assert is_blind(interview, recruiter) is False
    assert visible_scorecards(interview, recruiter) == [card]
    assert may_submit_scorecard(interview, recruiter) is False
