"""Writes for interviews and scorecards.

Every function takes the ``actor`` and checks what the actor may do, so pages
and the API share one rule:

- recruiters, compensation admins and the requisition's hiring manager schedule,
  reschedule and cancel interviews, on active applications only;
- a panel is made of active users in the Interviewers, Hiring managers or
  Recruiters groups (people whose job includes interviewing);
- only an assigned interviewer submits a scorecard, their own, once.

History rows (django-simple-history) name the actor.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from candidates.retention import retention_touch
from core.errors import Conflict, DomainError, PermissionDenied
from hiring.models import COMPETENCIES, Application, Interview, Scorecard
from hiring.rules import interview_date_problem, not_started_message
from hiring.selectors.interviews import may_schedule, panel_candidates, user_label
from hiring.services.notifications import interview_invitations_enqueue
from hiring.stages import ACTIVE as ACTIVE_STAGES

MIN_MINUTES, MAX_MINUTES = 5, 8 * 60
ALREADY_SUBMITTED = "You have already submitted a scorecard for this interview."


@transaction.atomic
def interview_schedule(
    *,
    application: Application,
    round_name: str,
    interviewers: Iterable,
    starts_at: datetime.datetime,
    duration_minutes: int = 60,
    location: str = "",
    actor,
) -> Interview:
    """Schedule an interview on an active application. Does not move the application."""
    application = _locked_application(application.pk)
    _check_may_schedule(actor, application)
    panel = _check_fields(
        round_name=round_name,
        interviewers=interviewers,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        location=location,
    )
    interview = Interview(
        application=application,
        round_name=round_name.strip(),
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        location=location.strip(),
        created_by=actor,
    )
    interview._history_user = actor
    interview.save()
    interview.interviewers.set(panel)
    retention_touch([application.candidate_id])
    if interview.starts_at >= timezone.now():  # a back-dated record invites nobody
        interview_invitations_enqueue(interview=interview, actor=actor)
    return interview


@transaction.atomic
def interview_update(*, interview: Interview, actor, **changes) -> Interview:
    """Change any of round_name, interviewers, starts_at, duration_minutes, location.

    Someone who already submitted a scorecard stays on the panel.
    """
    unknown = set(changes) - {
        "round_name",
        "interviewers",
        "starts_at",
        "duration_minutes",
        "location",
    }
    if unknown:
        raise DomainError(f"Cannot change {', '.join(sorted(unknown))}.", code="invalid")
    interview = Interview.objects.select_for_update().get(pk=interview.pk)
    application = _locked_application(interview.application_id)
    _check_may_schedule(actor, application)
    current = {
        "round_name": interview.round_name,
        "interviewers": list(interview.interviewers.all()),
        "starts_at": interview.starts_at,
        "duration_minutes": interview.duration_minutes,
        "location": interview.location,
    }
    merged = {**current, **changes}
    panel = _check_fields(
        **merged, check_panel="interviewers" in changes, check_date="starts_at" in changes
    )
    _check_keeps_submitters(interview, panel)
    interview.round_name = merged["round_name"].strip()
    interview.starts_at = merged["starts_at"]
    interview.duration_minutes = merged["duration_minutes"]
    interview.location = merged["location"].strip()
    interview._history_user = actor
    interview.save()
    if "interviewers" in changes:
        interview.interviewers.set(panel)
    if _invitation_changed(current, merged) and interview.starts_at >= timezone.now():
        # SEQUENCE: the number of earlier versions, so calendars replace the event.
        sequence = interview.history.count() - 1
        interview_invitations_enqueue(interview=interview, actor=actor, sequence=sequence)
    return interview


@transaction.atomic
def interview_cancel(*, interview: Interview, actor) -> None:
    """Delete an interview nobody has scored yet (history keeps the deleted row)."""
    interview = Interview.objects.select_for_update().get(pk=interview.pk)
    _check_may_schedule(actor, interview.application, active_only=False)
    if interview.scorecards.exists():
        raise Conflict(
            "This interview has scorecards and cannot be cancelled.", code="has_scorecards"
        )
    interview._history_user = actor
    interview.delete()


@transaction.atomic
def scorecard_submit(
    *,
    interview: Interview,
    interviewer,
    model_development: int,
    data_engineering: int,
    collaboration: int,
    research_infrastructure: int,
    recommendation: str,
    comments: str = "",
    actor,
) -> Scorecard:
    """Record the interviewer's own scorecard, once per interview."""
    if actor is None or interviewer is None or actor.pk != interviewer.pk:
        raise PermissionDenied("You can only submit your own scorecard.")
    if not interview.interviewers.filter(pk=interviewer.pk).exists():
        raise PermissionDenied(
            "Only an interviewer assigned to this interview submits a scorecard."
        )
    ratings = {
        "model_development": model_development,
        "data_engineering": data_engineering,
        "collaboration": collaboration,
        "research_infrastructure": research_infrastructure,
    }
    _check_started(interview)
    _check_scorecard(ratings, recommendation)
    if Scorecard.objects.filter(interview=interview, interviewer=interviewer).exists():
        raise _already_submitted()
    card = Scorecard(
        interview=interview,
        interviewer=interviewer,
        recommendation=recommendation,
        comments=(comments or "").strip(),
        **ratings,
    )
    card._history_user = actor
    try:
        with transaction.atomic():
            card.save()
    except IntegrityError as exc:  # two submits at once: the constraint decides
        raise _already_submitted() from exc
    return card


# -- helpers -------------------------------------------------------------------


def _locked_application(pk: int) -> Application:
    return Application.objects.select_for_update().select_related("requisition").get(pk=pk)


def _check_may_schedule(actor, application: Application, *, active_only: bool = True) -> None:
    if actor is None or not actor.is_authenticated or not may_schedule(actor, application):
        raise PermissionDenied(
            "Only recruiters, compensation admins and the requisition's hiring manager "
            "schedule interviews."
        )
    if active_only and application.stage not in ACTIVE_STAGES:
        raise DomainError.for_field(
            "application",
            f"This application is {application.get_stage_display().lower()}: "
            "interviews are scheduled only on active applications.",
            code="application_inactive",
        )


def _check_fields(
    *,
    round_name,
    interviewers,
    starts_at,
    duration_minutes,
    location,
    check_panel: bool = True,
    check_date: bool = True,
) -> list:
    errors: dict[str, list[str]] = {}
    if not (round_name or "").strip():
        errors["round_name"] = ["Give the round a name, e.g. “Technical screen”."]
    elif len(round_name.strip()) > 120:
        errors["round_name"] = ["Round name must be at most 120 characters."]
    if not isinstance(starts_at, datetime.datetime):
        errors["starts_at"] = ["Give a date and time."]
    elif timezone.is_naive(starts_at):
        errors["starts_at"] = ["Give the time with its time zone (e.g. 2026-12-01T10:00:00+00:00)."]
    elif check_date and (problem := interview_date_problem(starts_at, now=timezone.now())):
        errors["starts_at"] = [problem]
    if (
        isinstance(duration_minutes, bool)
        or not isinstance(duration_minutes, int)
        or not MIN_MINUTES <= duration_minutes <= MAX_MINUTES
    ):
        errors["duration_minutes"] = [
            f"Length must be a whole number of minutes from {MIN_MINUTES} to {MAX_MINUTES}."
        ]
    if len(location or "") > 300:
        errors["location"] = ["Place or link must be at most 300 characters."]
    panel, panel_error = _check_panel(interviewers) if check_panel else (interviewers, "")
    if panel_error:
        errors["interviewers"] = [panel_error]
    if errors:
        first = next(iter(errors.values()))[0]
        raise DomainError(first, code="invalid", errors=errors)
    return panel


def _check_panel(interviewers) -> tuple[list, str]:
    people = list({person.pk: person for person in (interviewers or [])}.values())
    if not people:
        return [], "Choose at least one interviewer."
    eligible = set(
        panel_candidates().filter(pk__in=[p.pk for p in people]).values_list("pk", flat=True)
    )
    refused = [user_label(p) for p in people if p.pk not in eligible]
    if refused:
        return [], (
            f"{', '.join(refused)} cannot interview: interviewers must be active users in the "
            "Interviewers, Hiring managers or Recruiters group."
        )
    return people, ""


def _check_keeps_submitters(interview: Interview, panel: list) -> None:
    kept = {p.pk for p in panel}
    dropped = [
        card.interviewer
        for card in interview.scorecards.select_related("interviewer")
        if card.interviewer_id not in kept
    ]
    if dropped:
        names = ", ".join(user_label(p) for p in dropped)
        raise DomainError.for_field(
            "interviewers", f"{names} already submitted a scorecard and must stay on the panel."
        )


def _invitation_changed(before: dict, after: dict) -> bool:
    keys = ("round_name", "starts_at", "duration_minutes", "location")
    panel_changed = {p.pk for p in before["interviewers"]} != {p.pk for p in after["interviewers"]}
    return panel_changed or any(before[k] != after[k] for k in keys)


def _check_started(interview: Interview) -> None:
    if interview.starts_at > timezone.now():
        message = not_started_message(interview)
        raise DomainError(message, code="not_started", errors={"interview": [message]})


def _check_scorecard(ratings: dict, recommendation: str) -> None:
    errors: dict[str, list[str]] = {}
    for name in COMPETENCIES:
        value = ratings[name]
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 4:
            label = Scorecard._meta.get_field(name).verbose_name
            errors[name] = [f"Rate {label} from 1 to 4."]
    if recommendation not in Scorecard.Recommendation.values:
        choices = ", ".join(Scorecard.Recommendation.values)
        errors["recommendation"] = [f"Choose a recommendation: one of {choices}."]
    if errors:
        first = next(iter(errors.values()))[0]
        raise DomainError(first, code="invalid", errors=errors)


def _already_submitted() -> Conflict:
    return Conflict(
        ALREADY_SUBMITTED, code="already_submitted", errors={"interview": [ALREADY_SUBMITTED]}
    )
