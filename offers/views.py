"""Offer pages: the list, the offer with its approval timeline and actions, create and
edit, the printable letter and its PDF.

Views are thin: they read through ``offers.permissions`` (an offer the user may
not see answers 404), write through ``offers.services`` (which check the actor),
and show a refused action's message on the offer page, with nothing changed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import audit, pay
from core.errors import DomainError, page_status
from core.errors import PermissionDenied as CorePermissionDenied
from hiring.models import Application
from hiring.permissions import applications_visible_to, sees_requisition_pay
from offers import letters, permissions, sections, selectors, services, states
from offers.forms import ActionForm, DeclineForm, OfferCreateForm, OfferFilterForm, OfferTermsForm
from offers.models import Offer, OfferApproval
from offers.selectors import band_change

PAGE_SIZE = 25
Action = states.Action
#: The buttons of the offer page, in the order shown, and the service each calls.
MANAGER_ACTIONS = (Action.SUBMIT, Action.SEND, Action.ACCEPT, Action.DECLINE, Action.RESCIND)
APPROVER_ACTIONS = (Action.APPROVE, Action.REJECT)
ACTION_LABELS = {
    Action.SUBMIT: "Submit for approval",
    Action.APPROVE: "Approve",
    Action.REJECT: "Reject",
    Action.SEND: "Mark as sent to the candidate",
    Action.ACCEPT: "Record acceptance",
    Action.DECLINE: "Record decline",
    Action.RESCIND: "Rescind",
}
NOTE_REQUIRED = {Action.REJECT, Action.RESCIND}


@login_required
@require_GET
def offer_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not pay.may_ever_see_pay(user):
        raise DjangoPermissionDenied(pay.DENIED_MESSAGE)
    form = OfferFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = _listed(user)
    waiting = selectors.waiting_ids(user)
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    if filters.get("waiting"):
        queryset = queryset.filter(pk__in=waiting)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "waiting": waiting,
    }
    return render(request, "offers/offer_list.html", context)


@login_required
@require_GET
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _visible_offer(request.user, pk)
    return render(request, "offers/offer_detail.html", _detail_context(request, offer))


@login_required
@require_http_methods(["GET", "POST"])
def offer_create_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    source = request.POST if request.method == "POST" else request.GET
    application = _application_for_offer(user, source.get("application"))
    if request.method == "GET":
        return redirect(reverse("hiring:application-detail", args=[application.pk]) + "#offer")
    form = OfferCreateForm(request.POST)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "application"}
        try:
            offer = services.offer_create(application=application, actor=user, **data)
        except CorePermissionDenied as exc:
            raise DjangoPermissionDenied(exc.message) from exc
        except DomainError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "Offer drafted from the recommendation.")
            return redirect("offers:detail", pk=offer.pk)
    context = sections.recommendation_context(application, user, form=form)
    context["title"] = f"Offer for {application.candidate.full_name}"
    return render(request, "offers/offer_form.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def offer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    offer = _visible_offer(user, pk)
    if not permissions.can_manage_offers(user):
        raise DjangoPermissionDenied(services.MANAGE_DENIED)
    form = OfferTermsForm(request.POST or None, initial=_terms(offer))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.offer_update(offer=offer, actor=user, **form.cleaned_data)
            except CorePermissionDenied as exc:
                raise DjangoPermissionDenied(exc.message) from exc
            except DomainError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, "Offer updated.")
                return redirect("offers:detail", pk=offer.pk)
    context = {"offer": offer, "form": form, "title": f"Change offer #{offer.pk}"}
    return render(request, "offers/offer_edit.html", context, status=status)


@login_required
@require_POST
def offer_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = request.user
    offer = _visible_offer(user, pk)
    if action not in ACTION_LABELS:
        raise Http404
    form = (DeclineForm if action == Action.DECLINE else ActionForm)(request.POST)
    status = 400
    if form.is_valid():
        try:
            _perform(offer, action, user, form.cleaned_data)
        except CorePermissionDenied as exc:
            form.add_error(None, exc.message)
            status = 403
        except DomainError as exc:
            _add_errors(form, exc)
            status = page_status(exc)
        else:
            messages.success(request, _done_message(action, offer))
            return redirect("offers:detail", pk=offer.pk)
    offer = _visible_offer(user, pk)  # the page shows the offer as it is now
    context = _detail_context(request, offer, failed=(action, form))
    return render(request, "offers/offer_detail.html", context, status=status)


@login_required
@require_GET
def offer_letter(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _visible_offer(request.user, pk)
    context = {
        "letter": letters.letter_context(offer),
        "pdf_url": reverse("offers:letter-pdf", args=[offer.pk]),
        "offer": offer,
    }
    return render(request, "offers/letter.html", context)


@login_required
@require_GET
def offer_letter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _visible_offer(request.user, pk)
    response = HttpResponse(letters.letter_pdf(offer), content_type=letters.CONTENT_TYPE)
    # The letter names the person and their pay: a document download, under the candidate.
    candidate_id = offer.application.candidate_id
    audit.record(audit.Action.DOWNLOAD, "candidate", candidate_id, request=request)
    response["Content-Disposition"] = f'attachment; filename="{letters.letter_filename(offer)}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- reads -----------------------------------------------------------------------------


def _listed(user):
    return (
        permissions.offers_visible_to(user)
        .select_related(
            "application__candidate",
            "application__requisition__level",
            "application__requisition__track",
        )
        .order_by("-created_at", "-id")
    )


def _visible_offer(user, pk: int) -> Offer:
    queryset = permissions.offers_visible_to(user).select_related(
        "application__candidate",
        "application__requisition__track",
        "application__requisition__level",
        "application__requisition__zone",
        "application__requisition__hiring_manager",
        "band__source",
        "band__level",
        "created_by",
        "decline_reason",
    )
    return get_object_or_404(queryset, pk=pk)


def _application_for_offer(user, raw) -> Application:
    """The application an offer is drafted for: hidden → 404; no pay on it → 404 too."""
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        raise Http404 from None
    application = (
        applications_visible_to(user)
        .select_related(
            "candidate", "requisition__track", "requisition__level", "requisition__zone"
        )
        .prefetch_related(
            "candidate__certifications", "requisition__level__expected_certifications"
        )
        .filter(pk=pk)
        .first()
    )
    if application is None or not sees_requisition_pay(user, application.requisition):
        raise Http404
    if not permissions.can_manage_offers(user):
        raise DjangoPermissionDenied(services.MANAGE_DENIED)
    return application


def _detail_context(request: HttpRequest, offer: Offer, failed=None) -> dict:
    user = request.user
    events = list(offer.events.select_related("actor").order_by("at", "id"))
    approvals = list(offer.approvals.select_related("approver").order_by("round", "id"))
    actions = _actions_for(user, offer, approvals)
    failed_action, failed_form = failed or (None, None)
    failed_shown = False
    for item in actions:
        if item["action"] == failed_action:
            item["form"] = failed_form
            failed_shown = True
    return {
        "offer": offer,
        "application": offer.application,
        "requisition": offer.application.requisition,
        "recommendation": offer.recommendation or {},
        "events": events,
        "approvals": approvals,
        "required_roles": [OfferApproval.Role(r).label for r in permissions.required_roles(offer)],
        "actions": actions,
        "failed_form": failed_form,
        # A refused action without a button here: all its messages go at the top.
        "failed_errors": _all_errors(failed_form) if failed_form and not failed_shown else [],
        "may_edit": permissions.can_manage_offers(user)
        and offer.status in states.EDITABLE_STATUSES,
        "band_change": band_change(offer),
    }


def _actions_for(user, offer: Offer, approvals: list[OfferApproval]) -> list[dict]:
    """The buttons this user gets in this state (the services still decide on POST)."""
    allowed = states.allowed_actions(offer.status)
    shown = []
    if permissions.can_manage_offers(user):
        shown += [a for a in MANAGER_ACTIONS if a in allowed]
    if _may_decide_now(user, offer, approvals):
        shown += [a for a in APPROVER_ACTIONS if a in allowed]
    order = list(ACTION_LABELS)
    return [
        {
            "action": str(action),
            "label": ACTION_LABELS[action],
            "form": DeclineForm(auto_id=f"id_{action}_%s")
            if action == Action.DECLINE
            else ActionForm(auto_id=f"id_{action}_%s"),
            "note_required": action in NOTE_REQUIRED,
            "danger": action in (Action.REJECT, Action.RESCIND),
        }
        for action in sorted(shown, key=order.index)
    ]


def _may_decide_now(user, offer: Offer, approvals: list[OfferApproval]) -> bool:
    this_round = [a for a in approvals if a.round == offer.round]
    return bool(permissions.decidable_roles(user, offer, this_round))


# --- writes ----------------------------------------------------------------------------


def _perform(offer: Offer, action: str, user, data: dict) -> None:
    note = data.get("note", "")
    if action == Action.SUBMIT:
        services.offer_submit(offer=offer, actor=user, note=note)
    elif action == Action.APPROVE:
        services.offer_approve(offer=offer, actor=user, note=note)
    elif action == Action.REJECT:
        services.offer_reject(offer=offer, actor=user, note=note)
    elif action == Action.SEND:
        services.offer_send(offer=offer, actor=user, note=note)
    elif action == Action.ACCEPT:
        services.offer_accept(offer=offer, actor=user, note=note)
    elif action == Action.DECLINE:
        services.offer_decline(offer=offer, actor=user, reason=data["reason"], note=note)
    elif action == Action.RESCIND:
        services.offer_rescind(offer=offer, actor=user, note=note)


def _done_message(action: str, offer: Offer) -> str:
    # The services refresh ``offer`` after their transaction: this is the new status.
    return f"{ACTION_LABELS[action]}: done. The offer is now {offer.get_status_display().lower()}."


def _all_errors(form) -> list[str]:
    return [str(error) for errors in form.errors.values() for error in errors]


def _terms(offer: Offer) -> dict:
    return {
        "base_salary": offer.base_salary,
        "sign_on_bonus": offer.sign_on_bonus,
        "equity": offer.equity,
        "start_date": offer.start_date,
        "expires_on": offer.expires_on,
        "justification": offer.justification,
    }


def _add_errors(form, exc: DomainError) -> None:
    """The service's messages next to their fields; anything else at the top of the form."""
    if not exc.errors:
        form.add_error(None, exc.message)
        return
    for field, errors in exc.errors.items():
        target = field if field in form.fields and field != "application" else None
        for error in errors:
            form.add_error(target, error)
