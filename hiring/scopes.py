"""What hiring adds to the candidates app, registered at start-up (``HiringConfig.ready``).

Candidates never import hiring: they ask ``candidates.scopes`` and hiring
answers there (see that module). Three answers:

- which candidates a user sees through the pipeline (the applications they see);
- which candidates' pay a hiring manager sees (those who applied to a requisition
  they manage; ``core.pay`` decides with this fact);
- the candidate page's "Applications and timeline" block.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.template.loader import render_to_string

from candidates import scopes
from core import access
from hiring.models import Application
from hiring.permissions import applications_visible_to, can_add_application

SECTION_TEMPLATE = "hiring/tags/candidate_pipeline.html"
ADD_TEMPLATE = "hiring/adding/_section.html"


def register() -> None:
    scopes.register(
        visible=visible_candidate_ids,
        pay_visible=pay_visible_candidate_ids,
        section=applications_section,
    )
    scopes.register(section=add_to_requisition_section)


def visible_candidate_ids(user) -> QuerySet:
    return applications_visible_to(user).values("candidate_id")


def pay_visible_candidate_ids(user) -> QuerySet:
    if not access.is_hiring_manager(user):
        return Application.objects.none().values("candidate_id")
    return Application.objects.filter(requisition__hiring_manager_id=user.pk).values("candidate_id")


def applications_section(candidate, user, request=None) -> scopes.PageSection:
    # Imported here: the template tag module reads selectors that import this app's models.
    from hiring.templatetags.hiring_tags import candidate_pipeline

    html = render_to_string(SECTION_TEMPLATE, candidate_pipeline(candidate, user))
    return scopes.PageSection(
        anchor="applications", title="Applications, timeline and scorecards", html=html
    )


def add_to_requisition_section(candidate, user, request=None) -> scopes.PageSection | None:
    """The "add to a requisition" form, for those who add candidates."""
    from hiring.selectors.journeys import requisitions_to_add

    if not can_add_application(user):
        return None
    context = {"candidate": candidate, "requisitions": requisitions_to_add(user, candidate.pk)}
    return scopes.PageSection(
        anchor="add-to-requisition",
        title="Add to a requisition",
        html=render_to_string(ADD_TEMPLATE, context, request=request),
    )
