"""Services: scheduling, rescheduling, cancelling interviews; submitting scorecards."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from core.errors import Conflict, DomainError, PermissionDenied
from hiring.models import Interview, Scorecard, Stage
from hiring.services.interviews import (
    interview_cancel,
    interview_schedule,
    interview_update,
    scorecard_submit,
)
from tests.conftest import shared_world
from tests.hiring.factories import ApplicationFactory
from tests.hiring.interview_world import ScorecardFactory, build_world_for

WHEN = timezone.now() + datetime.timedelta(days=3)
RATINGS = {
    "model_development": 3,
    "data_engineering": 2,
    "collaboration": 4,
    "research_infrastructure": 1,
}


# Built once for the module; each test gets a copy and rolls back what it writes.
globals().update(shared_world(build_world_for))


def schedule(world, actor, **overrides):
    kwargs = {
        "application": world.application,
        "round_name": "System design",
        "interviewers": overrides.pop("interviewers", []),
        "starts_at": WHEN,
        "duration_minutes": 45,
        "location": "https://meet.example.com/abc",
        "actor": actor,
    }
    kwargs.update(overrides)
    return interview_schedule(**kwargs)


def submit(interview, user, **overrides):
    kwargs = {**RATINGS, "recommendation": "yes", "comments": "Solid.", **overrides}
    return scorecard_submit(interview=interview, interviewer=user, actor=user, **kwargs)


# -- scheduling ----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["recruiter", "comp_admin", "hiring_manager"])
def test_schedulers_schedule_an_interview_with_history(request, world, interviewer, who):
    actor = request.getfixturevalue(who)

    interview = schedule(world, actor, interviewers=[interviewer])

    interview.refresh_from_db()
    assert interview.round_name == "System design"
    assert interview.starts_at == WHEN
    assert interview.duration_minutes == 45
    assert interview.location == "https://meet.example.com/abc"
    assert list(interview.interviewers.all()) == [interviewer]
    assert interview.created_by == actor
    latest = interview.history.first()
    assert latest.history_user == actor
    assert list(latest.interviewers.values_list("user_id", flat=True)) == [interviewer.pk]


@pytest.mark.django_db
def test_scheduling_does_not_move_the_application(world, recruiter, interviewer):
    world.application.stage = Stage.SCREEN
    world.application.save()

    schedule(world, recruiter, interviewers=[interviewer])

    world.application.refresh_from_db()
    assert world.application.stage == Stage.SCREEN


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["interviewer", "other_manager", "outsider"])
def test_others_may_not_schedule(request, world, interviewer, who):
    actor = request.getfixturevalue(who)
    before = Interview.objects.count()

    with pytest.raises(PermissionDenied) as caught:
        schedule(world, actor, interviewers=[interviewer])

    assert "schedule interviews" in caught.value.message
    assert Interview.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("stage", [Stage.HIRED, Stage.REJECTED, Stage.WITHDRAWN])
def test_only_active_applications_get_interviews(world, recruiter, interviewer, stage):
    from hiring.models import DispositionReason

    reason = DispositionReason.objects.create(code=f"r-{stage}", label="Other", applies_to=stage)
    world.application.stage = stage
    world.application.disposition_reason = None if stage == Stage.HIRED else reason
    world.application.save()
    before = Interview.objects.count()

    with pytest.raises(DomainError) as caught:
        schedule(world, recruiter, interviewers=[interviewer])

    assert caught.value.code == "application_inactive"
    assert list(caught.value.errors) == ["application"]
    assert Interview.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"round_name": "  "}, "round_name", "Give the round a name"),
        ({"round_name": "x" * 121}, "round_name", "at most 120"),
        ({"starts_at": datetime.datetime(2026, 12, 1, 10)}, "starts_at", "time zone"),
        ({"starts_at": "tomorrow"}, "starts_at", "Give a date and time."),
        ({"duration_minutes": 4}, "duration_minutes", "from 5 to 480"),
        ({"duration_minutes": 481}, "duration_minutes", "from 5 to 480"),
        ({"duration_minutes": "60"}, "duration_minutes", "from 5 to 480"),
        ({"location": "x" * 301}, "location", "at most 300"),
        ({"interviewers": []}, "interviewers", "Choose at least one interviewer."),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(
    world, recruiter, interviewer, overrides, field, message
):
    overrides.setdefault("interviewers", [interviewer])
    before = Interview.objects.count()

    with pytest.raises(DomainError) as caught:
        schedule(world, recruiter, **overrides)

    assert message in caught.value.errors[field][0]
    assert Interview.objects.count() == before


@pytest.mark.django_db
def test_panel_members_must_be_in_an_interviewing_group(
    world, recruiter, interviewer, outsider, comp_admin
):
    before = Interview.objects.count()

    with pytest.raises(DomainError) as caught:
        schedule(world, recruiter, interviewers=[interviewer, outsider, comp_admin])

    assert caught.value.errors["interviewers"] == [
        "Outsider, Comp Admin cannot interview: interviewers must be active users in the "
        "Interviewers, Hiring managers or Recruiters group."
    ]
    assert Interview.objects.count() == before


@pytest.mark.django_db
def test_hiring_managers_and_recruiters_may_sit_on_panels(
    world, recruiter, hiring_manager, other_manager
):
    interview = schedule(world, recruiter, interviewers=[hiring_manager, other_manager, recruiter])

    assert set(interview.interviewers.all()) == {hiring_manager, other_manager, recruiter}


@pytest.mark.django_db
def test_inactive_users_cannot_interview(world, recruiter, interviewer):
    interviewer.is_active = False
    interviewer.save()

    with pytest.raises(DomainError) as caught:
        schedule(world, recruiter, interviewers=[interviewer])

    assert "interviewers" in caught.value.errors


# -- rescheduling and cancelling ------------------------------------------------


@pytest.mark.django_db
def test_reschedule_changes_only_given_fields(world, hiring_manager, interviewer):
    later = WHEN + datetime.timedelta(hours=2)

    interview_update(interview=world.interview, actor=hiring_manager, starts_at=later)

    world.interview.refresh_from_db()
    assert world.interview.starts_at == later
    assert world.interview.round_name == "Technical"
    assert world.interview.interviewers.count() == 2
    assert world.interview.history.first().history_user == hiring_manager


@pytest.mark.django_db
def test_reschedule_keeps_a_panel_member_who_left_the_groups(world, recruiter, interviewer):
    interviewer.groups.clear()
    later = WHEN + datetime.timedelta(days=1)

    interview_update(interview=world.interview, actor=recruiter, starts_at=later)

    world.interview.refresh_from_db()
    assert world.interview.starts_at == later
    assert interviewer in world.interview.interviewers.all()


@pytest.mark.django_db
def test_reschedule_bad_time_changes_nothing(world, recruiter):
    before = world.interview.starts_at

    with pytest.raises(DomainError) as caught:
        interview_update(
            interview=world.interview, actor=recruiter, starts_at=datetime.datetime(2026, 1, 1)
        )

    assert list(caught.value.errors) == ["starts_at"]
    world.interview.refresh_from_db()
    assert world.interview.starts_at == before


@pytest.mark.django_db
def test_reschedule_by_interviewer_is_refused(world, interviewer):
    before = world.interview.starts_at

    with pytest.raises(PermissionDenied):
        interview_update(interview=world.interview, actor=interviewer, starts_at=WHEN)

    world.interview.refresh_from_db()
    assert world.interview.starts_at == before


@pytest.mark.django_db
def test_submitter_cannot_be_dropped_from_the_panel(
    world, recruiter, interviewer, other_interviewer
):
    submit(world.interview, other_interviewer)

    with pytest.raises(DomainError) as caught:
        interview_update(interview=world.interview, actor=recruiter, interviewers=[interviewer])

    assert caught.value.errors["interviewers"] == [
        "Other Interviewer already submitted a scorecard and must stay on the panel."
    ]
    assert world.interview.interviewers.count() == 2


@pytest.mark.django_db
def test_unknown_field_is_refused(world, recruiter):
    with pytest.raises(DomainError) as caught:
        interview_update(interview=world.interview, actor=recruiter, application=None)

    assert caught.value.message == "Cannot change application."


@pytest.mark.django_db
def test_cancel_deletes_an_unscored_interview(world, recruiter):
    pk = world.interview.pk

    interview_cancel(interview=world.interview, actor=recruiter)

    assert not Interview.objects.filter(pk=pk).exists()
    assert Interview.history.filter(id=pk, history_type="-").get().history_user == recruiter


@pytest.mark.django_db
def test_cancel_refused_once_scored(world, recruiter, interviewer):
    submit(world.interview, interviewer)

    with pytest.raises(Conflict) as caught:
        interview_cancel(interview=world.interview, actor=recruiter)

    assert caught.value.code == "has_scorecards"
    assert Interview.objects.filter(pk=world.interview.pk).exists()


@pytest.mark.django_db
def test_cancel_by_interviewer_refused(world, interviewer):
    with pytest.raises(PermissionDenied):
        interview_cancel(interview=world.interview, actor=interviewer)

    assert Interview.objects.filter(pk=world.interview.pk).exists()


# -- scorecards ----------------------------------------------------------------


@pytest.mark.django_db
def test_assigned_interviewer_submits_own_scorecard(world, interviewer):
    card = submit(world.interview, interviewer, recommendation="strong_yes")

    card.refresh_from_db()
    assert card.interviewer == interviewer
    assert card.interview == world.interview
    assert (card.model_development, card.data_engineering) == (3, 2)
    assert (card.collaboration, card.research_infrastructure) == (4, 1)
    assert card.recommendation == "strong_yes"
    assert card.comments == "Solid."
    assert card.history.first().history_user == interviewer


@pytest.mark.django_db
def test_hiring_manager_writes_scorecard_when_on_the_panel(world, recruiter, hiring_manager):
    started = timezone.now() - datetime.timedelta(minutes=5)
    interview = schedule(world, recruiter, interviewers=[hiring_manager], starts_at=started)

    card = submit(interview, hiring_manager)

    assert card.interviewer == hiring_manager


@pytest.mark.django_db
def test_second_scorecard_is_refused_as_already_submitted(world, interviewer):
    submit(world.interview, interviewer)

    with pytest.raises(Conflict) as caught:
        submit(world.interview, interviewer, recommendation="no")

    assert caught.value.message == "You have already submitted a scorecard for this interview."
    assert caught.value.code == "already_submitted"
    assert Scorecard.objects.get().recommendation == "yes"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["recruiter", "hiring_manager", "outsider"])
def test_unassigned_users_cannot_submit(request, world, who):
    user = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied) as caught:
        submit(world.interview, user)

    assert "assigned" in caught.value.message
    assert Scorecard.objects.count() == 0


@pytest.mark.django_db
def test_nobody_submits_for_someone_else(world, interviewer, recruiter):
    with pytest.raises(PermissionDenied) as caught:
        scorecard_submit(
            interview=world.interview,
            interviewer=interviewer,
            actor=recruiter,
            recommendation="yes",
            **RATINGS,
        )

    assert caught.value.message == "You can only submit your own scorecard."
    assert Scorecard.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"model_development": 0}, "model_development"),
        ({"data_engineering": 5}, "data_engineering"),
        ({"collaboration": "3"}, "collaboration"),
        ({"research_infrastructure": True}, "research_infrastructure"),
        ({"recommendation": "maybe"}, "recommendation"),
    ],
)
def test_bad_scorecard_names_the_field(world, interviewer, overrides, field):
    with pytest.raises(DomainError) as caught:
        submit(world.interview, interviewer, **overrides)

    assert list(caught.value.errors) == [field]
    assert Scorecard.objects.count() == 0


@pytest.mark.django_db
def test_rating_error_names_the_work_area(world, interviewer):
    with pytest.raises(DomainError) as caught:
        submit(world.interview, interviewer, model_development=9)

    assert caught.value.errors["model_development"] == [
        "Rate model development and deployment from 1 to 4."
    ]


@pytest.mark.django_db
def test_factory_made_scorecard_blocks_a_service_submit(world, interviewer):
    ScorecardFactory(interview=world.interview, interviewer=interviewer)

    with pytest.raises(Conflict):
        submit(world.interview, interviewer)

    assert Scorecard.objects.count() == 1


@pytest.mark.django_db
def test_interview_on_another_application_is_independent(world, recruiter, interviewer):
    other = ApplicationFactory(requisition=world.requisition, stage=Stage.APPLIED)

    interview = interview_schedule(
        application=other,
        round_name="Intro",
        interviewers=[interviewer],
        starts_at=WHEN,
        duration_minutes=30,
        location="",
        actor=recruiter,
    )

    assert interview.application == other
    assert interview.location == ""
