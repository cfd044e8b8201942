import factory
from django.utils import timezone

from hiring import models
from tests.candidates.factories import CandidateFactory
from tests.roles.factories import LevelFactory, TrackFactory, ZoneFactory


class RequisitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Requisition

    title = factory.Sequence(lambda n: f"AI Engineer {n}")
    track = factory.SubFactory(TrackFactory, slug="ai-engineer", is_base_ladder=True)
    level = factory.SubFactory(LevelFactory)
    zone = factory.SubFactory(ZoneFactory)
    status = models.Requisition.Status.OPEN
    hiring_manager = None  # required: pass the hiring_manager fixture


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Application

    candidate = factory.SubFactory(CandidateFactory)
    requisition = factory.SubFactory(RequisitionFactory)
    stage = models.Stage.APPLIED
    stage_entered_at = factory.LazyFunction(timezone.now)
