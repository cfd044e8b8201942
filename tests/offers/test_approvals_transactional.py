"""Two approvers acting on the same offer at the same moment, on real PostgreSQL row locks."""

import threading
from decimal import Decimal as D

import pytest
from django.db import connection, transaction

from core import access
from core.errors import Conflict
from offers.models import Offer, OfferApproval, OfferEvent
from offers.services import offer_approve, offer_submit
from tests.conftest import make_user
from tests.offers.test_offers_services import JUSTIFIED, at_offer_stage, draft


def _race(offer, actors) -> list:
    barrier = threading.Barrier(len(actors))
    outcomes = []

    def worker(actor):
        try:
            barrier.wait(timeout=10)
            offer_approve(offer=Offer.objects.get(pk=offer.pk), actor=actor)
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(actor,)) for actor in actors]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return sorted(outcomes)


@pytest.fixture
def role_data(request, transactional_db):
    """The ``guide`` fixture inside one transaction: its bulk restore inserts rows before
    the rows they point at, which PostgreSQL accepts only with the checks deferred to commit."""
    with transaction.atomic():
        request.getfixturevalue("guide")


@pytest.fixture
def outside_band_offer(role_data, recruiter, hiring_manager):
    application = at_offer_stage(recruiter=recruiter, hiring_manager=hiring_manager)
    offer = draft(application, recruiter, base_salary=D("245000"), justification=JUSTIFIED)
    offer_submit(offer=offer, actor=recruiter)
    return offer


def _per_role(offer) -> dict:
    approvals = list(OfferApproval.objects.filter(offer=offer).values_list("role", flat=True))
    events = [e.data["role"] for e in OfferEvent.objects.filter(offer=offer, kind="approved")]
    return {"approvals": sorted(approvals), "events": sorted(events)}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_compensation_admins_at_once_record_one_decision(
    require_postgres, outside_band_offer, comp_admin
):
    second = make_user("second_comp_admin", access.COMPENSATION_ADMINS)
    assert _race(outside_band_offer, [comp_admin, second]) == ["conflict", "ok"]
    assert _per_role(outside_band_offer) == {
        "approvals": ["compensation_admin"],
        "events": ["compensation_admin"],
    }
    outside_band_offer.refresh_from_db()
    assert outside_band_offer.status == "pending_approval"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_manager_and_a_compensation_admin_at_once_both_count(
    require_postgres, outside_band_offer, hiring_manager, comp_admin
):
    assert _race(outside_band_offer, [hiring_manager, comp_admin]) == ["ok", "ok"]
    assert _per_role(outside_band_offer) == {
        "approvals": ["compensation_admin", "hiring_manager"],
        "events": ["compensation_admin", "hiring_manager"],
    }
    outside_band_offer.refresh_from_db()
    assert outside_band_offer.status == "approved"
    statuses = [
        e.data["status"]
        for e in OfferEvent.objects.filter(offer=outside_band_offer, kind="approved")
    ]
    assert sorted(statuses) == ["approved", "pending_approval"]
