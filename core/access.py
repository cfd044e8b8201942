"""Who may do what: the groups the product knows, and cheap checks on a user.

Group names are created by a migration (core 0001) and are part of the
product's contract with its operators: exactly these names.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connections
from django.db.models import OuterRef, QuerySet

COMPENSATION_ADMINS = "Compensation admins"
RECRUITERS = "Recruiters"
HIRING_MANAGERS = "Hiring managers"
INTERVIEWERS = "Interviewers"
ALL_GROUPS = (COMPENSATION_ADMINS, RECRUITERS, HIRING_MANAGERS, INTERVIEWERS)

User = AbstractBaseUser | AnonymousUser
#: The annotation ``with_group_names`` adds: the group names read with the user.
GROUP_NAMES = "loaded_group_names"


def group_names(user: User) -> frozenset[str]:
    """The user's group names, cached on the user object for the request (read with the user
    when it was loaded through ``with_group_names``, else in a query of their own)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_group_names_cache", None)
    if cached is None:
        loaded = getattr(user, GROUP_NAMES, None)
        if loaded is None:
            loaded = user.groups.values_list("name", flat=True)
        cached = frozenset(loaded)
        user._group_names_cache = cached
    return cached


def with_group_names(rows: QuerySet, *, user: str = "pk") -> QuerySet:
    """Users (or rows naming one: ``user="user_id"``) with the user's group names in the same
    query (PostgreSQL: an array subquery), so that ``group_names`` costs no query of its own
    (``keep_group_names`` hands them to a row's user); unchanged elsewhere."""
    if connections[rows.db].vendor != "postgresql":
        return rows
    names = Group.objects.filter(user=OuterRef(user)).order_by().values("name")
    return rows.annotate(**{GROUP_NAMES: ArraySubquery(names)})


def keep_group_names(row, user: User) -> None:
    """The group names ``with_group_names(..., user=...)`` read on ``row``, kept on ``user``."""
    loaded = getattr(row, GROUP_NAMES, None)
    if loaded is not None:
        setattr(user, GROUP_NAMES, loaded)


def is_compensation_admin(user: User) -> bool:
    return bool(
        user.is_authenticated and (user.is_superuser or COMPENSATION_ADMINS in group_names(user))
    )


def is_recruiter(user: User) -> bool:
    return RECRUITERS in group_names(user)


def is_hiring_manager(user: User) -> bool:
    return HIRING_MANAGERS in group_names(user)


def is_interviewer(user: User) -> bool:
    return INTERVIEWERS in group_names(user)


def sees_all_candidates(user: User) -> bool:
    """Compensation admins (and superusers) and recruiters see every candidate."""
    return is_compensation_admin(user) or is_recruiter(user)


def runs_reports(user: User) -> bool:
    """Reports: compensation admins, recruiters and hiring managers (their requisitions)."""
    return sees_all_candidates(user) or is_hiring_manager(user)


def sits_on_panels(user: User) -> bool:
    """Interviewers and hiring managers see what they are assigned to interview."""
    return is_interviewer(user) or is_hiring_manager(user)
