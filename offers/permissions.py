"""Who sees and does what with offers.

- Seeing an offer follows the pay policy: whoever sees the requisition's pay
  (``hiring.permissions.sees_requisition_pay``): compensation admins,
  superusers, recruiters, and the requisition's own hiring manager. Interviewers,
  users in no group and managers on another manager's panel see none.
- Recruiters and compensation admins (superusers included) draft, edit, submit,
  send, record the candidate's answer and rescind. Hiring managers do not draft:
  they approve, and nobody approves an offer they drafted.
- Approvals: the requisition's hiring manager fills the hiring-manager role; a
  compensation admin fills the compensation-admin role (needed only outside the
  adjusted band).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from core import access, pay
from offers.models import Offer, OfferApproval

Role = OfferApproval.Role


def offers_visible_to(user) -> QuerySet[Offer]:
    if not user or not user.is_authenticated:
        return Offer.objects.none()
    if pay.sees_all_pay(user):
        return Offer.objects.all()
    if access.is_hiring_manager(user):
        return Offer.objects.filter(Q(application__requisition__hiring_manager=user))
    return Offer.objects.none()


def sees_offer(user, offer: Offer) -> bool:
    return pay.sees_requisition_pay(
        user, hiring_manager_id=offer.application.requisition.hiring_manager_id
    )


def can_manage_offers(user) -> bool:
    """Draft, edit, submit, send, record the answer, rescind."""
    return bool(user is not None and user.is_authenticated and access.sees_all_candidates(user))


def required_roles(offer: Offer) -> tuple[str, ...]:
    """Inside the adjusted band: the hiring manager; outside: also a compensation admin."""
    if offer.inside_band:
        return (Role.HIRING_MANAGER,)
    return (Role.HIRING_MANAGER, Role.COMPENSATION_ADMIN)


def roles_of(user, offer: Offer) -> tuple[str, ...]:
    """The approval roles ``user`` may fill on ``offer`` (before the self-approval rule)."""
    if user is None or not user.is_authenticated:
        return ()
    roles = []
    if offer.application.requisition.hiring_manager_id == user.pk:
        roles.append(Role.HIRING_MANAGER)
    if access.is_compensation_admin(user):
        roles.append(Role.COMPENSATION_ADMIN)
    return tuple(roles)


def may_approve_any(user) -> bool:
    """Hiring managers and compensation admins approve offers (cheap: group names)."""
    return bool(
        user is not None
        and user.is_authenticated
        and (access.is_hiring_manager(user) or access.is_compensation_admin(user))
    )


def decidable_roles(user, offer: Offer, round_approvals) -> tuple[str, ...]:
    """The approval roles ``user`` may decide on ``offer`` now, given this round's decisions.

    Required by the offer, theirs to fill, not yet decided; nobody decides an offer
    they drafted, and one person decides once per round. The service, the offer
    page, the dashboard and the approval emails all ask this.
    """
    if user is None or not user.is_authenticated or offer.created_by_id == user.pk:
        return ()
    if any(a.approver_id == user.pk for a in round_approvals):
        return ()
    decided = {a.role for a in round_approvals}
    required = required_roles(offer)
    return tuple(r for r in roles_of(user, offer) if r in required and r not in decided)
