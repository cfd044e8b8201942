"""/api/v1/offers/ end to end: listing, shape, creation, the workflow, refusals; every action
and edit in every state, as every role, is in test_offers_api_states.py."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from offers.models import Offer, OfferEvent
from offers.services import offer_approve, offer_submit
from tests.conftest import shared_world
from tests.hiring.interview_world import InterviewFactory
from tests.offers.test_offers_services import (
    JUSTIFIED,
    approved,
    at_offer_stage,
    draft,
    start_and_expiry,
)

pytestmark = pytest.mark.django_db

ROLES = [
    "admin",
    "comp_admin",
    "recruiter",
    "hiring_manager",
    "other_manager",
    "interviewer",
    "outsider",
    "anonymous",
]
SEES = {"admin", "comp_admin", "recruiter", "hiring_manager"}
MANAGES = {"admin", "comp_admin", "recruiter"}


def _build(cast) -> dict:
    recruiter = cast["recruiter"]
    application = at_offer_stage(recruiter=recruiter, hiring_manager=cast["hiring_manager"])
    # The interviewer and another manager sit on its panel: still no offers for them.
    InterviewFactory(
        application=application,
        interviewers=[cast["interviewer"], cast["other_manager"]],
        created_by=recruiter,
    )
    return {"application": application}


globals().update(shared_world(_build, role_data="guide"))


@pytest.fixture
def application(world):
    return world["application"]


def body(response):
    return response.json() if response.content else None


def snapshot(offer):
    offer.refresh_from_db()
    return (offer.status, offer.round, offer.base_salary, offer.events.count())


@pytest.mark.parametrize("role", ROLES)
def test_list_and_retrieve_follow_the_pay_policy(api, user_of, application, recruiter, role):
    offer = draft(application, recruiter)
    client = api(user_of(role))
    listing = client.get("/api/v1/offers/")
    detail = client.get(f"/api/v1/offers/{offer.pk}/")
    if role == "anonymous":
        assert (listing.status_code, detail.status_code) == (401, 401)
    elif role in SEES:
        assert [o["id"] for o in listing.json()["results"]] == [offer.pk]
        assert detail.status_code == 200
    else:
        assert listing.json()["results"] == []
        assert detail.status_code == 404
        assert "193" not in detail.content.decode()


def test_the_offer_shape(api, application, recruiter):
    offer = draft(application, recruiter, sign_on_bonus=D("5000"))
    data = api(recruiter).get(f"/api/v1/offers/{offer.pk}/").json()
    assert set(data) == {
        "id",
        "application",
        "status",
        "base_salary",
        "sign_on_bonus",
        "equity",
        "currency",
        "start_date",
        "expires_on",
        "justification",
        "band",
        "adjusted_band",
        "compa_ratio",
        "inside_band",
        "round",
        "required_approvals",
        "recommendation",
        "decline_reason",
        "created_by",
        "created_at",
        "sent_at",
        "decided_at",
        "approvals",
        "events",
        "band_update",
    }
    assert data["band_update"] is None
    assert data["status"] == "draft"
    assert (data["base_salary"], data["sign_on_bonus"], data["equity"]) == (
        "193000.00",
        "5000.00",
        "0.00",
    )
    assert data["adjusted_band"] == {"min": "155000.00", "max": "230000.00"}
    assert data["compa_ratio"] == "1.00"
    assert data["band"] == offer.band_id
    assert data["recommendation"] == offer.recommendation
    assert data["required_approvals"] == ["hiring_manager"]
    assert [(e["kind"], e["actor"]) for e in data["events"]] == [("created", "recruiter")]


@pytest.mark.parametrize("role", ROLES)
def test_create_by_role(api, user_of, application, role):
    start, expiry = start_and_expiry()
    payload = {
        "application": application.pk,
        "start_date": start.isoformat(),
        "expires_on": expiry.isoformat(),
    }
    response = api(user_of(role)).post("/api/v1/offers/", payload, format="json")
    if role in MANAGES:
        assert response.status_code == 201, body(response)
        assert response.json()["base_salary"] == "193000.00"
        assert response.json()["currency"] == "USD"
        assert Offer.objects.count() == 1
    else:
        assert response.status_code == (401 if role == "anonymous" else 403)
        assert not Offer.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"base_salary": "lots"}, "base_salary"),
        ({"base_salary": "-1"}, "base_salary"),
        ({"equity": "-1"}, "equity"),
        ({"expires_on": "not a date"}, "expires_on"),
        ({"application": 999999}, "application"),
        ({"start_date": "2000-01-01", "expires_on": "2000-01-01"}, "expires_on"),
    ],
)
def test_create_refuses_bad_input_naming_the_field(api, application, recruiter, change, field):
    start, expiry = start_and_expiry()
    payload = {
        "application": application.pk,
        "start_date": start.isoformat(),
        "expires_on": expiry.isoformat(),
        **change,
    }
    response = api(recruiter).post("/api/v1/offers/", payload, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert not Offer.objects.exists()


def test_create_before_the_offer_stage_is_refused(api, guide, recruiter, hiring_manager):
    application = at_offer_stage(
        recruiter=recruiter, hiring_manager=hiring_manager, stage="interview"
    )
    start, expiry = start_and_expiry()
    response = api(recruiter).post(
        "/api/v1/offers/",
        {"application": application.pk, "start_date": start, "expires_on": expiry},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "application_not_at_offer"
    assert not Offer.objects.exists()


def test_the_whole_workflow_through_the_api(api, application, recruiter, hiring_manager):
    start, expiry = start_and_expiry()
    rec = api(recruiter)
    created = rec.post(
        "/api/v1/offers/",
        {"application": application.pk, "start_date": start, "expires_on": expiry},
        format="json",
    ).json()
    url = f"/api/v1/offers/{created['id']}/"
    patched = rec.patch(url, {"base_salary": "240000"}, format="json")
    assert (patched.status_code, patched.json()["inside_band"]) == (200, False)
    refused = rec.post(url + "submit/", {}, format="json")
    assert (refused.status_code, refused.json()["code"]) == (400, "justification_required")
    rec.patch(url, {"base_salary": "200000"}, format="json")
    assert rec.post(url + "submit/", {"note": "Please"}, format="json").json()["status"] == (
        "pending_approval"
    )
    approval = api(hiring_manager).post(url + "approve/", {"note": "Yes"}, format="json")
    assert approval.status_code == 200
    assert approval.json()["status"] == "approved"
    assert approval.json()["approvals"][0]["role"] == "hiring_manager"
    assert rec.post(url + "send/", {}, format="json").json()["status"] == "sent"
    accepted = rec.post(url + "accept/", {"note": "Signed"}, format="json")
    assert accepted.json()["status"] == "accepted"
    application.refresh_from_db()
    assert application.stage == "hired"
    assert [e["kind"] for e in accepted.json()["events"]] == [
        "created",
        "updated",
        "updated",
        "submitted",
        "approved",
        "sent",
        "accepted",
    ]


def test_an_action_the_status_does_not_allow_is_a_409_naming_them(api, application, recruiter):
    offer = draft(application, recruiter)
    response = api(recruiter).post(f"/api/v1/offers/{offer.pk}/send/", {}, format="json")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "Cannot send an offer that is draft. Allowed now: update, submit, rescind.",
        "code": "invalid_state",
        "errors": {
            "status": ["Cannot send an offer that is draft. Allowed now: update, submit, rescind."]
        },
        "status": "draft",
        "allowed_actions": ["update", "submit", "rescind"],
    }


def test_self_approval_is_403(api, application, comp_admin):
    offer = draft(application, comp_admin, base_salary=D("245000"), justification=JUSTIFIED)
    offer_submit(offer=offer, actor=comp_admin)
    before = snapshot(offer)
    response = api(comp_admin).post(f"/api/v1/offers/{offer.pk}/approve/", {}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Nobody approves an offer they drafted: another approver must."
    )
    assert snapshot(offer) == before


def test_a_second_approver_for_a_decided_role_is_a_409(
    api, application, recruiter, hiring_manager, comp_admin
):
    offer = draft(application, recruiter, base_salary=D("245000"), justification=JUSTIFIED)
    offer_submit(offer=offer, actor=recruiter)
    offer_approve(offer=offer, actor=comp_admin)
    before = snapshot(offer)
    response = api(comp_admin).post(f"/api/v1/offers/{offer.pk}/approve/", {}, format="json")
    assert response.status_code == 409
    assert snapshot(offer) == before


def test_the_list_costs_a_fixed_number_of_queries(
    api, guide, recruiter, hiring_manager, django_assert_max_num_queries
):
    for _ in range(3):
        application = at_offer_stage(recruiter=recruiter, hiring_manager=hiring_manager)
        approved(application, drafter=recruiter, hiring_manager=hiring_manager)
    client = api(recruiter)
    client.get("/api/v1/offers/")  # warm the token and group caches of the first request
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/offers/")
    assert len(response.json()["results"]) == 3
    assert OfferEvent.objects.count() == 9
