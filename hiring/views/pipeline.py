"""Pages: dashboard, requisitions, board, job description (pipeline work).

Views are thin: they read through ``hiring.selectors`` (scoped to the user, a
hidden object is a 404), write through the services, and show domain errors
inline. The move form works without JavaScript; ``static/js/board.js`` posts
the same form with fetch and gets JSON back.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from core import audit, pay
from core.errors import Conflict, DomainError, page_status
from core.errors import PermissionDenied as CorePermissionDenied
from hiring import permissions, sections
from hiring.forms.pipeline import (
    ApplicationCreateForm,
    MoveForm,
    RequisitionFilterForm,
    RequisitionForm,
)
from hiring.models import Application, DispositionReason, Stage
from hiring.selectors import pipeline as selectors
from hiring.selectors.journeys import scorecards_due
from hiring.services.applications import application_create, application_move
from hiring.services.requisitions import (
    requisition_create,
    requisition_price,
    requisition_update,
)
from hiring.views.board import page_context, visible_requisition

PAGE_SIZE = 25


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "requisitions": selectors.my_requisitions(user=user),
        "stages": Stage.choices,
        "interviews": selectors.upcoming_interviews(user=user),
        "due": scorecards_due(user),
        "activity": selectors.recent_activity(user=user),
        "sections": sections.page_sections(sections.DASHBOARD, None, user, request),
    }
    return render(request, "hiring/dashboard.html", context)


@login_required
def requisition_list(request: HttpRequest) -> HttpResponse:
    form = RequisitionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.requisition_list(user=request.user, filters=filters, search=filters.get("q", ""))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for requisition in page.object_list:
        requisition.show_pay = permissions.sees_requisition_pay(request.user, requisition)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "show_pay": pay.may_ever_see_pay(request.user),
        "can_create": permissions.can_create_requisition(request.user),
    }
    return render(request, "hiring/requisition_list.html", context)


@login_required
def requisition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    requisition = visible_requisition(request.user, pk)
    context = page_context(request, requisition)
    cards = sum(len(column.cards) for column in context["columns"])
    audit.record(audit.Action.LIST, "candidate", request=request, row_count=cards)
    return render(request, "hiring/requisition_detail.html", context)


@login_required
def requisition_create_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.can_create_requisition(user):
        raise PermissionDenied
    form = RequisitionForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            requisition = requisition_create(actor=user, **form.cleaned_data)
        except CorePermissionDenied as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"Requisition “{requisition.title}” saved.")
            return redirect("hiring:requisition-detail", pk=requisition.pk)
    return _render_form(request, form, None)


@login_required
def requisition_edit(request: HttpRequest, pk: int) -> HttpResponse:
    requisition = visible_requisition(request.user, pk)
    user = request.user
    if not permissions.can_edit_requisition(user, requisition):
        raise PermissionDenied
    initial = {
        name: getattr(requisition, name)
        for name in (
            "title",
            "track",
            "level",
            "zone",
            "remote_policy",
            "headcount",
            "hiring_manager",
            "recruiter",
            "target_on",
            "posted_min",
            "posted_max",
            "status",
        )
    }
    form = RequisitionForm(
        request.POST or None, user=user, requisition=requisition, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            requisition = requisition_update(
                requisition=requisition, actor=user, **form.cleaned_data
            )
        except CorePermissionDenied as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "Requisition updated.")
            return redirect("hiring:requisition-detail", pk=requisition.pk)
    return _render_form(request, form, requisition)


@login_required
def requisition_jd(request: HttpRequest, pk: int) -> HttpResponse:
    requisition = visible_requisition(request.user, pk)
    show_pay = permissions.sees_requisition_pay(request.user, requisition)
    context = {
        "requisition": requisition,
        "jd": selectors.job_description(requisition, include_pay=show_pay),
        "show_pay": show_pay,
    }
    return render(request, "hiring/job_description.html", context)


@login_required
@require_POST
def application_create_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    requisition = visible_requisition(user, _int(request.POST.get("requisition")))
    if not permissions.can_add_application(user):
        raise PermissionDenied  # before looking the email up: no lookups for outsiders
    form = ApplicationCreateForm(request.POST)
    if form.is_valid():
        try:
            application_create(
                candidate=form.cleaned_data["candidate_email"],
                requisition=requisition,
                actor=user,
                stage=form.cleaned_data["stage"],
            )
        except CorePermissionDenied as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            _add_errors(form, exc, fallback="candidate_email")
        else:
            messages.success(request, "Candidate added to the pipeline.")
            return redirect("hiring:requisition-detail", pk=requisition.pk)
    context = page_context(request, requisition, add_form=form)
    return render(request, "hiring/requisition_detail.html", context, status=400)


@login_required
@require_POST
def application_move_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    application = (
        permissions.applications_visible_to(user)
        .select_related("requisition", "candidate")
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise Http404
    wants_json = "application/json" in request.headers.get("Accept", "")
    form = MoveForm(request.POST, reasons=DispositionReason.objects.filter(is_active=True))
    try:
        if not form.is_valid():
            raise DomainError(_first_error(form), errors=_form_errors(form))
        data = form.cleaned_data
        change = application_move(
            application=application,
            to_stage=data["to_stage"],
            expected_stage=data["expected_stage"],
            actor=user,
            reason=data["reason"] or None,
            note=data["note"],
        )
    except CorePermissionDenied as exc:
        if wants_json:
            return _move_failed(request, application, exc, wants_json)
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        return _move_failed(request, application, exc, wants_json)
    message = f"{application.candidate.full_name} moved to {Stage(change.to_stage).label.lower()}."
    if wants_json:
        return JsonResponse({"detail": message, "stage": change.to_stage})
    messages.success(request, message)
    return redirect(_board_url(application))


urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("requisitions/", requisition_list, name="requisition-list"),
    path("requisitions/new/", requisition_create_view, name="requisition-create"),
    path("requisitions/<int:pk>/", requisition_detail, name="requisition-detail"),
    path("requisitions/<int:pk>/edit/", requisition_edit, name="requisition-edit"),
    path("requisitions/<int:pk>/job-description/", requisition_jd, name="requisition-jd"),
    path("applications/new/", application_create_view, name="application-create"),
    path("applications/<int:pk>/move/", application_move_view, name="application-move"),
]


def _render_form(request: HttpRequest, form: RequisitionForm, requisition) -> HttpResponse:
    priced = None
    source = form.cleaned_data if form.is_bound and hasattr(form, "cleaned_data") else {}
    track = source.get("track") or (requisition.track if requisition else None)
    level = source.get("level") or (requisition.level if requisition else None)
    zone = source.get("zone") or (requisition.zone if requisition else None)
    if track and level:
        priced = requisition_price(track=track, level=level, zone=zone)
    status = 400 if form.is_bound else 200
    context = {
        "form": form,
        "requisition": requisition,
        "priced": priced,
        "track": track,
        "level": level,
    }
    return render(request, "hiring/requisition_form.html", context, status=status)


def _add_errors(form, exc: DomainError, fallback: str | None = None) -> None:
    if not exc.errors:
        form.add_error(fallback, exc.message)
        return
    for field, errors in exc.errors.items():
        target = field if field in form.fields else fallback
        for error in errors:
            form.add_error(target, error)


def _move_failed(request, application: Application, exc: DomainError, wants_json: bool):
    if wants_json:
        body = {"detail": exc.message, "code": exc.code, "errors": exc.errors, **exc.extra}
        return JsonResponse(body, status=page_status(exc))
    level = messages.WARNING if isinstance(exc, Conflict) else messages.ERROR
    messages.add_message(request, level, f"{application.candidate.full_name}: {exc.message}")
    return redirect(_board_url(application))


def _board_url(application: Application) -> str:
    return reverse("hiring:requisition-detail", args=[application.requisition_id]) + "#board"


def _form_errors(form) -> dict[str, list[str]]:
    return {field: [str(e) for e in errors] for field, errors in form.errors.items()}


def _first_error(form) -> str:
    field, errors = next(iter(form.errors.items()))
    return f"{field}: {errors[0]}"


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
