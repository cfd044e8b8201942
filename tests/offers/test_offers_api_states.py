"""/api/v1/offers/: every action and every edit in every state, as every role; a refusal
changes nothing.

The offers are built once for the module, one in each state, each on its own application at
the offer stage whose interview panel holds the interviewer and another manager (an
interviewer's view: no offers for them); every test acts in its own savepoint, rolled back
after it, on the offer in the state it needs.
"""

from __future__ import annotations

import pytest

from offers.services import offer_send, offer_submit
from tests.conftest import shared_world
from tests.hiring.interview_world import InterviewFactory
from tests.offers.test_offers_api import MANAGES, ROLES, SEES, body, snapshot
from tests.offers.test_offers_services import approved, at_offer_stage, draft

pytestmark = pytest.mark.django_db

STATES = ("draft", "pending_approval", "approved", "sent")
#: (state, action, payload, the roles it succeeds for, the status it leads to)
CASES = [
    ("draft", "submit", {}, MANAGES, "pending_approval"),
    ("draft", "rescind", {"note": "No budget"}, MANAGES, "rescinded"),
    ("pending_approval", "approve", {}, {"hiring_manager"}, "approved"),
    ("pending_approval", "reject", {"note": "Too early"}, {"hiring_manager"}, "draft"),
    ("approved", "send", {}, MANAGES, "sent"),
    ("sent", "accept", {}, MANAGES, "accepted"),
    ("sent", "decline", {"reason": "timing"}, MANAGES, "declined"),
    ("sent", "rescind", {"note": "Role closed"}, MANAGES, "rescinded"),
]


def _offer_in(state: str, cast):
    recruiter, manager = cast["recruiter"], cast["hiring_manager"]
    application = at_offer_stage(recruiter=recruiter, hiring_manager=manager)
    InterviewFactory(
        application=application,
        interviewers=[cast["interviewer"], cast["other_manager"]],
        created_by=recruiter,
    )
    if state in ("draft", "pending_approval"):
        offer = draft(application, recruiter)
        if state == "pending_approval":
            offer_submit(offer=offer, actor=recruiter)
        return offer
    offer = approved(application, drafter=recruiter, hiring_manager=manager)
    if state == "sent":
        offer_send(offer=offer, actor=recruiter)
    return offer


def _build(cast) -> dict:
    return {state: _offer_in(state, cast) for state in STATES}


globals().update(shared_world(_build, role_data="guide"))


@pytest.fixture
def offer_in(world):
    """``offer_in(state)``: the module's offer in that state, as it was built."""
    return world.__getitem__


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("state", "action", "payload", "succeeds_for", "leads_to"),
    CASES,
    ids=[f"{c[0]}-{c[1]}" for c in CASES],
)
def test_every_action_for_every_role(
    api, user_of, offer_in, role, state, action, payload, succeeds_for, leads_to
):
    offer = offer_in(state)
    assert offer.status == state
    before = snapshot(offer)
    response = api(user_of(role)).post(
        f"/api/v1/offers/{offer.pk}/{action}/", payload, format="json"
    )
    if role in succeeds_for:
        assert response.status_code == 200, body(response)
        assert response.json()["status"] == leads_to
        return
    expected = 401 if role == "anonymous" else 403 if role in SEES else 404
    assert response.status_code == expected, body(response)
    assert snapshot(offer) == before


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_update_by_role_and_state(api, user_of, offer_in, role, state):
    offer = offer_in(state)
    assert offer.status == state
    before = snapshot(offer)
    response = api(user_of(role)).patch(
        f"/api/v1/offers/{offer.pk}/", {"base_salary": "201000"}, format="json"
    )
    if role in MANAGES and state != "sent":
        assert response.status_code == 200, body(response)
        assert response.json()["base_salary"] == "201000.00"
        assert response.json()["status"] == ("draft" if state == "draft" else "pending_approval")
        return
    if role == "anonymous":
        expected = 401
    elif role not in SEES:
        expected = 404
    elif role == "hiring_manager":
        expected = 403
    else:
        expected = 409  # sent: invalid_state
    assert response.status_code == expected, body(response)
    assert snapshot(offer) == before
