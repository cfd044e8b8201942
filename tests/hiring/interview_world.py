"""Interview and scorecard factories and a small world for the interview tests."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import factory
from django.utils import timezone

from hiring import models
from tests.hiring.factories import ApplicationFactory, RequisitionFactory

SOON = datetime.timedelta(days=2)
STARTED = datetime.timedelta(hours=1)


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Interview
        skip_postgeneration_save = True

    application = None  # required
    round_name = factory.Sequence(lambda n: f"Round {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + SOON)
    duration_minutes = 60
    location = "Room 4"

    @factory.post_generation
    def interviewers(self, create, extracted, **kwargs):
        if create and extracted:
            self.interviewers.set(extracted)


class ScorecardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Scorecard

    interview = None  # required
    interviewer = None  # required
    model_development = 3
    data_engineering = 3
    collaboration = 4
    research_infrastructure = 2
    recommendation = models.Scorecard.Recommendation.YES
    comments = "Clear reasoning."


@dataclass
class World:
    requisition: models.Requisition
    application: models.Application
    interview: models.Interview
    other_requisition: models.Requisition
    other_application: models.Application
    other_interview: models.Interview


def build_world(
    *, recruiter, hiring_manager, interviewer, other_interviewer, other_manager
) -> World:
    """hiring_manager's requisition with an interview for interviewer and other_interviewer;
    other_manager's requisition with an interview for other_interviewer only."""
    requisition = RequisitionFactory(hiring_manager=hiring_manager, recruiter=recruiter)
    application = ApplicationFactory(requisition=requisition, stage=models.Stage.INTERVIEW)
    interview = InterviewFactory(
        application=application,
        round_name="Technical",
        # Started: scorecards are accepted only once the interview has begun.
        starts_at=timezone.now() - STARTED,
        interviewers=[interviewer, other_interviewer],
        created_by=recruiter,
    )
    other_requisition = RequisitionFactory(hiring_manager=other_manager)
    other_application = ApplicationFactory(requisition=other_requisition, stage=models.Stage.SCREEN)
    other_interview = InterviewFactory(
        application=other_application, round_name="Screen", interviewers=[other_interviewer]
    )
    return World(
        requisition, application, interview, other_requisition, other_application, other_interview
    )


def build_world_for(cast) -> World:
    """``build_world`` with the users of a ``shared_world`` cast."""
    return build_world(
        recruiter=cast["recruiter"],
        hiring_manager=cast["hiring_manager"],
        interviewer=cast["interviewer"],
        other_interviewer=cast["other_interviewer"],
        other_manager=cast["other_manager"],
    )
