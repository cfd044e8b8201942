"""Template tags for hiring pages.

``{% load hiring_tags %}{% candidate_pipeline candidate request.user %}`` renders a
candidate's applications the user may see, with every stage change and the
interviews and scorecards the user may read, in a fixed number of queries.
"""

from __future__ import annotations

from django import template

from hiring.models import COMPETENCIES, Scorecard
from hiring.permissions import can_manage_requisitions
from hiring.selectors.interviews import candidate_pipeline as pipeline_for
from hiring.selectors.interviews import is_blind, may_schedule, visible_scorecards
from hiring.stages import ACTIVE as ACTIVE_STAGES

register = template.Library()


@register.simple_tag
def may_open_requisition(requisition, user) -> bool:
    """Whether ``user`` may open this draft (the status rule of ``requisition_update``)."""
    return requisition.status == "draft" and can_manage_requisitions(user)


@register.inclusion_tag("hiring/tags/candidate_pipeline.html")
def candidate_pipeline(candidate, user) -> dict:
    applications = pipeline_for(candidate, user)
    rows = [
        {
            "application": application,
            "stage_changes": list(application.stage_changes.all()),
            "interviews": [_interview_row(i, user) for i in application.visible_interviews],
            "may_schedule": application.stage in ACTIVE_STAGES and may_schedule(user, application),
        }
        for application in applications
    ]
    return {"candidate": candidate, "rows": rows, "user": user}


@register.inclusion_tag("hiring/tags/scorecard.html")
def scorecard_summary(scorecard: Scorecard) -> dict:
    return {"scorecard": scorecard, "ratings": ratings_of(scorecard)}


def ratings_of(scorecard: Scorecard) -> list[tuple[str, int]]:
    """(label, value) for each of the guide's four work areas, in order."""
    return [
        (Scorecard._meta.get_field(name).verbose_name, getattr(scorecard, name))
        for name in COMPETENCIES
    ]


def _interview_row(interview, user) -> dict:
    return {
        "interview": interview,
        "interviewers": list(interview.interviewers.all()),
        "scorecards": visible_scorecards(interview, user),
        "blind": is_blind(interview, user),
    }
