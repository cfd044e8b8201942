"""application_create and level fit on applications."""

from decimal import Decimal

import pytest

from core.errors import DomainError
from hiring.models import Application, StageChange
from hiring.permissions import applications_visible_to
from hiring.selectors import pipeline as selectors
from hiring.services.applications import application_create
from hiring.services.requisitions import requisition_update
from roles.models import Level
from roles.selectors import level_for_years
from tests.candidates.factories import CandidateFactory
from tests.hiring.factories import apply_candidate, open_requisition

pytestmark = pytest.mark.django_db


@pytest.fixture
def requisition(roles_data, recruiter, hiring_manager):
    return open_requisition(actor=recruiter, hiring_manager=hiring_manager)


def test_application_may_start_sourced(requisition, recruiter):
    app = apply_candidate(requisition=requisition, actor=recruiter, stage="sourced")
    assert app.stage == "sourced"
    assert (
        StageChange.objects.filter(application=app, from_stage="", to_stage="sourced").count() == 1
    )


def test_application_cannot_start_past_applied(requisition, recruiter):
    candidate = CandidateFactory()
    with pytest.raises(DomainError) as info:
        application_create(
            candidate=candidate, requisition=requisition, actor=recruiter, stage="interview"
        )
    assert info.value.errors == {"stage": ["A new application starts at sourced or applied."]}
    assert Application.objects.count() == 0


def test_same_candidate_twice_is_refused(requisition, recruiter):
    app = apply_candidate(requisition=requisition, actor=recruiter)
    with pytest.raises(DomainError) as info:
        application_create(candidate=app.candidate, requisition=requisition, actor=recruiter)
    assert info.value.errors == {
        "candidate": ["This candidate has already applied to this requisition."]
    }
    assert Application.objects.count() == 1
    assert StageChange.objects.count() == 1


@pytest.mark.parametrize("status", ["cancelled"])
def test_no_applications_on_closed_requisitions(requisition, recruiter, status):
    requisition_update(requisition=requisition, actor=recruiter, status=status)
    with pytest.raises(DomainError) as info:
        application_create(candidate=CandidateFactory(), requisition=requisition, actor=recruiter)
    assert info.value.errors == {
        "requisition": [
            "Candidates can only be added to an open or on-hold requisition; this one is cancelled."
        ]
    }
    assert Application.objects.count() == 0


def fit_for(app, user):
    [row] = list(selectors.application_list(user=user).filter(pk=app.pk))
    selectors.attach_level_fit([row])
    return row.level_fit


def test_level_fit_matches_a_certified_l2(requisition, recruiter, roles_data):
    candidate = CandidateFactory(years_experience=Decimal("3.5"))
    candidate.certifications.add(roles_data["certifications"]["aws"])
    app = apply_candidate(requisition=requisition, actor=recruiter, candidate=candidate)
    assert fit_for(app, recruiter).as_dict() == {
        "suggested_level": "L2",
        "requisition_level": "L2",
        "matches": True,
        "warnings": [],
    }


def test_level_fit_warns_on_junior_years_and_no_cloud_certification(requisition, recruiter):
    candidate = CandidateFactory(years_experience=Decimal("1"))
    app = apply_candidate(requisition=requisition, actor=recruiter, candidate=candidate)
    fit = fit_for(app, recruiter)
    assert fit.suggested_level == "L1"
    assert fit.warnings == (
        "1.0 years suggests L1; this requisition is L2.",
        "Missing a certification expected at L2: holds none of AWS ML Specialty, "
        "Azure AI Engineer Associate.",
    )


@pytest.mark.parametrize("years", ["0", "1.9", "2", "4.9", "5", "9.9", "10", "15", "30"])
def test_board_level_rule_agrees_with_roles_level_for_years(roles_data, years):
    rungs = selectors.level_rungs()
    from hiring.rules import suggest_level

    assert suggest_level(Decimal(years), rungs) == level_for_years(Decimal(years)).code


def test_interviewer_sees_only_the_applications_they_interview(
    requisition, recruiter, interviewer, other_interviewer
):
    from django.utils import timezone

    from hiring.models import Interview

    mine, other = (apply_candidate(requisition=requisition, actor=recruiter) for _ in range(2))
    interview = Interview.objects.create(
        application=mine, round_name="Technical", starts_at=timezone.now()
    )
    interview.interviewers.add(interviewer, other_interviewer)
    assert list(applications_visible_to(interviewer)) == [mine]
    assert list(applications_visible_to(other_interviewer)) == [mine]
    assert Level.objects.count() == 5
    assert other not in applications_visible_to(interviewer)
