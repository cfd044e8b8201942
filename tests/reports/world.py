"""A small pipeline built in bulk: two requisitions (one the hiring manager's, one not),
applications at every stage with their history, offers inside and outside the band, and
a candidate whose name is a spreadsheet formula."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from hiring.models import Application, Requisition
from hiring.stages import Stage
from offers.models import DeclineReason, Offer
from tests import bulk
from tests.hiring.factories import RequisitionFactory
from tests.roles.factories import LevelFactory, SalaryBandFactory, TrackFactory, ZoneFactory

FORMULA_NAME = '=HYPERLINK("http://evil.example","click")'
STAGES = (Stage.APPLIED, Stage.SCREEN, Stage.INTERVIEW, Stage.OFFER, Stage.HIRED, Stage.REJECTED)


@dataclass
class World:
    cast: dict
    mine: Requisition
    other: Requisition
    formula_candidate_id: int
    track_id: int
    run: object = None  # a module's own finished run, where it makes one


def build_world(cast: dict) -> World:
    today = timezone.localdate()
    track = TrackFactory(slug="ai-engineer", name="AI Engineer", is_base_ladder=True)
    level = LevelFactory(code="L3", title="Senior AI Engineer")
    zone = ZoneFactory()
    band = SalaryBandFactory(level=level, base_min=Decimal("150000"), base_max=Decimal("200000"))
    common = {"track": track, "level": level, "zone": zone, "band": band}
    mine = RequisitionFactory(
        title="Senior AI engineer",
        hiring_manager=cast["hiring_manager"],
        recruiter=cast["recruiter"],
        opened_on=today - datetime.timedelta(days=120),
        **common,
    )
    other = RequisitionFactory(
        title="Hidden requisition",
        hiring_manager=cast["other_manager"],
        recruiter=cast["other_recruiter"],
        opened_on=today - datetime.timedelta(days=10),
        **common,
    )
    people = bulk.candidates(10, source="linkedin")
    people[0].full_name = FORMULA_NAME
    people[0].save(update_fields=["full_name"])
    pairs = [(mine, person) for person in people[:6]] + [(other, p) for p in people[6:]]
    apps = bulk.applications(pairs, actor=cast["recruiter"], stages=STAGES)
    _offers(apps, band)
    return World(cast, mine, other, people[0].pk, track.pk)


def _offers(apps: list[Application], band) -> None:
    """On ``mine``: an accepted offer inside the band (the hire), two declined for
    compensation outside it (a band review); on ``other``: one accepted."""
    compensation = DeclineReason.objects.get_or_create(
        code="compensation", defaults={"label": "Compensation"}
    )[0]
    today = timezone.localdate()
    terms = {
        "currency": "USD",
        "start_date": today + datetime.timedelta(days=40),
        "expires_on": today + datetime.timedelta(days=10),
        "band": band,
        "adjusted_min": Decimal("150000"),
        "adjusted_max": Decimal("200000"),
        "recommendation": {"adjustments": [{"kind": "zone", "applied": 0.05}]},
    }
    hired = next(a for a in apps if a.stage == Stage.HIRED and a.requisition.title.startswith("S"))
    offer_stage = next(a for a in apps if a.stage == Stage.OFFER)
    other = next(a for a in apps if a.requisition.title.startswith("H"))
    Offer.objects.bulk_create(
        [
            Offer(application=hired, status="accepted", base_salary=Decimal("175000"), **terms),
            Offer(
                application=offer_stage,
                status="declined",
                base_salary=Decimal("240000"),
                decline_reason=compensation,
                justification="Market rate for this skill set.",
                **terms,
            ),
            Offer(
                application=offer_stage,
                status="declined",
                base_salary=Decimal("230000"),
                decline_reason=compensation,
                **terms,
            ),
            Offer(application=other, status="accepted", base_salary=Decimal("160000"), **terms),
        ]
    )
