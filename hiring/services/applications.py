"""Application writes: create, move through stages, hire.

Every stage change is one ``StageChange`` row written in the same transaction
as the application's new stage, with the application row locked: two people
moving the same card cannot both win (the loser gets a 409 with the current
stage). The hired transition lives in one place, ``application_hire``, which
only accepting an offer calls: ``application_move`` refuses hired.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone

from candidates.retention import retention_touch
from core.errors import Conflict, DomainError, InvalidState, PermissionDenied
from hiring import permissions, rules, stages
from hiring.models import Application, DispositionReason, Requisition, StageChange
from hiring.permissions import ADDABLE_STATUSES
from hiring.stages import Stage

HIRE_THROUGH_OFFER = "Hired is reached by accepting the offer on the offer page."


def application_create(
    *, candidate, requisition: Requisition, actor, stage: str = Stage.APPLIED
) -> Application:
    """Apply a candidate to a requisition and record the first stage change."""
    if not permissions.can_add_application(actor):
        raise PermissionDenied("Only recruiters and compensation admins add candidates.")
    if stage not in stages.START:
        raise DomainError.for_field(
            "stage", f"A new application starts at {' or '.join(stages.START)}."
        )
    if requisition.status not in ADDABLE_STATUSES:
        raise DomainError.for_field(
            "requisition",
            f"Candidates can only be added to an open or on-hold requisition; "
            f"this one is {requisition.get_status_display().lower()}.",
        )
    return _insert(candidate=candidate, requisition=requisition, actor=actor, stage=stage)


def application_from_careers(*, candidate, requisition: Requisition, site_user) -> Application:
    """The candidate applied on the careers page: "applied", on an open requisition.

    ``site_user`` is the careers site's system user (``careers_site_user``): the stage
    change must name someone, and this is not a colleague's action.
    """
    if requisition.status != Requisition.Status.OPEN:
        raise DomainError.for_field("requisition", "This position is no longer open.")
    return _insert(
        candidate=candidate, requisition=requisition, actor=site_user, stage=Stage.APPLIED
    )


def _insert(*, candidate, requisition: Requisition, actor, stage: str) -> Application:
    if candidate.erased_at is not None:
        raise Conflict("This candidate has been erased.", code="already_erased")
    if Application.objects.filter(candidate=candidate, requisition=requisition).exists():
        raise _duplicate_error()
    now = timezone.now()
    application = Application(
        candidate=candidate,
        requisition=requisition,
        stage=stage,
        stage_entered_at=now,
        created_by=actor,
    )
    application._history_user = actor
    try:
        with transaction.atomic():
            application.save()
            StageChange.objects.create(
                application=application, from_stage="", to_stage=stage, actor=actor, at=now
            )
            retention_touch([application.candidate_id])
    except IntegrityError as exc:  # a concurrent duplicate
        raise _duplicate_error() from exc
    return application


def application_move(
    *,
    application: Application,
    to_stage: str,
    expected_stage: str,
    actor,
    reason: DispositionReason | str | None = None,
    note: str = "",
) -> StageChange:
    """Move an application to ``to_stage`` if it is still at ``expected_stage``.

    Raises ``Conflict`` (409, ``current_stage``) when someone moved it meanwhile,
    ``InvalidState`` (409, ``current_stage`` and the allowed moves) when the stage it is
    at forbids the target, ``DomainError`` (400) for a missing note or reason. Hired is
    refused here (``hire_through_offer``): it is reached only by accepting an offer,
    which calls ``application_hire``.
    """
    _check_may_move(actor, application)
    _check_stage_name("to_stage", to_stage)
    _check_stage_name("expected_stage", expected_stage)
    note = (note or "").strip()
    if to_stage == Stage.HIRED:
        raise DomainError.for_field("to_stage", HIRE_THROUGH_OFFER, code="hire_through_offer")
    with transaction.atomic():
        locked = _lock(application, expected_stage)
        reason_row = _resolve_reason(reason, to_stage) if reason else None
        _check(locked.stage, to_stage, reason_row is not None or bool(reason), note)
        change = _enter(locked, to_stage, actor=actor, reason=reason_row, note=note)
    _refresh(application, locked)
    return change


def applications_move(
    *,
    moves: Sequence[tuple[Application, str]],
    to_stage: str,
    actor,
    reason: DispositionReason | str | None = None,
    note: str = "",
) -> list[StageChange]:
    """Move several applications (each with the stage the mover saw) to one stage.

    All or nothing: each move goes through ``application_move`` (same rules, same
    locks, one ``StageChange`` each) inside one transaction, and the first refusal
    undoes the others and is raised with the candidate's name in front.
    """
    if not moves:
        raise DomainError.for_field("applications", "Select at least one card.")
    changes = []
    with transaction.atomic():
        for application, expected_stage in moves:
            try:
                change = application_move(
                    application=application,
                    to_stage=to_stage,
                    expected_stage=expected_stage,
                    actor=actor,
                    reason=reason,
                    note=note,
                )
            except DomainError as exc:
                exc.message = f"{application.candidate.full_name}: {exc.message}"
                raise
            changes.append(change)
    return changes


def application_hire(
    *, application: Application, actor, expected_stage: str = Stage.OFFER, note: str = ""
) -> StageChange:
    """Mark an application hired (from offer only) and fill the requisition at headcount.

    The one place the hired transition happens. Locks the requisition row so
    two hires at once count each other.
    """
    _check_may_move(actor, application)
    with transaction.atomic():
        requisition = Requisition.objects.select_for_update().get(pk=application.requisition_id)
        locked = _lock(application, expected_stage)
        _check_hire(locked.stage)
        change = _enter(locked, Stage.HIRED, actor=actor, reason=None, note=note)
        _fill_if_headcount_reached(requisition, actor)
    _refresh(application, locked)
    return change


def _check_hire(from_stage: str) -> None:
    result = rules.check_hire(from_stage=from_stage)
    if not result.allowed:
        raise InvalidState(
            result.problem,
            code="move_not_allowed",
            errors={result.field: [result.problem]},
            extra={"current_stage": from_stage},
        )


def _check_may_move(actor, application: Application) -> None:
    if actor is None or not permissions.can_move_application(actor, application):
        raise PermissionDenied("You may not move applications on this requisition.")


def _lock(application: Application, expected_stage: str) -> Application:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.stage != expected_stage:
        raise Conflict(
            f"This card moved meanwhile to {Stage(locked.stage).label}.",
            extra={"current_stage": locked.stage},
        )
    return locked


def _check(from_stage: str, to_stage: str, has_reason: bool, note: str) -> None:
    result = rules.check_move(
        from_stage=from_stage, to_stage=to_stage, has_reason=has_reason, note=note
    )
    if result.allowed:
        return
    # The stage it is at forbids the target (409); a missing note or reason is input (400).
    error = InvalidState if result.field == "to_stage" else DomainError
    raise error(
        result.problem,
        code="move_not_allowed",
        errors={result.field: [result.problem]},
        extra={
            "current_stage": from_stage,
            "allowed_stages": list(rules.allowed_moves(from_stage)),
        },
    )


def _enter(application: Application, to_stage: str, *, actor, reason, note: str) -> StageChange:
    now = timezone.now()
    change = StageChange.objects.create(
        application=application,
        from_stage=application.stage,
        to_stage=to_stage,
        actor=actor,
        at=now,
        reason=reason,
        note=note,
    )
    application.stage = to_stage
    application.stage_entered_at = now
    application.disposition_reason = reason
    application._history_user = actor
    application.save(
        update_fields=["stage", "stage_entered_at", "disposition_reason", "updated_at"]
    )
    retention_touch([application.candidate_id])
    return change


def _fill_if_headcount_reached(requisition: Requisition, actor) -> None:
    hires = requisition.applications.filter(stage=Stage.HIRED).count()
    if hires >= requisition.headcount and requisition.status != Requisition.Status.FILLED:
        requisition.status = Requisition.Status.FILLED
        requisition._history_user = actor
        requisition.save(update_fields=["status", "updated_at"])


def _resolve_reason(reason: DispositionReason | str, to_stage: str) -> DispositionReason | None:
    if to_stage not in stages.DISPOSITIONS:
        return None  # the rules refuse a reason here, with a clear message
    code = reason.code if isinstance(reason, DispositionReason) else str(reason)
    row = DispositionReason.objects.filter(code=code, applies_to=to_stage, is_active=True).first()
    if row is None:
        valid = DispositionReason.objects.filter(applies_to=to_stage, is_active=True)
        codes = ", ".join(valid.values_list("code", flat=True))
        raise DomainError.for_field(
            "reason", f"Unknown reason '{code}' for {to_stage}. Valid reasons: {codes}."
        )
    return row


def _check_stage_name(field: str, value: str) -> None:
    if value not in Stage.values:
        raise DomainError.for_field(
            field, f"Unknown stage '{value}'. Valid stages: {', '.join(Stage.values)}."
        )


def _refresh(application: Application, locked: Application) -> None:
    application.stage = locked.stage
    application.stage_entered_at = locked.stage_entered_at
    application.disposition_reason = locked.disposition_reason


def _duplicate_error() -> DomainError:
    return DomainError.for_field(
        "candidate", "This candidate has already applied to this requisition."
    )
