"""Admin for interviews and scorecards: staff pages with history; others are turned away."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.hiring.interview_world import ScorecardFactory


@pytest.fixture
def world(interviewer, interview_world):
    world = interview_world
    world.card = ScorecardFactory(interview=world.interview, interviewer=interviewer)
    return world


def admin_urls(world) -> list[str]:
    return [
        reverse("admin:hiring_interview_changelist"),
        reverse("admin:hiring_interview_change", args=[world.interview.pk]),
        reverse("admin:hiring_interview_history", args=[world.interview.pk]),
        reverse("admin:hiring_scorecard_changelist"),
        reverse("admin:hiring_scorecard_change", args=[world.card.pk]),
        reverse("admin:hiring_scorecard_history", args=[world.card.pk]),
    ]


@pytest.mark.django_db
def test_superuser_opens_every_interview_admin_page(client, world, admin_user):
    client.force_login(admin_user)

    statuses = [client.get(url).status_code for url in admin_urls(world)]

    assert statuses == [200] * 6


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["recruiter", "hiring_manager", "interviewer", "outsider", None])
def test_non_staff_are_sent_to_the_admin_login(request, client, world, role):
    if role:
        client.force_login(request.getfixturevalue(role))

    responses = [client.get(url) for url in admin_urls(world)]

    assert [r.status_code for r in responses] == [302] * 6
    assert all(r["Location"].startswith(reverse("admin:login")) for r in responses)


@pytest.mark.django_db
def test_admin_edit_is_recorded_in_history_with_the_user(client, world, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:hiring_scorecard_change", args=[world.card.pk])
    form = {
        "interview": world.interview.pk,
        "interviewer": world.card.interviewer_id,
        "model_development": 1,
        "data_engineering": 1,
        "collaboration": 1,
        "research_infrastructure": 1,
        "recommendation": "strong_no",
        "comments": "Corrected",
    }

    response = client.post(url, form)

    assert response.status_code == 302
    world.card.refresh_from_db()
    assert world.card.recommendation == "strong_no"
    assert world.card.history.first().history_user == admin_user
