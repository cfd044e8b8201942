"""The application page: one candidate on one requisition.

The candidate, the requisition, the stage and its history, the interviews and
scorecards the blind rule lets the user read, the level fit, and the sections
that higher apps register in ``hiring.sections`` (offers adds the
recommendation and the offer). A hidden application answers 404. Pay appears
only where the pay policy (``core.pay``) allows.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from core import pay
from hiring import permissions, sections
from hiring.models import Application
from hiring.selectors.interviews import (
    candidate_pipeline,
    is_blind,
    may_schedule,
    visible_scorecards,
)
from hiring.stages import ACTIVE as ACTIVE_STAGES


@login_required
@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    application = _visible_application(user, pk)
    return render(request, "hiring/application_detail.html", _context(request, application))


urlpatterns = [
    path("applications/<int:pk>/", application_detail, name="application-detail"),
]


def _visible_application(user, pk: int) -> Application:
    """The application with its full timeline, from the candidate-pipeline selector.

    The selector loads the candidate's visible applications with their stage
    changes, interviews, panels, scorecards and level fit in a fixed number of
    queries; a candidate has few applications, so picking one out is cheap.
    """
    found = permissions.applications_visible_to(user).filter(pk=pk).select_related("candidate")
    head = found.first()
    if head is None:
        raise Http404
    application = next((a for a in candidate_pipeline(head.candidate, user) if a.pk == pk), None)
    if application is None:
        raise Http404
    return application


def _context(request: HttpRequest, application: Application) -> dict:
    user = request.user
    requisition = application.requisition
    manages = requisition.hiring_manager_id == user.pk
    return {
        "application": application,
        "candidate": application.candidate,
        "requisition": requisition,
        "stage_changes": list(application.stage_changes.all()),
        "interviews": [_interview_row(i, user) for i in application.visible_interviews],
        "may_schedule": application.stage in ACTIVE_STAGES and may_schedule(user, application),
        "show_pay": permissions.sees_requisition_pay(user, requisition),
        "show_candidate_pay": pay.sees_candidate_pay(user, on_managed_requisition=manages),
        "sections": sections.page_sections(sections.APPLICATION, application, user, request),
    }


def _interview_row(interview, user) -> dict:
    return {
        "interview": interview,
        "interviewers": list(interview.interviewers.all()),
        "scorecards": visible_scorecards(interview, user),
        "blind": is_blind(interview, user),
    }
