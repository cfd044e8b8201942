"""Offer services: every transition and refusal, band pinning, rounds, approvals, expiry."""

from __future__ import annotations

import datetime
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import access
from core.errors import Conflict, DomainError, InvalidState, PermissionDenied
from hiring.models import Requisition, StageChange
from hiring.services.applications import application_move
from offers import services
from offers.models import Offer, OfferApproval, OfferEvent
from offers.services import (
    offer_accept,
    offer_approve,
    offer_create,
    offer_decline,
    offer_reject,
    offer_rescind,
    offer_send,
    offer_submit,
    offer_update,
    offers_expire,
)
from offers.tasks import expire_offers
from roles.models import SalaryBand
from tests.conftest import make_user, shared_world
from tests.hiring.factories import apply_candidate, open_requisition, walk

pytestmark = pytest.mark.django_db

JUSTIFIED = "Competing offer at 245k from a frontier lab; retention risk."


def start_and_expiry() -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    return today + datetime.timedelta(days=45), today + datetime.timedelta(days=10)


def at_offer_stage(*, recruiter, hiring_manager, headcount=1, years="7.5", stage="offer"):
    """An L3 ai-engineer application (national: band 155,000-230,000), at ``stage``."""
    requisition = open_requisition(
        actor=recruiter, hiring_manager=hiring_manager, level="L3", headcount=headcount
    )
    application = apply_candidate(
        requisition=requisition, actor=recruiter, years_experience=D(years)
    )
    if stage != "applied":
        walk(application, [stage], actor=recruiter)
    return application


def draft(application, actor, **kw) -> Offer:
    start, expiry = start_and_expiry()
    return offer_create(
        application=application,
        actor=actor,
        start_date=kw.pop("start_date", start),
        expires_on=kw.pop("expires_on", expiry),
        **kw,
    )


def approved(application, *, drafter, hiring_manager, **kw) -> Offer:
    offer = draft(application, drafter, **kw)
    offer_submit(offer=offer, actor=drafter)
    offer_approve(offer=offer, actor=hiring_manager)
    offer.refresh_from_db()
    return offer


def kinds(offer) -> list[str]:
    return list(offer.events.order_by("at", "id").values_list("kind", flat=True))


def _build(cast) -> dict:
    return {
        "application": at_offer_stage(
            recruiter=cast["recruiter"], hiring_manager=cast["hiring_manager"]
        )
    }


# The guide, the cast and one application at the offer stage, built once for the module; each
# test runs in its own savepoint.
globals().update(shared_world(_build, role_data="guide"))


@pytest.fixture
def application(world):
    return world["application"]


# --- create ---------------------------------------------------------------------------


def test_create_pins_the_band_version_and_freezes_the_recommendation(application, recruiter):
    offer = draft(application, recruiter)
    band = SalaryBand.objects.get(track__isnull=True, level__code="L3", effective_to__isnull=True)
    assert (offer.status, offer.round, offer.created_by) == ("draft", 1, recruiter)
    assert offer.base_salary == D("193000.00")  # the worked example: 7.5 years at L3
    assert (offer.sign_on_bonus, offer.equity, offer.currency) == (D("0"), D("0"), "USD")
    assert offer.band == band
    assert (offer.adjusted_min, offer.adjusted_max) == (D("155000"), D("230000"))
    assert offer.recommendation["recommended_base"] == 193000
    assert offer.recommendation["adjusted_band"] == {"min": 155000, "max": 230000}
    assert offer.inside_band and offer.compa_ratio == D("1.00")
    event = offer.events.get()
    assert (event.kind, event.actor, event.data["base_salary"]) == (
        "created",
        recruiter,
        "193000.00",
    )
    assert offer.history.get().history_user == recruiter


def test_a_new_band_version_leaves_the_offer_on_the_old_one(application, recruiter):
    offer = draft(application, recruiter, base_salary=D("200000"))
    old = offer.band
    SalaryBand.objects.filter(pk=old.pk).update(base_max=D("999999"))  # never happens; pinned
    offer.refresh_from_db()
    assert offer.band_id == old.pk
    assert offer.adjusted_max == D("230000")
    assert offer.recommendation["band"]["max"] == 230000


def test_create_takes_an_explicit_base_and_extras(application, recruiter):
    offer = draft(
        application,
        recruiter,
        base_salary=D("180000"),
        sign_on_bonus=D("15000"),
        equity="40000",
        justification=" A note ",
    )
    assert (offer.base_salary, offer.sign_on_bonus, offer.equity) == (
        D("180000"),
        D("15000"),
        D("40000"),
    )
    assert offer.justification == "A note"


@pytest.mark.parametrize("stage", ["applied", "interview"])
def test_create_only_at_the_offer_stage(guide, recruiter, hiring_manager, stage):
    application = at_offer_stage(recruiter=recruiter, hiring_manager=hiring_manager, stage=stage)
    with pytest.raises(DomainError) as info:
        draft(application, recruiter)
    assert info.value.code == "application_not_at_offer"
    assert info.value.errors == {
        "application": [
            f"An offer is made at the offer stage; this application is at {stage}. "
            "Move it to Offer first."
        ]
    }
    assert not Offer.objects.exists()


def test_create_only_on_an_open_requisition(application, recruiter):
    Requisition.objects.filter(pk=application.requisition_id).update(status="on_hold")
    application.requisition.refresh_from_db()
    with pytest.raises(DomainError) as info:
        draft(application, recruiter)
    assert info.value.code == "requisition_not_open"
    assert not Offer.objects.exists()


def test_one_open_offer_per_application(application, recruiter, comp_admin):
    first = draft(application, recruiter)
    with pytest.raises(DomainError) as info:
        draft(application, comp_admin)
    assert info.value.code == "open_offer_exists"
    offer_rescind(offer=first, actor=recruiter, note="Wrong start date")
    second = draft(application, comp_admin)
    assert list(Offer.objects.order_by("pk").values_list("status", flat=True)) == [
        "rescinded",
        "draft",
    ]
    assert second.created_by == comp_admin


def test_the_database_allows_one_open_offer_per_application(application, recruiter):
    offer = draft(application, recruiter)
    offer.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        offer.save()


@pytest.mark.parametrize("who", ["hiring_manager", "other_manager", "interviewer", "outsider"])
def test_only_recruiters_and_compensation_admins_draft(application, who, request):
    with pytest.raises(PermissionDenied) as info:
        draft(application, request.getfixturevalue(who))
    assert info.value.message == services.MANAGE_DENIED
    assert not Offer.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("base_salary", D("-1"), "The base salary must be more than zero."),
        ("base_salary", 0, "The base salary must be more than zero."),
        ("base_salary", "lots", "Enter an amount as a number."),
        ("base_salary", D("10000001"), "The amount must not exceed $10,000,000."),
        ("sign_on_bonus", D("-5"), "The amount must not be negative."),
        ("equity", "NaN", "Enter an amount as a number."),
    ],
)
def test_create_refuses_bad_amounts(application, recruiter, field, value, message):
    with pytest.raises(DomainError) as info:
        draft(application, recruiter, **{field: value})
    assert info.value.errors == {field: [message]}
    assert not Offer.objects.exists()


def test_create_refuses_bad_dates(application, recruiter):
    today = timezone.localdate()
    with pytest.raises(DomainError) as info:
        draft(application, recruiter, expires_on=today - datetime.timedelta(days=1))
    assert info.value.errors == {"expires_on": ["The expiry date must not be in the past."]}
    with pytest.raises(DomainError) as info:
        draft(
            application,
            recruiter,
            start_date=today + datetime.timedelta(days=5),
            expires_on=today + datetime.timedelta(days=6),
        )
    assert info.value.errors == {
        "expires_on": ["The offer must expire on or before the start date."]
    }
    assert not Offer.objects.exists()


# --- approvals ------------------------------------------------------------------------


def test_inside_the_band_the_hiring_manager_alone_approves(application, recruiter, hiring_manager):
    offer = draft(application, recruiter)
    offer_submit(offer=offer, actor=recruiter)
    assert offer.status == "pending_approval"
    approval = offer_approve(offer=offer, actor=hiring_manager, note="Good hire")
    assert (approval.role, approval.decision, approval.round) == ("hiring_manager", "approved", 1)
    assert offer.status == "approved"
    assert kinds(offer) == ["created", "submitted", "approved"]
    event = offer.events.get(kind="approved")
    assert (event.actor, event.note, event.data) == (
        hiring_manager,
        "Good hire",
        {"role": "hiring_manager", "round": 1, "status": "approved"},
    )
    assert offer.events.get(kind="submitted").data == {"round": 1, "required": ["hiring_manager"]}


@pytest.mark.parametrize("who", ["comp_admin", "recruiter", "other_recruiter"])
def test_inside_the_band_nobody_else_approves(application, recruiter, who, request):
    offer = draft(application, recruiter)
    offer_submit(offer=offer, actor=recruiter)
    with pytest.raises(PermissionDenied):
        offer_approve(offer=offer, actor=request.getfixturevalue(who))
    offer.refresh_from_db()
    assert offer.status == "pending_approval"
    assert not OfferApproval.objects.exists()


def test_a_manager_of_another_requisition_cannot_approve(application, recruiter, other_manager):
    offer = draft(application, recruiter)
    offer_submit(offer=offer, actor=recruiter)
    with pytest.raises(PermissionDenied) as info:
        offer_approve(offer=offer, actor=other_manager)
    assert info.value.message == services.SEE_DENIED
    assert kinds(offer) == ["created", "submitted"]


def test_outside_the_band_needs_a_justification_to_submit(application, recruiter):
    offer = draft(application, recruiter, base_salary=D("245000"))
    assert not offer.inside_band
    with pytest.raises(DomainError) as info:
        offer_submit(offer=offer, actor=recruiter)
    assert info.value.code == "justification_required"
    assert info.value.errors == {
        "justification": [
            "A base of $245,000 is outside the adjusted band ($155,000 to $230,000): write a "
            "justification for the compensation admin who approves it."
        ]
    }
    offer.refresh_from_db()
    assert offer.status == "draft"


def test_outside_the_band_needs_the_hiring_manager_and_a_compensation_admin(
    application, recruiter, hiring_manager, comp_admin
):
    offer = draft(application, recruiter, base_salary=D("245000"), justification=JUSTIFIED)
    offer_submit(offer=offer, actor=recruiter)
    assert offer.events.get(kind="submitted").data["required"] == [
        "hiring_manager",
        "compensation_admin",
    ]
    offer_approve(offer=offer, actor=hiring_manager)
    assert offer.status == "pending_approval"
    offer_approve(offer=offer, actor=comp_admin)
    assert offer.status == "approved"
    assert sorted(offer.approvals.values_list("role", "approver__username")) == [
        ("compensation_admin", "comp_admin"),
        ("hiring_manager", "hiring_manager"),
    ]


def test_below_the_band_is_outside_it_too(application, recruiter):
    offer = draft(application, recruiter, base_salary=D("150000"))
    assert not offer.inside_band


def test_nobody_approves_an_offer_they_drafted(application, comp_admin, hiring_manager):
    offer = draft(application, comp_admin, base_salary=D("245000"), justification=JUSTIFIED)
    offer_submit(offer=offer, actor=comp_admin)
    with pytest.raises(PermissionDenied) as info:
        offer_approve(offer=offer, actor=comp_admin)
    assert info.value.message == "Nobody approves an offer they drafted: another approver must."
    offer_approve(offer=offer, actor=hiring_manager)
    assert offer.status == "pending_approval"
    assert list(offer.approvals.values_list("role", flat=True)) == ["hiring_manager"]


def test_one_person_decides_for_one_role_per_round(guide, recruiter, comp_admin):
    both = make_user("both", access.HIRING_MANAGERS, access.COMPENSATION_ADMINS)
    application = at_offer_stage(recruiter=recruiter, hiring_manager=both)
    offer = draft(application, recruiter, base_salary=D("245000"), justification=JUSTIFIED)
    offer_submit(offer=offer, actor=recruiter)
    assert offer_approve(offer=offer, actor=both).role == "hiring_manager"
    with pytest.raises(Conflict) as info:
        offer_approve(offer=offer, actor=both)
    assert info.value.message.startswith("You already decided this round as hiring manager")
    offer_approve(offer=offer, actor=comp_admin)
    assert offer.status == "approved"


def test_a_role_already_decided_is_a_conflict(application, recruiter, comp_admin):
    second = make_user("second_comp_admin", access.COMPENSATION_ADMINS)
    offer = draft(application, recruiter, base_salary=D("245000"), justification=JUSTIFIED)
    offer_submit(offer=offer, actor=recruiter)
    offer_approve(offer=offer, actor=comp_admin)
    with pytest.raises(Conflict) as info:
        offer_approve(offer=offer, actor=second)
    assert info.value.message == (
        "The compensation admin's decision for this round was already recorded by comp_admin."
    )
    assert offer.approvals.count() == 1
    assert kinds(offer).count("approved") == 1


def test_an_unknown_role_names_the_valid_ones(application, recruiter, hiring_manager):
    offer = draft(application, recruiter)
    offer_submit(offer=offer, actor=recruiter)
    with pytest.raises(DomainError) as info:
        offer_approve(offer=offer, actor=hiring_manager, role="ceo")
    assert info.value.errors == {
        "role": ["Unknown role 'ceo'. Valid roles: hiring_manager, compensation_admin."]
    }


def test_reject_returns_to_draft_and_the_next_submission_is_a_new_round(
    application, recruiter, hiring_manager
):
    offer = draft(application, recruiter)
    offer_submit(offer=offer, actor=recruiter)
    with pytest.raises(DomainError) as info:
        offer_reject(offer=offer, actor=hiring_manager, note=" ")
    assert info.value.errors == {"note": ["Say why in a note."]}
    rejection = offer_reject(offer=offer, actor=hiring_manager, note="Start date too late")
    assert (rejection.decision, rejection.round) == ("rejected", 1)
    assert (offer.status, offer.round) == ("draft", 2)
    offer_update(offer=offer, actor=recruiter, start_date=offer.start_date - datetime.timedelta(1))
    offer_submit(offer=offer, actor=recruiter)
    offer_approve(offer=offer, actor=hiring_manager)
    assert offer.status == "approved"
    assert list(offer.approvals.values_list("round", "decision")) == [
        (1, "rejected"),
        (2, "approved"),
    ]
    assert kinds(offer) == ["created", "submitted", "rejected", "updated", "submitted", "approved"]
    assert offer.events.get(kind="rejected").note == "Start date too late"


# --- updates and rounds ---------------------------------------------------------------


def test_update_a_draft_records_old_and_new(application, recruiter):
    offer = draft(application, recruiter)
    offer_update(offer=offer, actor=recruiter, base_salary=D("195000"), equity=D("1000"))
    assert (offer.base_salary, offer.equity, offer.status, offer.round) == (
        D("195000"),
        D("1000"),
        "draft",
        1,
    )
    event = offer.events.get(kind="updated")
    assert event.data == {
        "base_salary": ["193000.00", "195000.00"],
        "equity": ["0.00", "1000.00"],
    }
    offer_update(offer=offer, actor=recruiter, base_salary="195000")  # no change, no event
    assert kinds(offer) == ["created", "updated"]


@pytest.mark.parametrize("submitted_to", ["pending_approval", "approved"])
def test_an_amount_changed_after_submission_returns_for_approval(
    application, recruiter, hiring_manager, submitted_to
):
    offer = draft(application, recruiter)
    offer_submit(offer=offer, actor=recruiter)
    if submitted_to == "approved":
        offer_approve(offer=offer, actor=hiring_manager)
    assert offer.status == submitted_to
    offer_update(offer=offer, actor=recruiter, sign_on_bonus=D("10000"), note="Relocation")
    assert (offer.status, offer.round) == ("pending_approval", 2)
    event = offer.events.get(kind="returned_for_approval")
    assert (event.actor, event.note, event.data) == (
        recruiter,
        "Relocation",
        {"sign_on_bonus": ["0.00", "10000.00"], "round": 2},
    )
    offer_approve(offer=offer, actor=hiring_manager)  # a new round: the manager decides again
    assert offer.status == "approved"


def test_a_date_change_after_approval_keeps_the_approval(application, recruiter, hiring_manager):
    offer = approved(application, drafter=recruiter, hiring_manager=hiring_manager)
    offer_update(offer=offer, actor=recruiter, expires_on=offer.expires_on + datetime.timedelta(1))
    assert (offer.status, offer.round) == ("approved", 1)
    assert kinds(offer)[-1] == "updated"


def test_moving_the_base_outside_the_band_after_submission_needs_a_justification(
    application, recruiter, hiring_manager
):
    offer = approved(application, drafter=recruiter, hiring_manager=hiring_manager)
    with pytest.raises(DomainError) as info:
        offer_update(offer=offer, actor=recruiter, base_salary=D("250000"))
    assert info.value.code == "justification_required"
    offer.refresh_from_db()
    assert (offer.status, offer.base_salary) == ("approved", D("193000"))
    offer_update(offer=offer, actor=recruiter, base_salary=D("250000"), justification=JUSTIFIED)
    assert offer.status == "pending_approval"


def test_the_hiring_manager_may_not_edit(application, recruiter, hiring_manager):
    offer = draft(application, recruiter)
    with pytest.raises(PermissionDenied):
        offer_update(offer=offer, actor=hiring_manager, base_salary=D("200000"))
    offer.refresh_from_db()
    assert offer.base_salary == D("193000")


# --- the state machine ----------------------------------------------------------------


def test_an_action_the_status_does_not_allow_names_the_status_and_the_actions(
    application, recruiter
):
    offer = draft(application, recruiter)
    with pytest.raises(InvalidState) as info:
        offer_send(offer=offer, actor=recruiter)
    assert info.value.status_code == 409
    assert info.value.code == "invalid_state"
    assert info.value.message == (
        "Cannot send an offer that is draft. Allowed now: update, submit, rescind."
    )
    assert info.value.extra == {
        "status": "draft",
        "allowed_actions": ["update", "submit", "rescind"],
    }
    offer.refresh_from_db()
    assert offer.status == "draft"


def test_a_sent_offer_cannot_change(application, recruiter, hiring_manager):
    offer = approved(application, drafter=recruiter, hiring_manager=hiring_manager)
    offer_send(offer=offer, actor=recruiter)
    with pytest.raises(DomainError) as info:
        offer_update(offer=offer, actor=recruiter, base_salary=D("200000"))
    assert info.value.message == (
        "Cannot update an offer that is sent. Allowed now: accept, decline, rescind."
    )


def test_the_hiring_manager_may_not_send(application, recruiter, hiring_manager):
    offer = approved(application, drafter=recruiter, hiring_manager=hiring_manager)
    with pytest.raises(PermissionDenied):
        offer_send(offer=offer, actor=hiring_manager)
    offer.refresh_from_db()
    assert offer.status == "approved"


def test_accept_hires_and_fills_the_requisition_at_headcount(
    application, recruiter, hiring_manager
):
    offer = approved(application, drafter=recruiter, hiring_manager=hiring_manager)
    offer_send(offer=offer, actor=recruiter)
    assert offer.status == "sent" and offer.sent_at is not None
    offer_accept(offer=offer, actor=recruiter, note="Signed")
    assert offer.status == "accepted" and offer.decided_at is not None
    application.refresh_from_db()
    application.requisition.refresh_from_db()
    assert application.stage == "hired"
    assert application.requisition.status == Requisition.Status.FILLED
    change = StageChange.objects.filter(application=application).latest("at")
    assert (change.from_stage, change.to_stage, change.actor, change.note) == (
        "offer",
        "hired",
        recruiter,
        "Signed",
    )
    assert kinds(offer) == ["created", "submitted", "approved", "sent", "accepted"]


def test_accept_below_headcount_leaves_the_requisition_open(guide, recruiter, hiring_manager):
    application = at_offer_stage(recruiter=recruiter, hiring_manager=hiring_manager, headcount=2)
    offer = approved(application, drafter=recruiter, hiring_manager=hiring_manager)
    offer_send(offer=offer, actor=recruiter)
    offer_accept(offer=offer, actor=recruiter)
    application.requisition.refresh_from_db()
    assert application.requisition.status == Requisition.Status.OPEN


def test_accept_is_all_or_nothing(application, recruiter, hiring_manager, comp_admin):
    offer = approved(application, drafter=recruiter, hiring_manager=hiring_manager)
    offer_send(offer=offer, actor=recruiter)
    # The candidate withdrew meanwhile: hiring is refused, and the offer stays sent.
    application_move(
        application=application,
        to_stage="withdrawn",
        expected_stage="offer",
        actor=comp_admin,
        reason="other",
    )
    with pytest.raises(Conflict):
        offer_accept(offer=offer, actor=recruiter)
    offer.refresh_from_db()
    assert offer.status == "sent"
    assert "accepted" not in kinds(offer)


def test_decline_needs_a_reason_from_the_catalogue(application, recruiter, hiring_manager):
    offer = approved(application, drafter=recruiter, hiring_manager=hiring_manager)
    offer_send(offer=offer, actor=recruiter)
    with pytest.raises(DomainError) as info:
        offer_decline(offer=offer, actor=recruiter, reason="bored")
    assert info.value.errors == {
        "reason": [
            "Unknown decline reason 'bored'. Valid reasons: compensation, "
            "accepted-another-offer, role-or-location, timing, other."
        ]
    }
    offer_decline(offer=offer, actor=recruiter, reason="compensation", note="Wants 220k")
    assert (offer.status, offer.decline_reason.code) == ("declined", "compensation")
    assert offer.events.get(kind="declined").data == {"reason": "compensation"}
    application.refresh_from_db()
    assert application.stage == "offer"  # a new offer may follow
    assert draft(application, recruiter, base_salary=D("215000")).status == "draft"


def test_rescind_needs_a_note_and_is_final(application, recruiter, hiring_manager):
    offer = approved(application, drafter=recruiter, hiring_manager=hiring_manager)
    with pytest.raises(DomainError) as info:
        offer_rescind(offer=offer, actor=recruiter, note="")
    assert info.value.errors == {"note": ["Say why in a note."]}
    offer_rescind(offer=offer, actor=recruiter, note="Headcount frozen")
    assert offer.status == "rescinded"
    with pytest.raises(DomainError) as info:
        offer_submit(offer=offer, actor=recruiter)
    assert info.value.message == (
        "Cannot submit an offer that is rescinded: nothing more can happen to it."
    )
    assert info.value.extra["allowed_actions"] == []


def test_send_refuses_an_offer_past_its_expiry_date(application, recruiter, hiring_manager):
    offer = approved(application, drafter=recruiter, hiring_manager=hiring_manager)
    Offer.objects.filter(pk=offer.pk).update(
        expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    with pytest.raises(DomainError) as info:
        offer_send(offer=offer, actor=recruiter)
    assert list(info.value.errors) == ["expires_on"]
    offer.refresh_from_db()
    assert offer.status == "approved"


# --- expiry ---------------------------------------------------------------------------


def test_expiry_closes_approved_and_sent_offers_past_their_date(guide, recruiter, hiring_manager):
    apps = [at_offer_stage(recruiter=recruiter, hiring_manager=hiring_manager) for _ in range(4)]
    sent = approved(apps[0], drafter=recruiter, hiring_manager=hiring_manager)
    offer_send(offer=sent, actor=recruiter)
    approved_only = approved(apps[1], drafter=recruiter, hiring_manager=hiring_manager)
    drafted = draft(apps[2], recruiter)
    future = approved(apps[3], drafter=recruiter, hiring_manager=hiring_manager)
    today = timezone.localdate()
    Offer.objects.exclude(pk=future.pk).update(expires_on=today - datetime.timedelta(days=1))
    Offer.objects.filter(pk=future.pk).update(expires_on=today)
    assert offers_expire(today=today) == 2
    statuses = dict(Offer.objects.values_list("pk", "status"))
    assert statuses == {
        sent.pk: "expired",
        approved_only.pk: "expired",
        drafted.pk: "draft",
        future.pk: "approved",
    }
    event = sent.events.get(kind="expired")
    assert (event.actor, event.data["from"]) == (None, "sent")
    assert offers_expire(today=today) == 0  # safe to run twice
    assert OfferEvent.objects.filter(kind="expired").count() == 2


def test_the_expiry_task_calls_the_service(application, recruiter, hiring_manager):
    offer = approved(application, drafter=recruiter, hiring_manager=hiring_manager)
    Offer.objects.filter(pk=offer.pk).update(
        expires_on=timezone.localdate() - datetime.timedelta(days=2)
    )
    assert expire_offers() == 1
    offer.refresh_from_db()
    assert offer.status == "expired"


# --- mail hooks -----------------------------------------------------------------------


@pytest.fixture
def outbox(monkeypatch):
    """Stands in for core.mail and offers.letters: records what the hooks enqueue."""
    sent = []
    mail = SimpleNamespace(email_enqueue=lambda **kw: sent.append(kw))
    letters = SimpleNamespace(
        letter_store=lambda offer: f"letters/{offer.pk}.pdf",
        letter_filename=lambda offer: f"offer-{offer.pk}.pdf",
        CONTENT_TYPE="application/pdf",
    )
    monkeypatch.setattr(services, "mail", mail)
    monkeypatch.setattr(services, "letters", letters)
    return sent


def test_approvers_are_emailed_after_commit_when_an_offer_waits(
    application, recruiter, hiring_manager, comp_admin, outbox, django_capture_on_commit_callbacks
):
    # Only the two named approvers: the module's cast also has a superuser, who would be one.
    User.objects.filter(is_superuser=True).delete()
    offer = draft(application, recruiter, base_salary=D("245000"), justification=JUSTIFIED)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        offer_submit(offer=offer, actor=recruiter)
    assert len(callbacks) == 1
    assert sorted((m["to"], m["dedupe_key"]) for m in outbox) == [
        (["comp_admin@example.com"], f"offer:{offer.pk}:round:1:approver:{comp_admin.pk}"),
        (["hiring_manager@example.com"], f"offer:{offer.pk}:round:1:approver:{hiring_manager.pk}"),
    ]
    assert all("waits for your approval" in m["subject"] for m in outbox)
    assert all("$245,000" in m["body"] for m in outbox)


def test_sending_emails_the_letter_to_the_candidate(
    application, recruiter, hiring_manager, outbox, django_capture_on_commit_callbacks
):
    offer = approved(application, drafter=recruiter, hiring_manager=hiring_manager)
    outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        offer_send(offer=offer, actor=recruiter)
    assert len(outbox) == 1
    mail = outbox[0]
    assert mail["to"] == [application.candidate.email]
    assert mail["dedupe_key"] == f"offer:{offer.pk}:letter"
    assert mail["actor"] == recruiter
    assert mail["attachments"] == [
        {
            "filename": f"offer-{offer.pk}.pdf",
            "content_type": "application/pdf",
            "storage_name": f"letters/{offer.pk}.pdf",
        }
    ]
