"""The candidate_pipeline tag: what each role sees, and a fixed query count."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.template import engines
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hiring.models import Stage, StageChange
from tests.hiring.factories import ApplicationFactory, RequisitionFactory
from tests.hiring.interview_world import InterviewFactory, ScorecardFactory

TEMPLATE = "{% load hiring_tags %}{% candidate_pipeline candidate request.user %}"


def render(candidate, user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    template = engines["django"].from_string(TEMPLATE)
    return template.render({"candidate": candidate, "request": request})


@pytest.fixture
def world(recruiter, interviewer, other_interviewer, interview_world):
    world = interview_world
    at = timezone.now() - datetime.timedelta(days=3)
    StageChange.objects.create(
        application=world.application, from_stage="", to_stage=Stage.APPLIED, actor=recruiter, at=at
    )
    StageChange.objects.create(
        application=world.application,
        from_stage=Stage.APPLIED,
        to_stage=Stage.INTERVIEW,
        actor=recruiter,
        at=at + datetime.timedelta(days=1),
        note="Strong portfolio",
    )
    ScorecardFactory(
        interview=world.interview,
        interviewer=other_interviewer,
        comments="Other interviewer's notes",
        recommendation="strong_yes",
    )
    return world


@pytest.mark.django_db
def test_recruiter_sees_every_change_interview_and_scorecard(world, recruiter):
    html = render(world.application.candidate, recruiter)

    assert world.requisition.title in html
    assert "Applied → Interview" in html
    assert "— → Applied" in html
    assert "Strong portfolio" in html
    assert "by Recruiter" in html
    assert "Technical" in html
    assert "Other interviewer&#x27;s notes" in html
    assert "Strong yes" in html
    assert "Model development and deployment" in html
    assert "Years suggest L2 · requisition L2" in html


@pytest.mark.django_db
def test_interviewer_sees_others_scorecard_only_after_submitting(world, interviewer):
    before = render(world.application.candidate, interviewer)
    assert "Technical" in before
    assert "Other interviewer&#x27;s notes" not in before
    assert "appear once you submit yours" in before

    ScorecardFactory(interview=world.interview, interviewer=interviewer, comments="My notes")
    after = render(world.application.candidate, interviewer)
    assert "Other interviewer&#x27;s notes" in after
    assert "My notes" in after
    assert "appear once you submit yours" not in after


@pytest.mark.django_db
def test_interviewer_does_not_see_applications_they_do_not_interview(world, interviewer):
    html = render(world.other_application.candidate, interviewer)

    assert world.other_requisition.title not in html
    assert "No applications you can see." in html


@pytest.mark.django_db
def test_hiring_manager_sees_own_requisition_not_others(world, hiring_manager):
    own = render(world.application.candidate, hiring_manager)
    other = render(world.other_application.candidate, hiring_manager)

    assert "Other interviewer&#x27;s notes" in own
    assert world.other_requisition.title not in other
    assert "No applications you can see." in other


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["outsider", "anonymous"])
def test_outsider_and_anonymous_see_nothing(world, outsider, who):
    from django.contrib.auth.models import AnonymousUser

    user = outsider if who == "outsider" else AnonymousUser()
    html = render(world.application.candidate, user)

    assert world.requisition.title not in html
    assert "Technical" not in html
    assert "No applications you can see." in html


@pytest.mark.django_db
def test_tag_never_shows_pay(world, interviewer):
    world.requisition.posted_min = 987654
    world.requisition.posted_max = 998877
    world.requisition.save()

    html = render(world.application.candidate, interviewer)

    assert "Technical" in html
    for figure in ("987654", "987,654", "998877", "998,877"):
        assert figure not in html


def _grow(candidate, hiring_manager, recruiter, interviewer, n: int) -> None:
    for _ in range(n):
        application = ApplicationFactory(
            candidate=candidate, requisition=RequisitionFactory(hiring_manager=hiring_manager)
        )
        StageChange.objects.create(
            application=application,
            from_stage="",
            to_stage=Stage.APPLIED,
            actor=recruiter,
            at=timezone.now(),
        )
        interview = InterviewFactory(application=application, interviewers=[interviewer])
        ScorecardFactory(interview=interview, interviewer=interviewer)


@pytest.mark.django_db
@pytest.mark.parametrize("user_name", ["recruiter", "hiring_manager", "interviewer"])
def test_query_count_is_fixed(
    request, world, recruiter, hiring_manager, interviewer, django_assert_max_num_queries, user_name
):
    user = request.getfixturevalue(user_name)
    candidate = world.application.candidate
    _grow(candidate, hiring_manager, recruiter, interviewer, 4)
    user = type(user).objects.get(pk=user.pk)  # no cached groups
    with django_assert_max_num_queries(8):
        small = render(candidate, user)
    assert small.count('class="card pipeline-application"') == 5

    _grow(candidate, hiring_manager, recruiter, interviewer, 20)
    user = type(user).objects.get(pk=user.pk)
    with django_assert_max_num_queries(8):
        large = render(candidate, user)
    assert large.count('class="card pipeline-application"') == 25


#: The candidate page (issue 11's target: at most 15): signing in (session, the user with its
#: groups: 2), the candidate with skills and certifications (3), the access event (1), its
#: history with the many-to-many rows (1), this section's timeline (6), the "add to a
#: requisition" form (1) and the documents (1).
CANDIDATE_PAGE_QUERIES = 15


@pytest.mark.django_db
def test_candidate_page_costs_15_queries_with_5_or_25_applications(
    client, world, recruiter, hiring_manager, interviewer
):
    candidate = world.application.candidate
    url = reverse("candidates:detail", args=[candidate.pk])
    client.force_login(recruiter)
    counts = []
    for grow_by, applications in ((4, 5), (20, 25)):
        _grow(candidate, hiring_manager, recruiter, interviewer, grow_by)
        client.get(url)  # warm per-process caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.content.decode().count('class="card pipeline-application"') == applications
        counts.append(len(queries))
    assert counts == [CANDIDATE_PAGE_QUERIES, CANDIDATE_PAGE_QUERIES]
