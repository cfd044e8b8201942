"""The one pay policy: who sees which compensation fields, on which object.

Compensation fields are money and what prices it: a requisition's posted range
and the band version behind it, salary bands and their adjusted figures, the
premiums applied to them, the guide's market figures, a candidate's expected and
current base, and (from the offers work) offers and recommendations.

The rule, decided here and nowhere else:

- compensation admins (and superusers) and recruiters see all pay;
- a hiring manager sees the guide's role data (bands, premiums, market figures:
  published figures they need to draft a requisition), and the pay on the
  requisitions they manage and of the candidates who applied to those;
- interviewers, and signed-in users in no group, never see pay; being on an
  interview panel grants an interviewer's view, never a manager's.

Object-level answers need facts that only higher apps know (who manages a
requisition, which requisitions a candidate applied to). Callers pass those
facts in; the decision stays here, so pages, the API, job descriptions, the
role-data endpoints and exports cannot disagree.
"""

from __future__ import annotations

from core import access
from core.access import User

#: What each kind of object carries that this policy governs (API and page field names).
REQUISITION_PAY_FIELDS = ("band", "posted_min", "posted_max", "currency")
APPLICATION_PAY_FIELDS = ("candidate_expected_base", "posted_min", "posted_max", "currency")
CANDIDATE_PAY_FIELDS = ("expected_base", "current_base", "pay_currency")
ZONE_AND_TRACK_PAY_FIELDS = (
    "premium_low_pct",
    "premium_high_pct",
    "premium_default_pct",
    "premium_default_note",
    "premium_source",
)

DENIED_MESSAGE = (
    "Pay figures are shown to compensation admins, recruiters and hiring managers only."
)


def sees_all_pay(user: User | None) -> bool:
    """Compensation admins (superusers included) and recruiters: every figure, everywhere."""
    return bool(user is not None and user.is_authenticated and access.sees_all_candidates(user))


def sees_role_pay(user: User | None) -> bool:
    """The guide's bands, premiums and market figures (the Levels & bands page, role-data API)."""
    return sees_all_pay(user) or _is_manager(user)


def sees_requisition_pay(user: User | None, *, hiring_manager_id: int | None) -> bool:
    """The posted range and band of one requisition: all-pay roles, or its own hiring manager."""
    if sees_all_pay(user):
        return True
    return _is_manager(user) and hiring_manager_id is not None and hiring_manager_id == user.pk


def sees_candidate_pay(user: User | None, *, on_managed_requisition: bool) -> bool:
    """A candidate's expected and current base.

    ``on_managed_requisition``: the candidate applied to a requisition the user
    manages (the caller knows; candidates do not know requisitions).
    """
    if sees_all_pay(user):
        return True
    return _is_manager(user) and on_managed_requisition


def posted_range_is_public(*, is_open: bool) -> bool:
    """Pay transparency: an open requisition's posted range is published, to anyone.

    The careers page shows it signed out; nothing else (the band version, premiums,
    candidates' or offers' figures) is ever public.
    """
    return is_open


def may_ever_see_pay(user: User | None) -> bool:
    """False for interviewers and users in no group: no pay on any object, ever."""
    return sees_role_pay(user)


def _is_manager(user: User | None) -> bool:
    return bool(user is not None and user.is_authenticated and access.is_hiring_manager(user))
