"""Requisition service: posted range from the band, narrowing, no-band drafts, statuses."""

from decimal import Decimal

import pytest

from core.errors import DomainError
from hiring.models import Requisition
from hiring.services.requisitions import requisition_create, requisition_update
from roles.models import Level, SalaryBand, Track, Zone
from tests.hiring.factories import open_requisition

pytestmark = pytest.mark.django_db


def create(actor, manager, *, track="ai-engineer", level="L2", zone="national", **kw):
    return requisition_create(
        actor=actor,
        title=kw.pop("title", "AI Engineer II"),
        track=Track.objects.get(slug=track),
        level=Level.objects.get(code=level),
        zone=Zone.objects.get(slug=zone),
        hiring_manager=manager,
        **kw,
    )


def test_posted_range_defaults_to_the_adjusted_band_and_pins_the_band_version(
    roles_data, recruiter, hiring_manager
):
    req = create(recruiter, hiring_manager, zone="san-francisco", status="open")
    band = SalaryBand.objects.get(track__isnull=True, level__code="L2", effective_to__isnull=True)
    assert req.band == band
    assert (req.posted_min, req.posted_max) == (Decimal("162000"), Decimal("216000"))
    assert req.currency == "USD"
    assert req.status == Requisition.Status.OPEN
    assert req.opened_on is not None


def test_ml_engineer_premium_is_applied(roles_data, recruiter, hiring_manager):
    req = create(recruiter, hiring_manager, track="ml-engineer")
    assert (req.posted_min, req.posted_max) == (Decimal("129000"), Decimal("172000"))


def test_recruiter_may_narrow_inside_the_band(roles_data, recruiter, hiring_manager):
    req = create(
        recruiter, hiring_manager, posted_min=Decimal("130000"), posted_max=Decimal("150000")
    )
    req.refresh_from_db()
    assert (req.posted_min, req.posted_max) == (Decimal("130000.00"), Decimal("150000.00"))


def test_widening_past_the_band_is_refused_naming_the_field_and_range(
    roles_data, recruiter, hiring_manager
):
    with pytest.raises(DomainError) as info:
        create(recruiter, hiring_manager, posted_max=Decimal("170000"))
    assert info.value.errors == {
        "posted_max": [
            "Posted maximum must lie inside the band: the band allows $120,000 to $160,000."
        ]
    }
    assert Requisition.objects.count() == 0


def test_posted_min_below_band_and_inverted_range_are_refused(
    roles_data, recruiter, hiring_manager
):
    with pytest.raises(DomainError) as low:
        create(recruiter, hiring_manager, posted_min=Decimal("100000"))
    assert list(low.value.errors) == ["posted_min"]
    with pytest.raises(DomainError) as inverted:
        create(
            recruiter, hiring_manager, posted_min=Decimal("150000"), posted_max=Decimal("130000")
        )
    assert inverted.value.errors == {
        "posted_min": ["Posted minimum must not exceed posted maximum."]
    }
    assert Requisition.objects.count() == 0


def test_track_without_band_saves_as_draft_without_a_figure(roles_data, recruiter, hiring_manager):
    req = create(recruiter, hiring_manager, track="research-scientist", level="L3")
    assert req.status == Requisition.Status.DRAFT
    assert (req.band, req.posted_min, req.posted_max) == (None, None, None)


def test_track_without_band_cannot_open(roles_data, recruiter, hiring_manager):
    message = (
        "The career guide gives no salary band for Research Scientist at L3; "
        "a posted pay range is required by pay-transparency laws."
    )
    with pytest.raises(DomainError) as info:
        create(recruiter, hiring_manager, track="research-scientist", level="L3", status="open")
    assert info.value.message == message
    assert Requisition.objects.count() == 0
    draft = create(recruiter, hiring_manager, track="research-scientist", level="L3")
    with pytest.raises(DomainError) as again:
        requisition_update(requisition=draft, actor=recruiter, status="open")
    assert again.value.errors == {"status": [message]}
    draft.refresh_from_db()
    assert draft.status == Requisition.Status.DRAFT


def test_track_without_band_refuses_a_made_up_range(roles_data, recruiter, hiring_manager):
    with pytest.raises(DomainError) as info:
        create(
            recruiter,
            hiring_manager,
            track="research-scientist",
            level="L3",
            posted_min=Decimal("100000"),
            posted_max=Decimal("200000"),
        )
    assert "posted_min" in info.value.errors


def test_changing_level_reprices_to_the_new_band(roles_data, recruiter, hiring_manager):
    req = create(recruiter, hiring_manager)
    updated = requisition_update(
        requisition=req, actor=recruiter, level=Level.objects.get(code="L3")
    )
    assert (updated.posted_min, updated.posted_max) == (Decimal("155000"), Decimal("230000"))
    assert updated.band.level.code == "L3"


def test_status_transitions_follow_the_rules(roles_data, recruiter, hiring_manager):
    req = create(recruiter, hiring_manager)
    req = requisition_update(requisition=req, actor=recruiter, status="open")
    req = requisition_update(requisition=req, actor=recruiter, status="on_hold")
    req = requisition_update(requisition=req, actor=recruiter, status="cancelled")
    with pytest.raises(DomainError) as info:
        requisition_update(requisition=req, actor=recruiter, status="open")
    assert info.value.errors == {
        "status": ["Cannot change status from cancelled to open. Allowed: none: it is final."]
    }
    req.refresh_from_db()
    assert req.status == "cancelled"


def test_unknown_status_is_refused(roles_data, recruiter, hiring_manager):
    req = create(recruiter, hiring_manager)
    with pytest.raises(DomainError) as info:
        requisition_update(requisition=req, actor=recruiter, status="archived")
    assert "Unknown status 'archived'" in info.value.errors["status"][0]


def test_bad_headcount_names_the_field(roles_data, recruiter, hiring_manager):
    with pytest.raises(DomainError) as info:
        create(recruiter, hiring_manager, headcount=0)
    assert "headcount" in info.value.errors
    assert Requisition.objects.count() == 0


def test_history_records_the_actor(roles_data, recruiter, hiring_manager):
    req = open_requisition(actor=recruiter, hiring_manager=hiring_manager, status="draft")
    requisition_update(requisition=req, actor=hiring_manager, title="Renamed")
    users = list(req.history.order_by("history_date").values_list("history_user", flat=True))
    assert users == [recruiter.pk, hiring_manager.pk]
