"""Who may request, see and download which reports, and what a report may cover.

- Compensation admins (and superusers) see every run; recruiters and hiring
  managers see the runs they requested. Interviewers and users in no group get
  none (403).
- What a report covers is the requester's requisitions: all of them for
  compensation admins and recruiters, the ones they manage for a hiring manager
  (never those they only interview for).
- Pay follows ``core.pay``: the offers report only for those who see pay on the
  requisitions it covers; the candidate export only for those who see every
  candidate (a data-subject request is a privacy officer's job, not a manager's).
"""

from __future__ import annotations

from django.db.models import QuerySet

from core import access, pay
from core.errors import PermissionDenied
from hiring.models import Requisition
from reports.kinds import Kind
from reports.models import ReportRun

DENIED = "Reports are for compensation admins, recruiters and hiring managers."


def may_use_reports(user) -> bool:
    return bool(user is not None and user.is_authenticated and access.runs_reports(user))


def check_may_use_reports(user) -> None:
    if not may_use_reports(user):
        raise PermissionDenied(DENIED)


def kinds_for(user) -> list[str]:
    """The kinds this user may request, in display order."""
    return [kind for kind in Kind.values if may_request_kind(user, kind)]


def may_request_kind(user, kind: str) -> bool:
    if not may_use_reports(user):
        return False
    if kind == Kind.OFFERS:
        # A manager's offers report covers only requisitions whose pay they see.
        return pay.may_ever_see_pay(user)
    if kind == Kind.CANDIDATE_EXPORT:
        return access.sees_all_candidates(user)
    return True


def runs_visible_to(user) -> QuerySet[ReportRun]:
    if not may_use_reports(user):
        return ReportRun.objects.none()
    if access.is_compensation_admin(user):
        return ReportRun.objects.all()
    return ReportRun.objects.filter(requested_by=user)


def requisitions_covered(user) -> QuerySet[Requisition]:
    """The requisitions a report for this user covers (never panel-only ones)."""
    if not may_use_reports(user):
        return Requisition.objects.none()
    if covers_every_requisition(user):
        return Requisition.objects.all()
    return Requisition.objects.filter(hiring_manager=user)


def covers_every_requisition(user) -> bool:
    """Compensation admins and recruiters: a report of theirs covers every requisition."""
    return may_use_reports(user) and access.sees_all_candidates(user)


def sees_offer_pay(user) -> bool:
    """Every offer a report covers is on a requisition whose pay this user sees."""
    return pay.sees_all_pay(user) or (access.is_hiring_manager(user) and pay.may_ever_see_pay(user))


def may_see_recruiters(user) -> bool:
    """Naming a recruiter in a filter: only those who see every requisition."""
    return access.sees_all_candidates(user)
