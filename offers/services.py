"""Offer writes: create, update, submit, approve, reject, send, accept, decline, rescind, expire.

Every service takes the ``actor``, checks who may act (``offers.permissions``)
and whether the offer's status allows the action (``offers.states``, a 409
``invalid_state`` naming the status and the allowed actions), locks the offer
row, and writes an ``OfferEvent`` with the actor and the time in the same
transaction. Accepting hires through ``hiring.services.applications
.application_hire``, the one place hired happens.

Mail leaves through two hooks run after commit, ``_notify_approvers`` and
``_send_letter``; they use ``core.mail`` (and ``offers.letters``) when those
modules exist and do nothing otherwise.
"""

from __future__ import annotations

import datetime
import logging
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from core import access, mail
from core.errors import Conflict, DomainError, InvalidState, PermissionDenied
from core.money import format_money
from hiring.models import Application, Requisition
from hiring.services.applications import application_hire
from hiring.stages import Stage
from offers import letters, permissions, states
from offers.models import DeclineReason, Offer, OfferApproval, OfferEvent
from offers.selectors import recommend_for_application
from offers.states import Action, OfferStatus

logger = logging.getLogger(__name__)

Kind = OfferEvent.Kind
Role = OfferApproval.Role
AMOUNT_FIELDS = ("base_salary", "sign_on_bonus", "equity")
TERMS_FIELDS = ("start_date", "expires_on", "justification")
#: Above this, an amount is a typo (ten million in the offer's currency).
MAX_AMOUNT = Decimal("10000000")
CENT = Decimal("0.01")
NOTE_MAX_LENGTH = 2000
UNCHANGED = None

MANAGE_DENIED = "Only recruiters and compensation admins draft, send and close offers."
SEE_DENIED = "Offers are shown only to those who see this requisition's pay."


def offer_create(
    *,
    application: Application,
    actor,
    base_salary: Decimal | int | str | None = None,
    sign_on_bonus: Decimal | int | str = 0,
    equity: Decimal | int | str = 0,
    start_date: datetime.date,
    expires_on: datetime.date,
    justification: str = "",
    as_of: datetime.date | None = None,
) -> Offer:
    """Draft an offer from the recommendation for ``application``.

    The base defaults to the recommended base. The band version, the adjusted
    band and the recommendation shown are frozen on the offer. The application
    must be at the offer stage on an open requisition.
    """
    _check_manager(actor)
    _check_application(application)
    recommended = recommend_for_application(application, as_of=as_of)
    result = recommended.result
    base = result.recommended_base if base_salary is None else base_salary
    amounts = _clean_amounts(base_salary=base, sign_on_bonus=sign_on_bonus, equity=equity)
    _check_dates(start_date=start_date, expires_on=expires_on)
    offer = Offer(
        application=application,
        created_by=actor,
        **amounts,
        currency=recommended.band.currency,
        start_date=start_date,
        expires_on=expires_on,
        band=recommended.band,
        adjusted_min=result.adjusted.low,
        adjusted_max=result.adjusted.high,
        recommendation=result.as_dict(),
        justification=(justification or "").strip(),
    )
    offer._history_user = actor
    try:
        with transaction.atomic():
            offer.save()
            _event(offer, Kind.CREATED, actor, data=_snapshot(offer))
    except IntegrityError as exc:  # a concurrent second offer
        raise _open_offer_exists() from exc
    return offer


def offer_update(
    *,
    offer: Offer,
    actor,
    base_salary: Decimal | int | str | None = UNCHANGED,
    sign_on_bonus: Decimal | int | str | None = UNCHANGED,
    equity: Decimal | int | str | None = UNCHANGED,
    start_date: datetime.date | None = UNCHANGED,
    expires_on: datetime.date | None = UNCHANGED,
    justification: str | None = UNCHANGED,
    note: str = "",
) -> Offer:
    """Change amounts, dates or justification until the offer is sent (``None``: unchanged).

    After submission, a changed amount returns the offer for approval in a new
    round (event ``returned_for_approval``): approvals of earlier rounds no
    longer count. Dates and justification alone keep the approvals.
    """
    asked = {
        "base_salary": base_salary,
        "sign_on_bonus": sign_on_bonus,
        "equity": equity,
        "start_date": start_date,
        "expires_on": expires_on,
        "justification": justification,
    }
    with transaction.atomic():
        locked = _lock(offer)
        _check_manager(actor, locked)
        _check_state(locked, Action.UPDATE)
        changes = _changes(locked, {k: v for k, v in asked.items() if v is not None})
        if not changes:
            return offer
        for field, (_old, new) in changes.items():
            setattr(locked, field, new)
        if {"start_date", "expires_on"} & set(changes):
            _check_dates(start_date=locked.start_date, expires_on=locked.expires_on)
        returned = locked.status != OfferStatus.DRAFT and bool(set(changes) & set(AMOUNT_FIELDS))
        data = {field: [_plain(old), _plain(new)] for field, (old, new) in changes.items()}
        if returned:
            _check_justified(locked)
            locked.round += 1
            locked.status = OfferStatus.PENDING_APPROVAL
            data["round"] = locked.round
        _save(locked, actor)
        _event(locked, Kind.RETURNED_FOR_APPROVAL if returned else Kind.UPDATED, actor, note, data)
        if returned:
            _after_commit(_notify_approvers, locked.pk)
    offer.refresh_from_db()
    return offer


def offer_submit(*, offer: Offer, actor, note: str = "") -> Offer:
    """Ask for approval: the hiring manager, and a compensation admin outside the band."""
    with transaction.atomic():
        locked = _lock(offer)
        _check_manager(actor, locked)
        _check_state(locked, Action.SUBMIT)
        _check_application_at_offer(locked.application)
        _check_justified(locked)
        _check_dates(start_date=locked.start_date, expires_on=locked.expires_on)
        locked.status = OfferStatus.PENDING_APPROVAL
        _save(locked, actor)
        roles = [str(r) for r in permissions.required_roles(locked)]
        _event(locked, Kind.SUBMITTED, actor, note, {"round": locked.round, "required": roles})
        _after_commit(_notify_approvers, locked.pk)
    offer.refresh_from_db()
    return offer


def offer_approve(*, offer: Offer, actor, note: str = "", role: str | None = None) -> OfferApproval:
    """Record ``actor``'s approval for one role; the offer is approved once every required
    role has approved in the current round. The offer row is locked, and the database
    allows one decision per role and round, so two approvers at once never both count."""
    return _decide(offer=offer, actor=actor, note=note, role=role, decision="approved")


def offer_reject(*, offer: Offer, actor, note: str, role: str | None = None) -> OfferApproval:
    """Refuse the offer for one role (a note is required): it returns to draft, and the
    next submission is a new approval round."""
    return _decide(offer=offer, actor=actor, note=note, role=role, decision="rejected")


def offer_send(*, offer: Offer, actor, note: str = "") -> Offer:
    """Send an approved offer to the candidate (the letter is emailed after commit)."""
    with transaction.atomic():
        locked = _lock(offer)
        _check_manager(actor, locked)
        _check_state(locked, Action.SEND)
        _check_application_at_offer(locked.application)
        if locked.expires_on < timezone.localdate():
            raise DomainError.for_field(
                "expires_on",
                f"This offer's expiry date ({locked.expires_on.isoformat()}) has passed; "
                "set a later one before sending.",
            )
        locked.status = OfferStatus.SENT
        locked.sent_at = timezone.now()
        _save(locked, actor)
        _event(locked, Kind.SENT, actor, note)
        _after_commit(_send_letter, locked.pk, actor.pk)
    offer.refresh_from_db()
    return offer


def offer_accept(*, offer: Offer, actor, note: str = "") -> Offer:
    """Record the candidate's acceptance and hire them (``application_hire``), which may
    fill the requisition. Both happen in one transaction, or neither."""
    with transaction.atomic():
        locked = _lock(offer)
        _check_manager(actor, locked)
        _check_state(locked, Action.ACCEPT)
        locked.status = OfferStatus.ACCEPTED
        locked.decided_at = timezone.now()
        _save(locked, actor)
        _event(locked, Kind.ACCEPTED, actor, note)
        application_hire(
            application=locked.application,
            actor=actor,
            expected_stage=Stage.OFFER,
            note=note or f"Accepted offer #{locked.pk}.",
        )
    offer.refresh_from_db()
    return offer


def offer_decline(*, offer: Offer, actor, reason: DeclineReason | str, note: str = "") -> Offer:
    """Record that the candidate declined, with a reason from the catalogue. The
    application stays at the offer stage: a new offer may follow."""
    with transaction.atomic():
        locked = _lock(offer)
        _check_manager(actor, locked)
        _check_state(locked, Action.DECLINE)
        locked.decline_reason = _resolve_reason(reason)
        locked.status = OfferStatus.DECLINED
        locked.decided_at = timezone.now()
        _save(locked, actor)
        _event(locked, Kind.DECLINED, actor, note, {"reason": locked.decline_reason.code})
    offer.refresh_from_db()
    return offer


def offer_rescind(*, offer: Offer, actor, note: str) -> Offer:
    """Withdraw the offer (a note is required). Nothing leaves rescinded."""
    note = _required_note(note)
    with transaction.atomic():
        locked = _lock(offer)
        _check_manager(actor, locked)
        _check_state(locked, Action.RESCIND)
        locked.status = OfferStatus.RESCINDED
        locked.decided_at = timezone.now()
        _save(locked, actor)
        _event(locked, Kind.RESCINDED, actor, note)
    offer.refresh_from_db()
    return offer


def offers_expire(*, today: datetime.date) -> int:
    """Expire every approved or sent offer whose expiry date is before ``today``.

    Run by the scheduled task; the events have no actor (the system). Returns
    how many offers expired. Safe to run twice: expired offers are not picked again.
    """
    expirable = [s for s, row in states.TRANSITIONS.items() if Action.EXPIRE in row]
    with transaction.atomic():
        due = list(
            Offer.objects.select_for_update()
            .filter(status__in=expirable, expires_on__lt=today)
            .order_by("pk")
        )
        for offer in due:
            was = offer.status
            offer.status = OfferStatus.EXPIRED
            offer.decided_at = timezone.now()
            _save(offer, None)
            _event(
                offer,
                Kind.EXPIRED,
                None,
                data={"from": was, "expires_on": _plain(offer.expires_on)},
            )
    return len(due)


# --- approvals -------------------------------------------------------------------------


def _decide(*, offer: Offer, actor, note: str, role: str | None, decision: str) -> OfferApproval:
    if decision == OfferApproval.Decision.REJECTED:
        note = _required_note(note)
    action = Action.APPROVE if decision == OfferApproval.Decision.APPROVED else Action.REJECT
    with transaction.atomic():
        locked = _lock(offer)
        _check_may_decide(actor, locked)
        _check_state(locked, action)
        role = _pending_role(actor, locked, role)
        approval = _record(locked, actor=actor, role=role, decision=decision, note=note)
        data = {"role": role, "round": locked.round}
        if decision == OfferApproval.Decision.REJECTED:
            locked.status = OfferStatus.DRAFT
            locked.round += 1
            _save(locked, actor)
            _event(locked, Kind.REJECTED, actor, note, data)
        else:
            if _approved_roles(locked) >= set(permissions.required_roles(locked)):
                locked.status = OfferStatus.APPROVED
                _save(locked, actor)
            _event(locked, Kind.APPROVED, actor, note, {**data, "status": locked.status})
    offer.refresh_from_db()
    return approval


def _check_may_decide(actor, offer: Offer) -> None:
    if actor is None or not permissions.sees_offer(actor, offer):
        raise PermissionDenied(SEE_DENIED)
    if offer.created_by_id == actor.pk:
        raise PermissionDenied("Nobody approves an offer they drafted: another approver must.")
    if not permissions.roles_of(actor, offer):
        raise PermissionDenied(
            "Offers are approved by the requisition's hiring manager and, outside the "
            "adjusted band, a compensation admin."
        )


def _pending_role(actor, offer: Offer, asked: str | None) -> str:
    """The role ``actor`` decides for: one still waiting in this round that they may fill."""
    this_round = list(offer.approvals.filter(round=offer.round))
    open_roles = [
        r
        for r in permissions.decidable_roles(actor, offer, this_round)
        if asked is None or r == asked
    ]
    if open_roles:
        return open_roles[0]
    # Nothing to decide: say why.
    decided = {a.role: a for a in this_round}
    mine = [a for a in decided.values() if a.approver_id == actor.pk]
    if mine:
        raise Conflict(
            f"You already decided this round as {Role(mine[0].role).label.lower()}; "
            "another person must decide for the other role."
        )
    required = permissions.required_roles(offer)
    fillable = [r for r in permissions.roles_of(actor, offer) if r in required]
    if asked is not None:
        if asked not in Role.values:
            raise DomainError.for_field(
                "role", f"Unknown role '{asked}'. Valid roles: {', '.join(Role.values)}."
            )
        fillable = [r for r in fillable if r == asked]
    if not fillable:
        raise PermissionDenied(_not_your_role(offer, required))
    taken = decided[fillable[0]]
    raise Conflict(
        f"The {Role(taken.role).label.lower()}'s decision for this round was already "
        f"recorded by {taken.approver.get_username()}.",
        extra={"status": offer.status},
    )


def _not_your_role(offer: Offer, required) -> str:
    if Role.COMPENSATION_ADMIN not in required:
        return (
            "This offer is inside the adjusted band: "
            "only the requisition's hiring manager approves it."
        )
    return "Only the requisition's hiring manager and compensation admins approve this offer."


def _record(offer: Offer, *, actor, role: str, decision: str, note: str) -> OfferApproval:
    try:
        with transaction.atomic():
            return OfferApproval.objects.create(
                offer=offer,
                round=offer.round,
                role=role,
                approver=actor,
                decision=decision,
                note=note,
                decided_at=timezone.now(),
            )
    except IntegrityError as exc:  # the backstop where rows are not locked (SQLite)
        raise Conflict(
            f"The {Role(role).label.lower()}'s decision for this round was already recorded."
        ) from exc


def _approved_roles(offer: Offer) -> set[str]:
    return set(
        offer.approvals.filter(
            round=offer.round, decision=OfferApproval.Decision.APPROVED
        ).values_list("role", flat=True)
    )


# --- checks ----------------------------------------------------------------------------


def _check_manager(actor, offer: Offer | None = None) -> None:
    if offer is not None and (actor is None or not permissions.sees_offer(actor, offer)):
        raise PermissionDenied(SEE_DENIED)
    if not permissions.can_manage_offers(actor):
        raise PermissionDenied(MANAGE_DENIED)


def _check_state(offer: Offer, action: str) -> None:
    if states.next_status(offer.status, action) is None:
        message = states.refusal(offer.status, action)
        raise InvalidState(
            message,
            errors={"status": [message]},
            extra={
                "status": offer.status,
                "allowed_actions": list(states.allowed_actions(offer.status)),
            },
        )


def _check_application(application: Application) -> None:
    requisition = application.requisition
    if requisition.status != Requisition.Status.OPEN:
        raise DomainError.for_field(
            "application",
            f"Offers are made on open requisitions; this one is "
            f"{requisition.get_status_display().lower()}.",
            code="requisition_not_open",
        )
    _check_application_at_offer(application)
    if Offer.objects.filter(application=application, status__in=states.OPEN_STATUSES).exists():
        raise _open_offer_exists()


def _check_application_at_offer(application: Application) -> None:
    current = Application.objects.filter(pk=application.pk).values_list("stage", flat=True).first()
    if current != Stage.OFFER:
        raise DomainError.for_field(
            "application",
            f"An offer is made at the offer stage; this application is at "
            f"{Stage(current).label.lower()}. Move it to Offer first.",
            code="application_not_at_offer",
            extra={"stage": current},
        )


def _check_justified(offer: Offer) -> None:
    if not offer.inside_band and not offer.justification.strip():
        currency = offer.currency
        message = (
            f"A base of {format_money(offer.base_salary, currency)} is outside the adjusted band "
            f"({format_money(offer.adjusted_min, currency)} to "
            f"{format_money(offer.adjusted_max, currency)}): write a justification for the "
            "compensation admin who approves it."
        )
        raise DomainError.for_field("justification", message, code="justification_required")


def _check_dates(*, start_date: datetime.date, expires_on: datetime.date) -> None:
    for field, value in (("start_date", start_date), ("expires_on", expires_on)):
        if not isinstance(value, datetime.date):
            raise DomainError.for_field(field, "A date is required (YYYY-MM-DD).")
    if expires_on < timezone.localdate():
        raise DomainError.for_field("expires_on", "The expiry date must not be in the past.")
    if expires_on > start_date:
        raise DomainError.for_field(
            "expires_on", "The offer must expire on or before the start date."
        )


def _clean_amounts(**amounts) -> dict[str, Decimal]:
    return {field: _amount(field, value) for field, value in amounts.items()}


def _amount(field: str, value) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise DomainError.for_field(field, "Enter an amount as a number.") from None
    if not amount.is_finite():
        raise DomainError.for_field(field, "Enter an amount as a number.")
    if amount < 0 or (field == "base_salary" and amount == 0):
        raise DomainError.for_field(
            field,
            "The base salary must be more than zero."
            if field == "base_salary"
            else "The amount must not be negative.",
        )
    if amount > MAX_AMOUNT:
        raise DomainError.for_field(
            field, f"The amount must not exceed {format_money(MAX_AMOUNT)}."
        )
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _changes(offer: Offer, asked: dict) -> dict[str, tuple]:
    cleaned = {}
    for field, value in asked.items():
        if field in AMOUNT_FIELDS:
            cleaned[field] = _amount(field, value)
        elif field == "justification":
            cleaned[field] = str(value).strip()
        else:
            cleaned[field] = value
    return {
        field: (getattr(offer, field), value)
        for field, value in cleaned.items()
        if getattr(offer, field) != value
    }


def _resolve_reason(reason: DeclineReason | str) -> DeclineReason:
    code = reason.code if isinstance(reason, DeclineReason) else str(reason or "")
    row = DeclineReason.objects.filter(code=code, is_active=True).first()
    if row is None:
        codes = ", ".join(
            DeclineReason.objects.filter(is_active=True).values_list("code", flat=True)
        )
        raise DomainError.for_field(
            "reason", f"Unknown decline reason '{code}'. Valid reasons: {codes}."
        )
    return row


def _required_note(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise DomainError.for_field("note", "Say why in a note.")
    if len(note) > NOTE_MAX_LENGTH:
        raise DomainError.for_field("note", f"Keep the note under {NOTE_MAX_LENGTH} characters.")
    return note


def _open_offer_exists() -> DomainError:
    return DomainError.for_field(
        "application",
        "This application already has an open offer; change or rescind it instead.",
        code="open_offer_exists",
    )


# --- writes ----------------------------------------------------------------------------


def _lock(offer: Offer) -> Offer:
    return (
        Offer.objects.select_for_update(of=("self",))
        .select_related("application__requisition", "application__candidate")
        .get(pk=offer.pk)
    )


def _save(offer: Offer, actor) -> None:
    offer._history_user = actor
    offer.save()


def _event(offer: Offer, kind: str, actor, note: str = "", data: dict | None = None) -> OfferEvent:
    return OfferEvent.objects.create(
        offer=offer,
        kind=kind,
        actor=actor,
        at=timezone.now(),
        note=(note or "").strip(),
        data=data or {},
    )


def _snapshot(offer: Offer) -> dict:
    return {
        "base_salary": _plain(offer.base_salary),
        "sign_on_bonus": _plain(offer.sign_on_bonus),
        "equity": _plain(offer.equity),
        "currency": offer.currency,
        "band": offer.band_id,
        "adjusted_band": [_plain(offer.adjusted_min), _plain(offer.adjusted_max)],
        "recommended_base": offer.recommendation.get("recommended_base"),
    }


def _plain(value):
    if isinstance(value, Decimal | datetime.date):
        return str(value)
    return value


# --- mail hooks (after commit) ---------------------------------------------------------


def _after_commit(hook, *args) -> None:
    # robust: a mail failure is logged and never turns a committed action into an error.
    transaction.on_commit(lambda: hook(*args), robust=True)


def _notify_approvers(offer_id: int) -> None:
    """Email each approver the offer now waits for (one email per person, round and offer)."""
    offer = Offer.objects.select_related("application__candidate", "application__requisition").get(
        pk=offer_id
    )
    if offer.status != OfferStatus.PENDING_APPROVAL:
        return
    for user in _waiting_approvers(offer):
        mail.email_enqueue(
            to=[user.email],
            subject=f"Offer for {offer.application.candidate.full_name} waits for your approval",
            body=_approval_body(offer),
            actor=None,
            dedupe_key=f"offer:{offer.pk}:round:{offer.round}:approver:{user.pk}",
        )


def _send_letter(offer_id: int, actor_id: int | None) -> None:
    """Email the offer letter (a PDF stored privately) to the candidate."""
    offer = Offer.objects.select_related("application__candidate", "application__requisition").get(
        pk=offer_id
    )
    attachments = [
        {
            "filename": letters.letter_filename(offer),
            "content_type": letters.CONTENT_TYPE,
            "storage_name": letters.letter_store(offer),
        }
    ]
    candidate = offer.application.candidate
    mail.email_enqueue(
        to=[candidate.email],
        subject=f"Your offer: {offer.application.requisition.title}",
        body=_letter_body(offer),
        attachments=attachments,
        actor=get_user_model().objects.filter(pk=actor_id).first(),
        dedupe_key=f"offer:{offer.pk}:letter",
    )


def _waiting_approvers(offer: Offer) -> list:
    """Everyone who could decide a role still open in this round (the same rule as approve)."""
    this_round = list(offer.approvals.filter(round=offer.round))
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    candidates = users.filter(
        Q(pk=offer.application.requisition.hiring_manager_id)
        | Q(groups__name=access.COMPENSATION_ADMINS)
        | Q(is_superuser=True)
    ).distinct()
    return [
        user
        for user in candidates.order_by("pk")
        if permissions.decidable_roles(user, offer, this_round)
    ]


def _approval_body(offer: Offer) -> str:
    money = lambda amount: format_money(amount, offer.currency)  # noqa: E731
    return (
        f"An offer for {offer.application.candidate.full_name} on "
        f"{offer.application.requisition.title} waits for your approval (round {offer.round}).\n"
        f"Base: {money(offer.base_salary)} (adjusted band {money(offer.adjusted_min)} to "
        f"{money(offer.adjusted_max)}); sign-on bonus {money(offer.sign_on_bonus)}; "
        f"equity {money(offer.equity)}.\n"
        + (f"Justification: {offer.justification}\n" if offer.justification else "")
    )


def _letter_body(offer: Offer) -> str:
    candidate = offer.application.candidate
    return (
        f"Dear {candidate.full_name},\n\n"
        f"We are delighted to offer you the role of {offer.application.requisition.title}, "
        f"starting on {offer.start_date.isoformat()}, with a base salary of "
        f"{format_money(offer.base_salary, offer.currency)}. The letter is attached; "
        f"the offer is open until {offer.expires_on.isoformat()}.\n"
    )
