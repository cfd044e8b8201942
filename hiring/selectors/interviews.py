"""Reads for interviews and scorecards, scoped to what the user may see.

Visibility (issue 3, "Who sees what"):
- compensation admins (and superusers) and recruiters see every interview;
- a hiring manager sees the interviews on their own requisitions and those they sit on;
- anyone else in a hiring group sees only the interviews they are assigned to;
- a signed-in user in no group, and anyone signed out, sees nothing.

Scorecards follow their interview, with one more rule that applies to everybody,
whatever their role: while you are an assigned interviewer on an interview and
have not submitted your own scorecard, you see no one else's on that interview
(so that feedback is given independently).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import (
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.utils import timezone

from core import access
from hiring.models import Application, Interview, Scorecard, StageChange
from hiring.permissions import applications_visible_to
from hiring.selectors.pipeline import attach_level_fit

User = get_user_model()

# Who may be put on an interview panel: people whose job includes interviewing.
PANEL_GROUPS = (access.INTERVIEWERS, access.HIRING_MANAGERS, access.RECRUITERS)


def interviews_visible_to(user) -> QuerySet[Interview]:
    """Interviews the user may see, with the panel and scorecards prefetched."""
    return (
        _interviews_scope(user)
        .select_related("application__candidate", "application__requisition")
        .prefetch_related(
            Prefetch("interviewers", queryset=User.objects.order_by("first_name", "username")),
            Prefetch("scorecards", queryset=Scorecard.objects.select_related("interviewer")),
        )
    )


def scorecards_visible_to(user) -> QuerySet[Scorecard]:
    """Scorecards the user may see: their interview is visible and the user is not blind to it."""
    if not has_hiring_role(user):
        return Scorecard.objects.none()
    assigned = _assigned(user, interview_ref="interview_id")
    submitted = Exists(
        Scorecard.objects.filter(interview_id=OuterRef("interview_id"), interviewer_id=user.pk)
    )
    scorecards = Scorecard.objects.all()
    if not access.sees_all_candidates(user):  # else every interview: no subquery to join
        scorecards = scorecards.filter(interview__in=_interviews_scope(user).values("pk"))
    return scorecards.filter(Q(interviewer_id=user.pk) | ~assigned | submitted).select_related(
        "interviewer", "interview__application__candidate"
    )


def candidate_pipeline(candidate, user) -> list[Application]:
    """The candidate's applications the user may see, each with its full timeline.

    Fixed query count: applications, the candidate's certifications (none when the caller
    prefetched them), stage changes, visible interviews, their panels, their scorecards,
    and the level ladder for the level fit (one query each), whatever the row count.
    """
    prefetch_related_objects([candidate], "certifications")
    applications = _pipeline(user).filter(candidate_id=candidate.pk)
    return _with_level_fit(list(applications), candidate=candidate)


def application_pipeline(pk: int, user) -> list[Application]:
    """The applications the user may see of the candidate behind application ``pk``, as
    ``candidate_pipeline`` (empty when ``pk`` is not visible), without a query to find the
    candidate first: the application page's read."""
    owner = applications_visible_to(user).filter(pk=pk).values("candidate_id")[:1]
    applications = (
        _pipeline(user)
        .filter(candidate_id=Subquery(owner))
        .select_related("candidate")
        .prefetch_related("candidate__certifications")
    )
    return _with_level_fit(list(applications))


def _pipeline(user) -> QuerySet[Application]:
    return (
        applications_visible_to(user)
        .select_related("requisition__level", "requisition__track", "disposition_reason")
        .prefetch_related(
            Prefetch(
                "stage_changes",
                queryset=StageChange.objects.select_related("actor", "reason").order_by("at", "id"),
            ),
            Prefetch(
                "interviews",
                queryset=interviews_visible_to(user).order_by("starts_at", "id"),
                to_attr="visible_interviews",
            ),
        )
        .order_by("-stage_entered_at", "-id")
    )


def _with_level_fit(applications: list[Application], candidate=None) -> list[Application]:
    if candidate is not None:
        for application in applications:
            application.candidate = candidate  # the caller's row, certifications included
    attach_level_fit(applications)
    return applications


def my_upcoming_interviews(user, *, limit: int = 10) -> list[Interview]:
    """The next interviews the user sits on (for a dashboard)."""
    assigned = _assigned(user, interview_ref="pk")
    return list(
        upcoming(interviews_visible_to(user).filter(assigned)).order_by("starts_at")[:limit]
    )


def visible_scorecards(interview: Interview, user) -> list[Scorecard]:
    """The scorecards of an already visible interview that the user may read.

    Works on prefetched ``interviewers`` and ``scorecards`` (no queries).
    """
    cards = list(interview.scorecards.all())
    if is_blind(interview, user):
        return [card for card in cards if card.interviewer_id == user.pk]
    return cards


def is_blind(interview: Interview, user) -> bool:
    """Assigned to the interview and own scorecard not yet in: others' are hidden."""
    return is_assigned(interview, user) and own_scorecard(interview, user) is None


def is_assigned(interview: Interview, user) -> bool:
    return any(person.pk == user.pk for person in interview.interviewers.all())


def own_scorecard(interview: Interview, user) -> Scorecard | None:
    return next((c for c in interview.scorecards.all() if c.interviewer_id == user.pk), None)


def may_submit_scorecard(interview: Interview, user) -> bool:
    """An assigned interviewer who has not yet submitted (works on prefetched rows)."""
    return (
        has_hiring_role(user)
        and is_assigned(interview, user)
        and not own_scorecard(interview, user)
    )


def has_hiring_role(user) -> bool:
    """Signed in and in at least one hiring group (or a superuser)."""
    return bool(
        user is not None
        and user.is_authenticated
        and (user.is_superuser or access.group_names(user))
    )


def may_schedule(user, application: Application) -> bool:
    """Recruiters, compensation admins and the requisition's hiring manager schedule."""
    if access.sees_all_candidates(user):
        return True
    return access.is_hiring_manager(user) and application.requisition.hiring_manager_id == user.pk


def may_schedule_any(user) -> bool:
    """Could the user schedule an interview on some application (cheap, no row given)?"""
    return access.sees_all_candidates(user) or access.is_hiring_manager(user)


def panel_candidates() -> QuerySet:
    """Active users who may sit on an interview panel."""
    return (
        User.objects.filter(is_active=True, groups__name__in=PANEL_GROUPS)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def upcoming(queryset: QuerySet[Interview], *, now=None) -> QuerySet[Interview]:
    return queryset.filter(starts_at__gte=now or timezone.now())


def user_label(user) -> str:
    return user.get_full_name() or user.get_username()


# -- helpers -------------------------------------------------------------------


def _assigned(user, *, interview_ref: str) -> Exists:
    through = Interview.interviewers.through
    return Exists(through.objects.filter(interview_id=OuterRef(interview_ref), user_id=user.pk))


def _interviews_scope(user) -> QuerySet[Interview]:
    if not has_hiring_role(user):
        return Interview.objects.none()
    if access.sees_all_candidates(user):
        return Interview.objects.all()
    assigned = _assigned(user, interview_ref="pk")
    if access.is_hiring_manager(user):
        return Interview.objects.filter(
            Q(application__requisition__hiring_manager_id=user.pk) | assigned
        )
    return Interview.objects.filter(assigned)
