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


class StageChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.StageChange

    application = factory.SubFactory(ApplicationFactory)
    from_stage = ""
    to_stage = models.Stage.APPLIED
    at = factory.LazyFunction(timezone.now)
    actor = None  # required: pass a user


def open_requisition(
    *, actor, hiring_manager, track="ai-engineer", level="L2", zone="national", **kw
):
    """An open requisition priced from the loaded role data, through the service."""
    from hiring.services.requisitions import requisition_create
    from roles.models import Level, Track, Zone

    return requisition_create(
        actor=actor,
        title=kw.pop("title", f"{level} {track} ({zone})"),
        track=Track.objects.get(slug=track),
        level=Level.objects.get(code=level),
        zone=Zone.objects.get(slug=zone),
        hiring_manager=hiring_manager,
        status=kw.pop("status", models.Requisition.Status.OPEN),
        **kw,
    )


def apply_candidate(
    *, requisition, actor, candidate=None, stage=models.Stage.APPLIED, **candidate_kw
):
    """A candidate applied through the service (writes the first StageChange)."""
    from hiring.services.applications import application_create

    candidate = candidate or CandidateFactory(**candidate_kw)
    return application_create(
        candidate=candidate, requisition=requisition, actor=actor, stage=stage
    )


def walk(application, stages, *, actor):
    """Move an application forward through ``stages`` one by one."""
    from hiring.services.applications import application_move

    for stage in stages:
        application_move(
            application=application, to_stage=stage, expected_stage=application.stage, actor=actor
        )
    return application


def build_role_data() -> dict:
    """A compact copy of the guide's figures, for tests that need no full `load_guide`.

    Same slugs, codes and amounts as roles/data/guide_2026.json for what the
    pipeline reads (about 30 rows instead of 68 validated ones: `load_guide` is
    kept for the journey tests, where realism matters more than speed).
    """
    from decimal import Decimal as D

    from roles.models import Level
    from tests.roles.factories import (
        CertificationFactory,
        LevelFactory,
        SalaryBandFactory,
        TrackFactory,
        ZoneFactory,
    )

    aws = CertificationFactory(slug="aws-ml-specialty", name="AWS ML Specialty")
    azure = CertificationFactory(
        slug="azure-ai-engineer-associate", name="Azure AI Engineer Associate", issuer="Microsoft"
    )
    ladder = [
        ("L1", "Junior AI Engineer / ML Engineer I", "0", "2", "90000", "120000", False),
        ("L2", "AI Engineer / ML Engineer II", "2", "5", "120000", "160000", False),
        ("L3", "Senior AI Engineer", "5", "10", "155000", "230000", False),
        ("L4", "Staff / Principal AI Engineer", "10", "15", "200000", "312000", True),
        ("L5", "AI Director / VP of AI / Chief AI Officer", "15", None, "250000", "350000", True),
    ]
    levels = {}
    for code, title, low, high, bmin, bmax, open_top in ladder:
        level = LevelFactory(
            code=code,
            title=title,
            min_years=D(low),
            max_years=D(high) if high else None,
            summary=f"{title}: scope from the guide.",
        )
        Level.objects.filter(pk=level.pk).update(
            title=title, min_years=D(low), max_years=D(high) if high else None
        )
        level.refresh_from_db()
        SalaryBandFactory(level=level, base_min=D(bmin), base_max=D(bmax), open_ended_top=open_top)
        levels[code] = level
    levels["L2"].expected_certifications.set([aws, azure])
    return {
        "tracks": {
            "ai-engineer": TrackFactory(
                slug="ai-engineer", name="AI Engineer", is_base_ladder=True
            ),
            "ml-engineer": TrackFactory(
                slug="ml-engineer",
                name="ML Engineer",
                premium_low_pct=D("5"),
                premium_high_pct=D("10"),
                premium_default_pct=D("7.5"),
            ),
            "research-scientist": TrackFactory(
                slug="research-scientist",
                name="Research Scientist",
                premium_low_pct=None,
                premium_high_pct=None,
                premium_default_pct=None,
            ),
        },
        "levels": levels,
        "zones": {
            "national": ZoneFactory(slug="national", name="National median"),
            "san-francisco": ZoneFactory(
                slug="san-francisco",
                name="San Francisco",
                premium_low_pct=D("20"),
                premium_high_pct=D("50"),
                premium_default_pct=D("35"),
            ),
        },
        "certifications": {"aws": aws, "azure": azure},
    }
