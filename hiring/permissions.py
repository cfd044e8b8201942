"""Who sees and does what in the pipeline, by group.

- Compensation admins and recruiters: every requisition and application; they
  create, edit and open requisitions, add candidates and move applications.
- Hiring managers: their own requisitions (``hiring_manager=user``) and those
  applications; they draft requisitions (as their own hiring manager), edit
  their drafts, and move applications on their own requisitions.
- Interviewers: only the applications they interview (and those
  requisitions), never compensation fields; they move nothing.
- Anyone else: nothing. Hidden objects answer 404.

A user in several groups gets the union.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from core import access, pay
from hiring.models import Application, Requisition

# Candidates are added to open or on-hold requisitions only (a draft is not advertised yet).
ADDABLE_STATUSES = (Requisition.Status.OPEN, Requisition.Status.ON_HOLD)


def requisitions_visible_to(user) -> QuerySet[Requisition]:
    if not user or not user.is_authenticated:
        return Requisition.objects.none()
    if access.sees_all_candidates(user):
        return Requisition.objects.all()
    scope = Q(pk__in=[])
    if access.is_hiring_manager(user):
        scope |= Q(hiring_manager=user)
    if access.sits_on_panels(user):
        scope |= Q(pk__in=_interviewed(user).values("requisition_id"))
    return Requisition.objects.filter(scope)


def applications_visible_to(user) -> QuerySet[Application]:
    if not user or not user.is_authenticated:
        return Application.objects.none()
    if access.sees_all_candidates(user):
        return Application.objects.all()
    scope = Q(pk__in=[])
    if access.is_hiring_manager(user):
        scope |= Q(requisition__hiring_manager=user)
    if access.sits_on_panels(user):
        # A subquery, not a join: a join on interviewers would repeat rows.
        scope |= Q(pk__in=_interviewed(user).values("pk"))
    return Application.objects.filter(scope)


def sees_requisition_pay(user, requisition: Requisition) -> bool:
    """The pay policy (``core.pay``) for one requisition's posted range and band."""
    return pay.sees_requisition_pay(user, hiring_manager_id=requisition.hiring_manager_id)


def sees_candidate_pay_on(user, application: Application) -> bool:
    """The pay policy for a candidate's expected and current base, seen on an application:
    a hiring manager sees it on the requisitions they manage."""
    manages = application.requisition.hiring_manager_id == getattr(user, "pk", None)
    return pay.sees_candidate_pay(user, on_managed_requisition=manages)


def eligible_hiring_managers() -> QuerySet:
    """Who may own a requisition: active members of Hiring managers."""
    return _members(access.HIRING_MANAGERS)


def eligible_recruiters() -> QuerySet:
    """Who may recruit for a requisition: active members of Recruiters."""
    return _members(access.RECRUITERS)


def can_create_requisition(user) -> bool:
    return access.sees_all_candidates(user) or access.is_hiring_manager(user)


def can_manage_requisitions(user) -> bool:
    """Open, hold, cancel, set any hiring manager: recruiters and compensation admins."""
    return access.sees_all_candidates(user)


def can_edit_requisition(user, requisition: Requisition) -> bool:
    if access.sees_all_candidates(user):
        return True
    return (
        access.is_hiring_manager(user)
        and requisition.hiring_manager_id == user.pk
        and requisition.status == Requisition.Status.DRAFT
    )


def can_add_application(user) -> bool:
    return access.sees_all_candidates(user)


def can_move_application(user, application: Application) -> bool:
    if access.sees_all_candidates(user):
        return True
    return access.is_hiring_manager(user) and (application.requisition.hiring_manager_id == user.pk)


def can_move_on(user, requisition: Requisition) -> bool:
    """The same rule as ``can_move_application`` for every card on one board."""
    if access.sees_all_candidates(user):
        return True
    return access.is_hiring_manager(user) and requisition.hiring_manager_id == user.pk


def _interviewed(user) -> QuerySet[Application]:
    return Application.objects.filter(interviews__interviewers=user)


def _members(group: str) -> QuerySet:
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=group)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
