"""`seed_demo`'s offers over a larger volume set: hires, open offers, bands, approvals.

The seed runs once for the module (these tests only read); each test still rolls back
its own writes.
"""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from hiring.models import (
    Application,
    Requisition,
    Stage,
)
from offers.models import Offer, OfferApproval, OfferEvent
from offers.states import OPEN_STATUSES, OfferStatus
from tests.conftest import built_once
from tests.demo.test_seed_demo import seed

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def seeded(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        seed(candidates=300, requisitions=12, applications=900, seed=3)
        yield


def test_hires_never_exceed_headcount_and_a_full_requisition_is_filled():
    for req in Requisition.objects.all():
        hires = req.applications.filter(stage=Stage.HIRED).count()
        assert hires <= req.headcount
        assert (req.status == Requisition.Status.FILLED) == (hires == req.headcount)
    assert Application.objects.filter(stage=Stage.HIRED).exists()


def test_every_hired_application_has_exactly_one_accepted_offer():
    hired = Application.objects.filter(stage=Stage.HIRED)
    assert hired.exists()
    for app in hired.prefetch_related("offers", "stage_changes"):
        accepted = [o for o in app.offers.all() if o.status == OfferStatus.ACCEPTED]
        assert len(accepted) == 1
        hire = next(c for c in app.stage_changes.all() if c.to_stage == Stage.HIRED)
        assert accepted[0].decided_at <= hire.at
    accepted_apps = Offer.objects.filter(status=OfferStatus.ACCEPTED).values_list(
        "application_id", flat=True
    )
    assert set(accepted_apps) == set(hired.values_list("pk", flat=True))
    assert not Offer.objects.filter(
        application__stage=Stage.OFFER, status=OfferStatus.ACCEPTED
    ).exists()


def test_no_application_has_two_open_offers():
    open_per_app = Counter(
        Offer.objects.filter(status__in=OPEN_STATUSES).values_list("application_id", flat=True)
    )
    assert open_per_app
    assert max(open_per_app.values()) == 1


def test_offers_are_pinned_to_the_requisition_band_and_outside_it_only_with_approval():
    comp = User.objects.get(username="demo-comp")
    recruiter = User.objects.get(username="demo-recruiter")

    offers = Offer.objects.select_related("application__requisition").prefetch_related("approvals")
    assert offers.exists()
    outside = 0
    for offer in offers:
        requisition = offer.application.requisition
        assert offer.band_id == requisition.band_id is not None
        assert offer.currency == requisition.currency
        assert offer.created_by_id == recruiter.pk
        assert offer.round == 1
        assert offer.recommendation["adjusted_band"] == {
            "min": int(offer.adjusted_min),
            "max": int(offer.adjusted_max),
        }
        approvals = {(a.role, a.approver_id) for a in offer.approvals.all()}
        if offer.inside_band:
            assert offer.base_salary == offer.recommendation["recommended_base"]
            assert OfferApproval.Role.COMPENSATION_ADMIN not in {r for r, _ in approvals}
        else:
            outside += 1
            assert offer.justification
            assert (OfferApproval.Role.COMPENSATION_ADMIN, comp.pk) in approvals
        if offer.status not in (OfferStatus.DRAFT, OfferStatus.PENDING_APPROVAL) and (
            offer.status != OfferStatus.RESCINDED or approvals
        ):
            assert (OfferApproval.Role.HIRING_MANAGER, requisition.hiring_manager_id) in approvals
    assert outside


def test_approvals_are_never_by_the_drafter_and_events_are_in_time_order():
    offers = Offer.objects.select_related("application").prefetch_related("approvals", "events")
    now = timezone.now()
    for offer in offers:
        assert all(a.approver_id != offer.created_by_id for a in offer.approvals.all())
        events = list(offer.events.all())
        kinds = [e.kind for e in events]
        assert kinds[0] == OfferEvent.Kind.CREATED
        assert events[0].at == offer.created_at
        assert events[0].at >= offer.application.created_at
        assert all(b.at > a.at for a, b in itertools.pairwise(events))
        assert events[-1].at <= now
        approved = [e for e in events if e.kind == OfferEvent.Kind.APPROVED]
        assert len(approved) == offer.approvals.count()
        if offer.status in (OfferStatus.ACCEPTED, OfferStatus.DECLINED, OfferStatus.RESCINDED):
            assert kinds[-1] == offer.status
            assert offer.decided_at == events[-1].at
        elif offer.status == OfferStatus.EXPIRED:
            assert kinds[-1] == OfferEvent.Kind.EXPIRED
            assert events[-1].actor_id is None
        else:
            assert offer.decided_at is None
        if OfferEvent.Kind.SENT in kinds:
            assert offer.sent_at == events[kinds.index(OfferEvent.Kind.SENT)].at
        assert offer.expires_on <= offer.start_date
