"""The public careers page: open requisitions with their posted pay, and the application form.

No sign-in. CSRF stays on (Django's middleware; the form carries the token). Tries are
throttled per client address and per email (``core.throttle``, in the cache); a filled
honeypot field is treated as a bot: the same confirmation, nothing saved. The
confirmation never says whether the email was already known.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from core import pay, throttle
from core.body_limit import accepts_documents
from core.errors import DomainError
from hiring.forms.careers import CareersApplicationForm
from hiring.models import Requisition
from hiring.selectors.pipeline import job_description
from hiring.services.careers import CONSENT_TEXT, CONSENT_VERSION, careers_apply

logger = logging.getLogger(__name__)
THROTTLE_WINDOW = 60 * 60
THROTTLED = "Too many applications from here in the last hour. Please try again later."

app_name = "careers"


@require_GET
def careers_list(request: HttpRequest) -> HttpResponse:
    positions = list(_open().select_related("level", "zone", "track").order_by("title", "id"))
    return render(request, "careers/list.html", {"positions": positions})


@accepts_documents
@require_http_methods(["GET", "POST"])
def careers_position(request: HttpRequest, pk: int) -> HttpResponse:
    requisition = _open_position(pk)
    form = CareersApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if form.is_bot():
            logger.info("Careers: honeypot filled for requisition %s", requisition.pk)
            return redirect("careers:thanks", pk=requisition.pk)
        if not _allowed(request, form.cleaned_data["email"]):
            form.add_error(None, THROTTLED)
            return _render_position(request, requisition, form, status=429)
        try:
            outcome = careers_apply(requisition=requisition, **form.service_kwargs())
        except DomainError as exc:
            form.add_service_errors(exc.errors, exc.message)
        else:
            logger.info("Careers: %s for requisition %s", outcome, requisition.pk)
            return redirect("careers:thanks", pk=requisition.pk)
    return _render_position(request, requisition, form, status=400 if form.errors else 200)


@require_GET
def careers_thanks(request: HttpRequest, pk: int) -> HttpResponse:
    requisition = _open().filter(pk=pk).first()
    return render(request, "careers/thanks.html", {"requisition": requisition})


urlpatterns = [
    path("", careers_list, name="list"),
    path("<int:pk>/", careers_position, name="position"),
    path("<int:pk>/thanks/", careers_thanks, name="thanks"),
]


def _open():
    return Requisition.objects.filter(status=Requisition.Status.OPEN)


def _open_position(pk: int) -> Requisition:
    requisition = _open().select_related("level", "zone", "track").filter(pk=pk).first()
    if requisition is None:
        raise Http404("This position is not open.")
    return requisition


def _render_position(request, requisition: Requisition, form, *, status: int) -> HttpResponse:
    public = pay.posted_range_is_public(is_open=requisition.status == Requisition.Status.OPEN)
    context = {
        "requisition": requisition,
        "jd": job_description(requisition, include_pay=public),
        "form": form,
        "consent_text": CONSENT_TEXT,
        "consent_version": CONSENT_VERSION,
    }
    return render(request, "careers/position.html", context, status=status)


def _allowed(request: HttpRequest, email: str) -> bool:
    by_address = throttle.allow(
        "careers-address",
        throttle.client_address(request),
        limit=settings.CAREERS_THROTTLE_PER_ADDRESS,
        window_seconds=THROTTLE_WINDOW,
    )
    by_email = throttle.allow(
        "careers-email",
        email,
        limit=settings.CAREERS_THROTTLE_PER_EMAIL,
        window_seconds=THROTTLE_WINDOW,
    )
    return by_address and by_email
