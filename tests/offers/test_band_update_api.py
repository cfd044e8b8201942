"""A new band version flags the open requisitions and offers made under the old one, in the API."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.utils import timezone

from roles.models import SalaryBand
from roles.services import band_revise
from tests.conftest import api_client_for
from tests.offers.test_offers_services import at_offer_stage, draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def revised(guide, recruiter, hiring_manager, comp_admin):
    """An L3 offer, then the L3 ladder band revised to 160,000-240,000 from today."""
    application = at_offer_stage(recruiter=recruiter, hiring_manager=hiring_manager)
    offer = draft(application, recruiter)
    old = SalaryBand.objects.get(track__isnull=True, level__code="L3", effective_to__isnull=True)
    band_revise(
        band=old,
        base_min=D("160000"),
        base_max=D("240000"),
        open_ended_top=False,
        effective_from=timezone.localdate(),
        source=old.source,
        change_note="Market moved",
        actor=comp_admin,
    )
    return application.requisition, offer


def test_requisition_shows_old_and_new_figures(revised, recruiter):
    requisition, _ = revised
    body = api_client_for(recruiter).get(f"/api/v1/requisitions/{requisition.pk}/").json()
    update = body["band_update"]
    assert (update["old"]["min"], update["old"]["max"]) == ("155000.00", "230000.00")
    assert update["old"]["effective_to"] == timezone.localdate().isoformat()
    assert (update["new"]["min"], update["new"]["max"]) == ("160000.00", "240000.00")
    assert update["new_adjusted"] == {"min": "160000.00", "max": "240000.00"}  # national
    assert body["posted_min"] == "155000.00"  # the posted range stays until someone reprices


def test_offer_shows_old_and_new_figures(revised, recruiter):
    _, offer = revised
    update = api_client_for(recruiter).get(f"/api/v1/offers/{offer.pk}/").json()["band_update"]
    assert (update["old"]["min"], update["new"]["min"]) == ("155000.00", "160000.00")
    assert update["new_adjusted"] == {"min": "160000.00", "max": "240000.00"}


def test_the_flag_is_pay_and_follows_the_pay_policy(revised, interviewer, other_manager):
    from tests.hiring.interview_world import InterviewFactory

    requisition, offer = revised
    InterviewFactory(application=offer.application, interviewers=[interviewer, other_manager])
    url = f"/api/v1/requisitions/{requisition.pk}/"
    as_interviewer = api_client_for(interviewer).get(url).json()
    as_panel_manager = api_client_for(other_manager).get(url).json()
    assert "band_update" not in as_interviewer and as_interviewer["id"] == requisition.pk
    assert as_panel_manager["band_update"] is None and as_panel_manager["posted_min"] is None
