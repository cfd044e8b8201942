"""Pages: schedule an interview, the interview page, submit a scorecard.

Hidden objects answer 404; a visible object the user may not act on answers 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import Conflict, DomainError, PermissionDenied
from hiring.forms.interviews import InterviewForm, ScorecardForm
from hiring.permissions import applications_visible_to
from hiring.rules import not_started_message, past_start_warning
from hiring.selectors.interviews import (
    interviews_visible_to,
    is_assigned,
    is_blind,
    may_schedule,
    may_submit_scorecard,
    own_scorecard,
    visible_scorecards,
)
from hiring.selectors.journeys import my_interviews, schedule_initial, scorecards_due
from hiring.services.interviews import (
    interview_cancel,
    interview_schedule,
    interview_update,
    scorecard_submit,
)


@login_required
@require_http_methods(["GET", "POST"])
def interview_create(request, pk: int):
    application = get_object_or_404(
        applications_visible_to(request.user).select_related("candidate", "requisition"), pk=pk
    )
    if not may_schedule(request.user, application):
        raise DjangoPermissionDenied("You may not schedule interviews on this application.")
    form = InterviewForm(request.POST or None, initial=schedule_initial(application))
    if request.method == "POST" and form.is_valid():
        try:
            interview = interview_schedule(
                application=application, actor=request.user, **form.cleaned_data
            )
        except PermissionDenied as exc:
            raise DjangoPermissionDenied(exc.message) from exc
        except DomainError as exc:
            form.add_service_errors(exc.errors, exc.message)
        else:
            messages.success(
                request,
                f"Interview “{interview.round_name}” scheduled; invitations are on their way.",
            )
            _warn_if_past(request, interview.starts_at)
            return redirect("hiring:interview-detail", pk=interview.pk)
    return render(
        request,
        "hiring/interviews/interview_form.html",
        {"application": application, "form": form, "title": "Schedule an interview"},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def interview_edit(request, pk: int):
    interview = get_object_or_404(interviews_visible_to(request.user), pk=pk)
    if not may_schedule(request.user, interview.application):
        raise DjangoPermissionDenied("You may not change interviews on this application.")
    form = InterviewForm(request.POST or None, initial=_initial(interview))
    if request.method == "POST" and form.is_valid():
        try:
            interview_update(interview=interview, actor=request.user, **form.cleaned_data)
        except PermissionDenied as exc:
            raise DjangoPermissionDenied(exc.message) from exc
        except DomainError as exc:
            form.add_service_errors(exc.errors, exc.message)
        else:
            messages.success(request, "Interview updated.")
            _warn_if_past(request, form.cleaned_data["starts_at"])
            return redirect("hiring:interview-detail", pk=interview.pk)
    context = {
        "application": interview.application,
        "interview": interview,
        "form": form,
        "title": f"Reschedule “{interview.round_name}”",
    }
    return render(
        request,
        "hiring/interviews/interview_form.html",
        context,
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def interview_cancel_view(request, pk: int):
    interview = get_object_or_404(interviews_visible_to(request.user), pk=pk)
    try:
        interview_cancel(interview=interview, actor=request.user)
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from exc
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect("hiring:interview-detail", pk=interview.pk)
    messages.success(request, f"Interview “{interview.round_name}” cancelled.")
    return redirect("candidates:detail", pk=interview.application.candidate_id)


@login_required
@require_http_methods(["GET"])
def interview_detail(request, pk: int):
    interview = get_object_or_404(interviews_visible_to(request.user), pk=pk)
    may_submit = may_submit_scorecard(interview, request.user)
    form = ScorecardForm() if may_submit and interview.starts_at <= timezone.now() else None
    return render(
        request,
        "hiring/interviews/interview_detail.html",
        _detail_context(request, interview, form),
    )


@login_required
@require_POST
def scorecard_create(request, pk: int):
    interview = get_object_or_404(interviews_visible_to(request.user), pk=pk)
    if not is_assigned(interview, request.user):
        raise DjangoPermissionDenied(
            "Only an interviewer assigned to this interview submits a scorecard."
        )
    if own_scorecard(interview, request.user) is not None:
        messages.error(request, "You have already submitted a scorecard for this interview.")
        return redirect("hiring:interview-detail", pk=interview.pk)
    form = ScorecardForm(request.POST)
    if form.is_valid():
        try:
            scorecard_submit(
                interview=interview,
                interviewer=request.user,
                recommendation=form.cleaned_data["recommendation"],
                comments=form.cleaned_data["comments"],
                actor=request.user,
                **form.ratings(),
            )
        except PermissionDenied as exc:
            raise DjangoPermissionDenied(exc.message) from exc
        except DomainError as exc:
            form.add_service_errors(exc.errors, exc.message)
        else:
            messages.success(request, "Scorecard submitted.")
            return redirect("hiring:interview-detail", pk=interview.pk)
    context = _detail_context(request, interview, form)
    return render(request, "hiring/interviews/interview_detail.html", context, status=400)


@login_required
@require_http_methods(["GET"])
def my_interviews_view(request):
    found = my_interviews(request.user)
    context = {"upcoming": found.upcoming, "past": found.past, "due": scorecards_due(request.user)}
    return render(request, "hiring/interviews/my_interviews.html", context)


@login_required
@require_http_methods(["GET"])
def scorecards_due_view(request):
    context = {"due": scorecards_due(request.user)}
    return render(request, "hiring/interviews/scorecards_due.html", context)


def _warn_if_past(request, starts_at) -> None:
    warning = past_start_warning(starts_at)
    if warning:
        messages.warning(request, warning)


def _detail_context(request, interview, form) -> dict:
    started = interview.starts_at <= timezone.now()
    return {
        "not_started": None if started else not_started_message(interview),
        "interview": interview,
        "application": interview.application,
        "interviewers": list(interview.interviewers.all()),
        "submitted_ids": {card.interviewer_id for card in interview.scorecards.all()},
        "scorecards": visible_scorecards(interview, request.user),
        "blind": is_blind(interview, request.user),
        "form": form,
        "may_schedule": may_schedule(request.user, interview.application),
    }


def _initial(interview) -> dict:
    return {
        "round_name": interview.round_name,
        "interviewers": [person.pk for person in interview.interviewers.all()],
        "starts_at": timezone.localtime(interview.starts_at),
        "duration_minutes": interview.duration_minutes,
        "location": interview.location,
    }


urlpatterns = [
    path("interviews/mine/", my_interviews_view, name="my-interviews"),
    path("interviews/scorecards-due/", scorecards_due_view, name="scorecards-due"),
    path("applications/<int:pk>/interviews/new/", interview_create, name="interview-create"),
    path("interviews/<int:pk>/", interview_detail, name="interview-detail"),
    path("interviews/<int:pk>/edit/", interview_edit, name="interview-edit"),
    path("interviews/<int:pk>/cancel/", interview_cancel_view, name="interview-cancel"),
    path("interviews/<int:pk>/scorecard/", scorecard_create, name="scorecard-create"),
]
