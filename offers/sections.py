"""What offers adds to hiring's pages, registered at start-up (``OffersConfig.ready``).

Hiring never imports offers: it asks ``hiring.sections`` and offers answers there.

- the application page's "Recommendation and offer" block, for users who see
  that requisition's pay (``hiring.permissions.sees_requisition_pay``): the
  recommendation explained, and the form that drafts an offer from it;
- the dashboard's "Waiting for my approval" block, for those who approve offers.

Each block is rendered here, from offers' own templates.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from candidates.scopes import PageSection
from core.errors import DomainError
from hiring import permissions as hiring_permissions
from hiring import sections
from hiring.models import Requisition
from hiring.stages import Stage
from offers import permissions
from offers.models import Offer
from offers.selectors import recommend_for_application, waiting_for_approval
from offers.states import OPEN_STATUSES

RECOMMENDATION_TEMPLATE = "offers/_recommendation_section.html"
WAITING_TEMPLATE = "offers/_waiting_section.html"


def register() -> None:
    sections.register(sections.APPLICATION, recommendation_section)
    sections.register(sections.DASHBOARD, waiting_section)


def recommendation_section(application, user, request) -> PageSection | None:
    if not hiring_permissions.sees_requisition_pay(user, application.requisition):
        return None
    context = recommendation_context(application, user)
    html = render_to_string(RECOMMENDATION_TEMPLATE, context, request=request)
    return PageSection(anchor="offer", title="Recommendation and offer", html=html)


def waiting_section(_obj, user, request) -> PageSection | None:
    if not permissions.may_approve_any(user):
        return None
    offers = waiting_for_approval(user)
    html = render_to_string(WAITING_TEMPLATE, {"offers": offers}, request=request)
    return PageSection(anchor="waiting-approval", title="Waiting for my approval", html=html)


def recommendation_context(application, user, *, form=None) -> dict:
    """The recommendation (or why there is none), the offers so far, and the create form."""
    # Imported here: forms are a view-layer module (see docs/architecture.md).
    from offers.forms import OfferCreateForm

    offers = list(Offer.objects.filter(application=application).order_by("-created_at", "-id"))
    current = next((o for o in offers if o.status in OPEN_STATUSES), None)
    recommendation, problem = None, ""
    try:
        recommendation = recommend_for_application(application).result.as_dict()
    except DomainError as exc:
        problem = exc.message
    may_create = (
        recommendation is not None
        and permissions.can_manage_offers(user)
        and current is None
        and application.stage == Stage.OFFER
        and application.requisition.status == Requisition.Status.OPEN
    )
    if may_create and form is None:
        initial = OfferCreateForm.initial_for(base_salary=recommendation["recommended_base"])
        form = OfferCreateForm(initial={**initial, "application": application.pk})
    return {
        "application": application,
        "recommendation": recommendation,
        "problem": problem,
        "offers": offers,
        "current": current,
        "may_manage": permissions.can_manage_offers(user),
        "may_create": may_create,
        "form": form,
    }
