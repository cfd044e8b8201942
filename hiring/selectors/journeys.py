"""Reads for the interviewer's and recruiter's daily pages: my interviews, scorecards due,
the schedule form's prefill, requisitions a candidate can be added to.

Each is scoped to the user (``interviews_visible_to``, ``requisitions_visible_to``) and
costs a fixed number of queries whatever the row count.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from hiring.models import Application, Interview, Requisition, Scorecard
from hiring.permissions import (
    ADDABLE_STATUSES,
    can_add_application,
    requisitions_visible_to,
)
from hiring.selectors.interviews import interviews_visible_to, panel_candidates
from hiring.stages import Stage

# The round a new interview is most likely to be, from the application's stage.
ROUND_BY_STAGE = {Stage.SCREEN: "Phone screen", Stage.INTERVIEW: "Technical interview"}
DEFAULT_HOUR = 10
PAST_LIMIT = 50


@dataclass(frozen=True)
class MyInterviews:
    upcoming: list[Interview]
    past: list[Interview]


def my_interviews(user, *, now: datetime.datetime | None = None) -> MyInterviews:
    """The interviews the user sits on: upcoming (soonest first) and past (latest first).

    Each carries ``my_scorecard_in`` (bool): whether the user's own scorecard is in.
    """
    now = now or timezone.now()
    mine = assigned_interviews(user)
    return MyInterviews(
        upcoming=list(mine.filter(starts_at__gte=now).order_by("starts_at", "id")),
        past=list(mine.filter(starts_at__lt=now).order_by("-starts_at", "-id")[:PAST_LIMIT]),
    )


def scorecards_due(user, *, now: datetime.datetime | None = None) -> list[Interview]:
    """Started interviews the user sits on without their scorecard, oldest first."""
    now = now or timezone.now()
    due = assigned_interviews(user).filter(starts_at__lte=now, my_scorecard_in=False)
    return list(due.order_by("starts_at", "id"))


def assigned_interviews(user) -> QuerySet[Interview]:
    through = Interview.interviewers.through
    assigned = Exists(through.objects.filter(interview_id=OuterRef("pk"), user_id=user.pk))
    own = Exists(Scorecard.objects.filter(interview_id=OuterRef("pk"), interviewer_id=user.pk))
    return (
        interviews_visible_to(user)
        .filter(assigned)
        .annotate(my_scorecard_in=own)
        .select_related("application__requisition", "application__candidate")
    )


def schedule_initial(application: Application, *, now: datetime.datetime | None = None) -> dict:
    """The schedule form's prefill: the last panel on this application (or the hiring
    manager), the next working day at 10:00, one hour, the round its stage suggests."""
    previous = (
        Interview.objects.filter(application_id=application.pk)
        .order_by("-starts_at", "-id")
        .prefetch_related("interviewers")
        .first()
    )
    eligible = panel_candidates()
    if previous is not None:
        panel = [p.pk for p in previous.interviewers.all() if p.is_active]
        panel = list(eligible.filter(pk__in=panel).values_list("pk", flat=True))
    else:
        manager = application.requisition.hiring_manager_id
        panel = list(eligible.filter(pk=manager).values_list("pk", flat=True))
    return {
        "round_name": ROUND_BY_STAGE.get(application.stage, "Interview"),
        "interviewers": panel,
        "starts_at": next_working_morning(now or timezone.now()),
        "duration_minutes": previous.duration_minutes if previous else 60,
        "location": previous.location if previous else "",
    }


def next_working_morning(now: datetime.datetime) -> datetime.datetime:
    day = timezone.localtime(now).date() + datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    naive = datetime.datetime.combine(day, datetime.time(DEFAULT_HOUR))
    return timezone.make_aware(naive)


def requisitions_to_add(user, candidate_id: int, *, limit: int = 200) -> list[Requisition]:
    """Open or on-hold requisitions the user may add this candidate to (not applied yet)."""
    if not can_add_application(user):
        return []
    applied = Application.objects.filter(requisition_id=OuterRef("pk"), candidate_id=candidate_id)
    return list(
        requisitions_visible_to(user)
        .filter(status__in=ADDABLE_STATUSES)
        .exclude(Exists(applied))
        .select_related("level", "zone")
        .order_by("title", "id")[:limit]
    )
