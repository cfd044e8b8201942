"""The application page: one candidate on one requisition.

The candidate, the requisition, the stage and its history, the interviews and
scorecards the blind rule lets the user read, the level fit, and the sections
that higher apps register in ``hiring.sections`` (offers adds the
recommendation and the offer). A hidden application answers 404. Pay appears
only where the pay policy (``core.pay``) allows.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_POST

from core import audit
from core.errors import DomainError
from core.errors import PermissionDenied as CorePermissionDenied
from hiring import permissions, sections
from hiring.forms.notes import NoteForm
from hiring.models import Application
from hiring.selectors.interviews import (
    application_pipeline,
    is_blind,
    may_schedule,
    user_label,
    visible_scorecards,
)
from hiring.services.notes import may_write_notes, note_add
from hiring.stages import ACTIVE as ACTIVE_STAGES


@login_required
@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    application = _visible_application(user, pk)
    audit.record(audit.Action.VIEW, "candidate", application.candidate_id, request=request)
    return render(request, "hiring/application_detail.html", _context(request, application))


@login_required
@require_POST
def application_note_create(request: HttpRequest, pk: int) -> HttpResponse:
    application = _visible_application(request.user, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            result = note_add(
                application=application, body=form.cleaned_data["body"], actor=request.user
            )
        except CorePermissionDenied as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            form.add_service_errors(exc.errors, exc.message)
        else:
            messages.success(request, _note_saved_message(result))
            return redirect(reverse("hiring:application-detail", args=[pk]) + "#notes")
    context = _context(request, application, note_form=form)
    return render(request, "hiring/application_detail.html", context, status=400)


urlpatterns = [
    path("applications/<int:pk>/", application_detail, name="application-detail"),
    path("applications/<int:pk>/notes/", application_note_create, name="application-note-create"),
]


def _note_saved_message(result) -> str:
    told = ", ".join(user_label(p) for p in result.notified)
    message = "Note added." + (f" Emailed {told}." if told else "")
    if result.not_notified:
        names = ", ".join(f"@{name}" for name in result.not_notified)
        message += f" Not notified (unknown, or cannot see this application): {names}."
    return message


def _visible_application(user, pk: int) -> Application:
    """The application with its full timeline, from the candidate-pipeline selector.

    The selector loads the candidate's visible applications with their stage
    changes, interviews, panels, scorecards and level fit in a fixed number of
    queries; a candidate has few applications, so picking one out is cheap.
    """
    application = next((a for a in application_pipeline(pk, user) if a.pk == pk), None)
    if application is None:
        raise Http404
    return application


def _context(request: HttpRequest, application: Application, note_form=None) -> dict:
    user = request.user
    requisition = application.requisition
    may_note = may_write_notes(user, application)
    return {
        "notes": application.notes.select_related("author").prefetch_related("mentioned"),
        "note_form": (note_form or NoteForm()) if may_note else None,
        "application": application,
        "candidate": application.candidate,
        "requisition": requisition,
        "stage_changes": list(application.stage_changes.all()),
        "interviews": [_interview_row(i, user) for i in application.visible_interviews],
        "may_schedule": application.stage in ACTIVE_STAGES and may_schedule(user, application),
        "show_pay": permissions.sees_requisition_pay(user, requisition),
        "show_candidate_pay": permissions.sees_candidate_pay_on(user, application),
        "sections": sections.page_sections(sections.APPLICATION, application, user, request),
    }


def _interview_row(interview, user) -> dict:
    return {
        "interview": interview,
        "interviewers": list(interview.interviewers.all()),
        "scorecards": visible_scorecards(interview, user),
        "blind": is_blind(interview, user),
    }
