"""Requisition writes: create, update (incl. status), with the posted pay range.

The posted range comes from the band in effect for the track, level and zone
(``roles.selectors.priced_band``); the exact band version is stored. A
recruiter may narrow the range inside the adjusted band, never widen it. With
no band in the role data a requisition can stay a draft but cannot open: the
product never invents a figure.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.errors import DomainError, PermissionDenied
from core.money import format_money
from hiring import permissions, rules
from hiring.models import Requisition
from roles.selectors import PricedBand, priced_band

EDITABLE_FIELDS = (
    "title",
    "track",
    "level",
    "zone",
    "remote_policy",
    "headcount",
    "hiring_manager",
    "recruiter",
    "target_on",
    "opened_on",
)
PRICING_FIELDS = ("track", "level", "zone")
UPDATABLE = frozenset({*EDITABLE_FIELDS, "posted_min", "posted_max", "status"})


def requisition_create(
    *,
    actor,
    title: str,
    track,
    level,
    zone,
    hiring_manager=None,
    remote_policy: str = Requisition.RemotePolicy.HYBRID,
    headcount: int = 1,
    recruiter=None,
    target_on: datetime.date | None = None,
    opened_on: datetime.date | None = None,
    posted_min: Decimal | None = None,
    posted_max: Decimal | None = None,
    status: str = Requisition.Status.DRAFT,
) -> Requisition:
    """Create a requisition; its posted range defaults to the adjusted band.

    Recruiters and compensation admins create drafts or open requisitions for any
    hiring manager; a hiring manager drafts for themselves (``hiring_manager``
    defaults to them). The people named must be in the right group.
    """
    requisition = requisition_build(
        actor=actor,
        title=title,
        track=track,
        level=level,
        zone=zone,
        hiring_manager=hiring_manager,
        remote_policy=remote_policy,
        headcount=headcount,
        recruiter=recruiter,
        target_on=target_on,
        opened_on=opened_on,
        posted_min=posted_min,
        posted_max=posted_max,
        status=status,
    )
    with transaction.atomic():
        _save(requisition, actor)
    return requisition


def requisition_build(*, actor, **fields: Any) -> Requisition:
    """Every check of ``requisition_create``, without saving: the unsaved requisition.

    The admin form calls it to show errors on its fields; create calls it before saving.
    """
    if not permissions.can_create_requisition(actor):
        raise PermissionDenied(
            "Only recruiters, compensation admins and hiring managers create requisitions."
        )
    status = fields.pop("status", Requisition.Status.DRAFT)
    posted_min, posted_max = fields.pop("posted_min", None), fields.pop("posted_max", None)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(f"Unknown fields: {', '.join(sorted(unknown))}.")
    if status not in (Requisition.Status.DRAFT, Requisition.Status.OPEN):
        raise DomainError.for_field("status", "A new requisition starts as draft or open.")
    manages = permissions.can_manage_requisitions(actor)
    if not manages:
        if status != Requisition.Status.DRAFT:
            raise DomainError.for_field(
                "status", "Hiring managers create drafts; a recruiter opens them."
            )
        if fields.get("hiring_manager") not in (None, actor):
            raise DomainError.for_field(
                "hiring_manager", "A hiring manager drafts requisitions for themselves."
            )
        fields["hiring_manager"] = actor
    elif fields.get("hiring_manager") is None:
        raise DomainError.for_field("hiring_manager", "This field is required.")
    _check_people(fields)
    requisition = Requisition(**fields, status=Requisition.Status.DRAFT, created_by=actor)
    _price(requisition, posted_min=posted_min, posted_max=posted_max, repriced=True)
    if status == Requisition.Status.OPEN:
        _open(requisition)
    _validate(requisition)
    return requisition


def requisition_update(*, requisition: Requisition, actor, **changes: Any) -> Requisition:
    """Change fields and/or status (``status=...``) of a requisition.

    Changing track, level or zone re-prices it from the band in effect; the
    posted range resets to the new band unless new bounds are given. Every
    write path (pages, API, admin) comes through here, so all reprice alike.
    """
    with transaction.atomic():
        locked = Requisition.objects.select_for_update().get(pk=requisition.pk)
        _apply(locked, actor, changes)
        _save(locked, actor)
    requisition.refresh_from_db()  # callers holding the instance see the saved state
    return locked


def requisition_update_check(*, requisition: Requisition, actor, **changes: Any) -> Requisition:
    """Every check of ``requisition_update`` on a fresh copy, without saving it."""
    copy = Requisition.objects.get(pk=requisition.pk)
    _apply(copy, actor, changes)
    return copy


def requisition_price(*, track, level, zone) -> PricedBand | None:
    """The band and adjusted range a requisition with these values would post."""
    return priced_band(track=track, level=level, zone=zone)


def _apply(requisition: Requisition, actor, changes: dict[str, Any]) -> None:
    """Apply ``changes`` to ``requisition`` in memory, checking the actor and every rule."""
    if not permissions.can_edit_requisition(actor, requisition):
        raise PermissionDenied("You may not change this requisition.")
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise DomainError(f"Unknown fields: {', '.join(sorted(unknown))}.")
    if not permissions.can_manage_requisitions(actor):
        if changes.get("status", requisition.status) != requisition.status:
            raise DomainError.for_field("status", "Only a recruiter changes the status.")
        if _pk(changes.get("hiring_manager", requisition.hiring_manager_id)) != (
            requisition.hiring_manager_id
        ):
            raise DomainError.for_field(
                "hiring_manager", "Only a recruiter hands a requisition to another manager."
            )
    _check_people({k: v for k, v in changes.items() if k in ("hiring_manager", "recruiter")})
    repriced = any(
        k in changes and _pk(changes[k]) != getattr(requisition, f"{k}_id") for k in PRICING_FIELDS
    )
    for name in EDITABLE_FIELDS:
        if name in changes:
            setattr(requisition, name, changes[name])
    has_bounds = "posted_min" in changes or "posted_max" in changes
    if repriced or has_bounds:
        _price(
            requisition,
            posted_min=changes.get("posted_min", None if repriced else requisition.posted_min),
            posted_max=changes.get("posted_max", None if repriced else requisition.posted_max),
            repriced=repriced,
        )
    new_status = changes.get("status", requisition.status)
    if new_status != requisition.status:
        _change_status(requisition, new_status)
    elif requisition.status == Requisition.Status.OPEN and requisition.band_id is None:
        raise _no_band_error(requisition)
    _validate(requisition)


def _check_people(fields: dict[str, Any]) -> None:
    """The hiring manager must be a Hiring manager, the recruiter a Recruiter (active)."""
    checks = (
        ("hiring_manager", permissions.eligible_hiring_managers, "Hiring managers"),
        ("recruiter", permissions.eligible_recruiters, "Recruiters"),
    )
    for name, eligible, group in checks:
        person = fields.get(name)
        if person is None:
            continue
        if not eligible().filter(pk=_pk(person)).exists():
            label = person.get_username() if hasattr(person, "get_username") else f"#{person}"
            raise DomainError.for_field(
                name,
                f"{label} cannot be the {name.replace('_', ' ')}: only active members of "
                f"{group} can.",
            )


def _price(
    requisition: Requisition,
    *,
    posted_min: Decimal | None,
    posted_max: Decimal | None,
    repriced: bool,
) -> None:
    priced = priced_band(track=requisition.track, level=requisition.level, zone=requisition.zone)
    if priced is None:
        if posted_min is not None or posted_max is not None:
            raise DomainError(
                _no_band_message(requisition),
                errors={"posted_min": [_no_band_message(requisition)]},
            )
        requisition.band = None
        requisition.posted_min = requisition.posted_max = None
        return
    low, high = priced.adjusted.low, priced.adjusted.high
    posted_min = low if posted_min is None else Decimal(posted_min)
    posted_max = high if posted_max is None else Decimal(posted_max)
    errors = _range_errors(posted_min, posted_max, low, high, priced.band.currency)
    if errors:
        raise DomainError(next(iter(errors.values()))[0], errors=errors)
    requisition.band = priced.band
    requisition.currency = priced.band.currency
    requisition.posted_min, requisition.posted_max = posted_min, posted_max


def _range_errors(
    posted_min: Decimal, posted_max: Decimal, low: Decimal, high: Decimal, currency: str
) -> dict[str, list[str]]:
    money = format_money
    allowed = f"the band allows {money(low, currency)} to {money(high, currency)}"
    errors: dict[str, list[str]] = {}
    if not low <= posted_min <= high:
        errors["posted_min"] = [f"Posted minimum must lie inside the band: {allowed}."]
    if not low <= posted_max <= high:
        errors["posted_max"] = [f"Posted maximum must lie inside the band: {allowed}."]
    if not errors and posted_min > posted_max:
        errors["posted_min"] = ["Posted minimum must not exceed posted maximum."]
    return errors


def _change_status(requisition: Requisition, new_status: str) -> None:
    if new_status not in Requisition.Status.values:
        raise DomainError.for_field(
            "status",
            f"Unknown status '{new_status}'. Valid: {', '.join(Requisition.Status.values)}.",
        )
    problem = rules.status_transition_problem(requisition.status, new_status)
    if problem:
        raise DomainError.for_field("status", problem)
    if new_status == Requisition.Status.OPEN:
        _open(requisition)
    else:
        requisition.status = new_status


def _open(requisition: Requisition) -> None:
    if requisition.band_id is None and requisition.band is None:
        raise _no_band_error(requisition)
    requisition.status = Requisition.Status.OPEN
    requisition.opened_on = requisition.opened_on or timezone.localdate()


def _no_band_error(requisition: Requisition) -> DomainError:
    message = _no_band_message(requisition)
    return DomainError(message, code="no_band", errors={"status": [message]})


def _no_band_message(requisition: Requisition) -> str:
    return (
        f"The career guide gives no salary band for {requisition.track.name} at "
        f"{requisition.level.code}; a posted pay range is required by pay-transparency laws."
    )


def _validate(requisition: Requisition) -> None:
    try:
        requisition.full_clean()
    except ValidationError as exc:
        errors = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        first = next(iter(errors))
        raise DomainError(errors[first][0], errors=errors) from exc


def _save(requisition: Requisition, actor) -> None:
    requisition._history_user = actor
    requisition.save()


def _pk(value: Any) -> Any:
    return getattr(value, "pk", value)
