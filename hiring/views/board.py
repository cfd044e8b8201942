"""The board on the requisition page: filters, columns a page at a time, bulk moves.

Single moves go through ``application-move`` (``pipeline.application_move_view``),
which ``static/js/board.js`` calls from the one move dialog, by drag and drop or by
keyboard. "Show more" fetches the next cards of one column (``board-column``); the
bulk form moves the selected cards forward or rejects them with one reason.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

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
from hiring import permissions, rules, sections, stages
from hiring.forms.pipeline import ApplicationCreateForm, BoardFilterForm, BulkMoveForm
from hiring.models import DispositionReason, Requisition, Stage
from hiring.selectors import board as selectors
from hiring.selectors import pipeline
from hiring.services.applications import applications_move

#: Where the bulk form moves cards: forward stages, or rejected with one reason.
BULK_TARGETS = (Stage.SCREEN, Stage.INTERVIEW, Stage.OFFER, Stage.REJECTED)
HISTORY_ROWS = 30


def page_context(
    request: HttpRequest, requisition: Requisition, *, add_form=None, bulk_form=None
) -> dict:
    """The requisition page: its facts, the board, the add form and the history."""
    user = request.user
    filter_form = BoardFilterForm(request.GET or None)
    filters = _filters(filter_form)
    can_move = permissions.can_move_on(user, requisition)
    reasons = _reasons()
    show_pay = permissions.sees_requisition_pay(user, requisition)
    return {
        "requisition": requisition,
        "show_pay": show_pay,
        "band_change": pipeline.superseded_band(requisition) if show_pay else None,
        "can_edit": permissions.can_edit_requisition(user, requisition),
        "can_add": permissions.can_add_application(user),
        "add_form": add_form or ApplicationCreateForm(),
        "follow_up": pipeline.follow_up(requisition) if can_move else [],
        "columns": selectors.board(user=user, requisition=requisition, filters=filters),
        "final_stages": sorted(stages.FINAL),
        "filter_form": filter_form,
        "filtered": bool(filters.as_query()),
        "filter_query": urlencode(filters.as_query()),
        "can_move": can_move,
        "board_json": _board_config(reasons) if can_move else "",
        "bulk_form": bulk_form or _bulk_form(reasons),
        "history": selectors.recent_changes(user, requisition, limit=HISTORY_ROWS),
        # What higher apps add (reports: the funnel and days in stage), by registration.
        "sections": sections.page_sections(sections.REQUISITION, requisition, user, request),
    }


@login_required
@require_GET
def board_column(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    """The next cards of one column, after the cursor in ``?after=``."""
    requisition = visible_requisition(request.user, pk)
    if stage not in stages.ALL_STAGES:
        raise Http404
    filters = _filters(BoardFilterForm(request.GET))
    try:
        column = selectors.column_page(
            user=request.user,
            requisition=requisition,
            stage=stage,
            after=request.GET.get("after", ""),
            filters=filters,
        )
    except ValueError as exc:
        raise Http404 from exc
    audit.record(audit.Action.LIST, "candidate", request=request, row_count=len(column.cards))
    context = {
        "requisition": requisition,
        "column": column,
        "can_move": permissions.can_move_on(request.user, requisition),
        "final_stages": sorted(stages.FINAL),
        "filter_query": urlencode(filters.as_query()),
    }
    fragment = request.headers.get("X-Requested-With") == "fetch"
    template = "hiring/_board_cards.html" if fragment else "hiring/board_column.html"
    return render(request, template, context)


@login_required
@require_POST
def board_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the selected cards: all of them, or none with the reason why."""
    user = request.user
    requisition = visible_requisition(user, pk)
    if not permissions.can_move_on(user, requisition):
        raise PermissionDenied
    reasons = _reasons()
    form = _bulk_form(reasons, data=request.POST)
    if form.is_valid():
        try:
            moved = _move_selected(user, requisition, form.cleaned_data)
        except CorePermissionDenied as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            label = Stage(form.cleaned_data["to_stage"]).label.lower()
            messages.success(request, f"{_people(moved)} moved to {label}.")
            return redirect(reverse("hiring:requisition-detail", args=[pk]) + "#board")
    context = page_context(request, requisition, bulk_form=form)
    return render(request, "hiring/requisition_detail.html", context, status=400)


urlpatterns = [
    path("requisitions/<int:pk>/board/move/", board_move, name="board-move"),
    path("requisitions/<int:pk>/board/<str:stage>/", board_column, name="board-column"),
]


def _move_selected(user, requisition: Requisition, data: dict) -> int:
    pairs = data["cards"]
    visible = (
        permissions.applications_visible_to(user)
        .filter(requisition=requisition, pk__in=[pk for pk, _ in pairs])
        .select_related("candidate", "requisition")
    )
    found = {app.pk: app for app in visible}
    if len(found) != len({pk for pk, _ in pairs}):
        raise DomainError.for_field("cards", "A selected card is no longer on this board.")
    changes = applications_move(
        moves=[(found[pk], seen) for pk, seen in pairs],
        to_stage=data["to_stage"],
        actor=user,
        reason=data["reason"] or None,
    )
    return len(changes)


def _people(count: int) -> str:
    return "1 candidate" if count == 1 else f"{count} candidates"


def _filters(form: BoardFilterForm) -> selectors.BoardFilters:
    if not form.is_bound or not form.is_valid():
        return selectors.BoardFilters()
    return selectors.BoardFilters(**form.cleaned_data)


def _reasons() -> list[DispositionReason]:
    return list(DispositionReason.objects.filter(is_active=True).order_by("display_order", "id"))


def _bulk_form(reasons: list[DispositionReason], data=None) -> BulkMoveForm:
    rejected = [(r.code, r.label) for r in reasons if r.applies_to == Stage.REJECTED]
    return BulkMoveForm(data, targets=BULK_TARGETS, reasons=rejected, auto_id="bulk_%s")


def _board_config(reasons: list[DispositionReason]) -> str:
    """The move dialog's facts, all from the server's rules (``hiring.rules``)."""
    config = json.loads(stages.board_config_json())
    config["moves"] = {
        stage: [{"stage": to, "needs": _needs(stage, to)} for to in rules.allowed_moves(stage)]
        for stage in stages.ALL_STAGES
        if rules.allowed_moves(stage)
    }
    config["reasons"] = {
        stage: [[r.code, r.label] for r in reasons if r.applies_to == stage]
        for stage in stages.DISPOSITIONS
    }
    return json.dumps(config)


def _needs(from_stage: str, to_stage: str) -> str:
    if to_stage in stages.DISPOSITIONS:
        return "reason"
    return "note" if rules.is_backward(from_stage, to_stage) else ""


def visible_requisition(user, pk: int | None) -> Requisition:
    """The requisition if the user may see it; 404 otherwise."""
    if pk is None:
        raise Http404
    try:
        return pipeline.requisition_detail(user=user, pk=pk)
    except Requisition.DoesNotExist as exc:
        raise Http404 from exc
