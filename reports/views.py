"""The reports page (request form, runs with live progress), downloads and retries.

Thin: checks go through ``reports.permissions`` and writes through ``reports.services``;
the progress bars are updated by static/js/reports.js polling the API.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import DomainError, NotFound
from core.errors import PermissionDenied as CorePermissionDenied
from reports import permissions, services
from reports.downloads import report_response
from reports.forms import ReportRequestForm

RUNS_SHOWN = 50
#: The job queue (the broker) was unreachable when the run was saved: nothing is lost.
QUEUE_DOWN = (
    "{name} is saved, but the job queue is unreachable right now, so it has not started. "
    "It starts on its own when the queue is back (within about 15 minutes); you need not "
    "request it again."
)


@login_required
@require_http_methods(["GET", "POST"])
def report_index(request: HttpRequest) -> HttpResponse:
    user = request.user
    _check(user)
    form = ReportRequestForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.report_request(
                actor=user,
                kind=form.cleaned_data["kind"],
                fmt=form.cleaned_data["format"],
                filters=form.filters(),
                request=request,
            )
        except CorePermissionDenied as exc:
            raise DjangoPermissionDenied(exc.message) from exc
        except DomainError as exc:
            _add_errors(form, exc)
        else:
            _say_queued(request, run, f"Report #{run.pk}")
            return redirect("reports:index")
    runs = permissions.runs_visible_to(user).select_related("requested_by")[:RUNS_SHOWN]
    status = 400 if request.method == "POST" else 200
    return render(request, "reports/index.html", {"form": form, "runs": runs}, status=status)


@login_required
@require_GET
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    _check(request.user)
    run = get_object_or_404(permissions.runs_visible_to(request.user), pk=pk)
    try:
        return report_response(run, request)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("reports:index")


@login_required
@require_POST
def report_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    _check(request.user)
    run = get_object_or_404(permissions.runs_visible_to(request.user), pk=pk)
    try:
        new = services.report_retry(actor=request.user, run=run, request=request)
    except CorePermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        _say_queued(request, new, f"Report #{new.pk}", again=True)
    return redirect("reports:index")


def _say_queued(request: HttpRequest, run, name: str, *, again: bool = False) -> None:
    if getattr(run, "enqueue_failed", False):
        messages.warning(request, QUEUE_DOWN.format(name=name))
    elif again:
        messages.success(request, f"{name} is queued again.")
    else:
        messages.success(request, f"{name} is queued; it appears below when ready.")


def _check(user) -> None:
    if not permissions.may_use_reports(user):
        raise DjangoPermissionDenied(permissions.DENIED)


def _add_errors(form, exc: DomainError) -> None:
    placed = False
    for field, problems in exc.errors.items():
        if field in form.fields:
            for problem in problems:
                form.add_error(field, problem)
            placed = True
    if not placed:
        form.add_error(None, exc.message)
