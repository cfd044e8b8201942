"""The rules that lived in several places and disagreed, now decided once (issue: house in order).

Each test failed before its fix: pay shown to a manager who only sits on another
manager's panel, anyone accepted as hiring manager or recruiter, the admin keeping
an old posted range, the candidates API ignoring ``search``, role-data pay shown
to interviewers.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from hiring.models import Requisition
from hiring.services.requisitions import requisition_create, requisition_update
from roles.models import Level, Track, Zone
from tests.conftest import api_client_for
from tests.hiring.factories import apply_candidate, open_requisition
from tests.hiring.interview_world import InterviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel_world(guide, recruiter, hiring_manager, other_manager, interviewer):
    """other_manager's requisition; hiring_manager sits on its interview panel."""
    requisition = open_requisition(
        actor=recruiter, hiring_manager=other_manager, zone="san-francisco", level="L2"
    )
    application = apply_candidate(
        requisition=requisition,
        actor=recruiter,
        full_name="Omar Other",
        email="omar@example.com",
        expected_base=Decimal("171717"),
    )
    InterviewFactory(application=application, interviewers=[hiring_manager, interviewer])
    return requisition, application


# Bug 1: role-data pay reached interviewers and users with no group -----------------------


@pytest.mark.parametrize("who", ["interviewer", "outsider"])
def test_bands_api_refuses_those_who_never_see_pay(guide, who, request):
    user = request.getfixturevalue(who)
    response = api_client_for(user).get("/api/v1/bands/?track=ml-engineer&zone=new-york")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert "adjusted" not in response.content.decode()


@pytest.mark.parametrize("who", ["recruiter", "hiring_manager", "comp_admin"])
def test_bands_api_prices_for_those_who_see_pay(guide, who, request):
    user = request.getfixturevalue(who)
    response = api_client_for(user).get("/api/v1/bands/?track=ml-engineer&zone=new-york&level=L2")
    assert response.status_code == 200
    adjusted = response.json()["results"][0]["adjusted"]
    # 120,000-160,000 x 1.075 x 1.35
    assert (adjusted["min"], adjusted["max"]) == ("174150.00", "232200.00")


def test_levels_page_shows_levels_and_years_but_no_pay_to_an_interviewer(guide, interviewer):
    client = api_client_for(interviewer, token=False)
    body = client.get(reverse("roles:levels") + "?track=ml-engineer&zone=new-york").content
    text = body.decode()
    assert "L3" in text and "5–10 years" in text  # noqa: RUF001
    assert "$" not in text and "174,150" not in text and "Adjusted band" not in text


def test_tracks_and_zones_hide_their_premiums_from_an_interviewer(guide, interviewer, recruiter):
    hidden = api_client_for(interviewer).get("/api/v1/zones/new-york/").json()
    shown = api_client_for(recruiter).get("/api/v1/zones/new-york/").json()
    assert "premium_default_pct" not in hidden and hidden["slug"] == "new-york"
    assert shown["premium_default_pct"] == "35.00"


# Bug 2: a manager on another manager's panel saw that requisition's pay ----------------


def test_panel_manager_gets_no_posted_range_or_candidate_pay_in_the_api(
    panel_world, hiring_manager
):
    requisition, application = panel_world
    api = api_client_for(hiring_manager)
    req = api.get(f"/api/v1/requisitions/{requisition.pk}/").json()
    app = api.get(f"/api/v1/applications/{application.pk}/").json()
    cand = api.get(f"/api/v1/candidates/{application.candidate_id}/").json()
    assert (req["posted_min"], req["posted_max"], req["band"]) == (None, None, None)
    assert (app["candidate_expected_base"], app["posted_min"]) == (None, None)
    assert cand["expected_base"] is None and cand["full_name"] == "Omar Other"


def test_panel_manager_sees_no_pay_on_the_pages(panel_world, hiring_manager):
    requisition, application = panel_world
    client = api_client_for(hiring_manager, token=False)
    pages = [
        reverse("hiring:requisition-detail", args=[requisition.pk]),
        reverse("hiring:requisition-jd", args=[requisition.pk]),
        reverse("candidates:detail", args=[application.candidate_id]),
        reverse("candidates:list"),
        reverse("hiring:requisition-list"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert "171,717" not in text and "$162,000" not in text, url


def test_the_manager_of_the_requisition_still_sees_its_pay(panel_world, other_manager):
    requisition, application = panel_world
    api = api_client_for(other_manager)
    req = api.get(f"/api/v1/requisitions/{requisition.pk}/").json()
    cand = api.get(f"/api/v1/candidates/{application.candidate_id}/").json()
    assert (req["posted_min"], req["posted_max"]) == ("162000.00", "216000.00")
    assert cand["expected_base"] == "171717.00"


# Bug 3: anyone was accepted as hiring manager or recruiter -------------------------------


@pytest.mark.parametrize("field", ["hiring_manager", "recruiter"])
@pytest.mark.parametrize("who", ["interviewer", "outsider"])
def test_api_refuses_a_person_outside_the_group(
    guide, recruiter, hiring_manager, field, who, request
):
    person = request.getfixturevalue(who)
    body = {
        "title": "Applied AI engineer",
        "track": "ai-engineer",
        "level": "L2",
        "zone": "national",
        "hiring_manager": hiring_manager.pk,
        field: person.pk,
    }
    response = api_client_for(recruiter).post("/api/v1/requisitions/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert Requisition.objects.count() == 0


def test_service_refuses_a_recruiter_who_is_not_in_recruiters(
    guide, recruiter, hiring_manager, interviewer
):
    requisition = open_requisition(actor=recruiter, hiring_manager=hiring_manager)
    with pytest.raises(Exception) as caught:
        requisition_update(requisition=requisition, actor=recruiter, recruiter=interviewer)
    assert caught.value.errors == {"recruiter": [caught.value.errors["recruiter"][0]]}
    assert "only active members of Recruiters" in caught.value.message
    requisition.refresh_from_db()
    assert requisition.recruiter_id is None


def test_a_hiring_manager_drafts_only_for_themselves(guide, hiring_manager, other_manager):
    from core.errors import DomainError

    with pytest.raises(DomainError) as caught:
        requisition_create(
            actor=hiring_manager,
            title="Mine?",
            track=Track.objects.get(slug="ai-engineer"),
            level=Level.objects.get(code="L2"),
            zone=Zone.objects.get(slug="national"),
            hiring_manager=other_manager,
        )
    assert list(caught.value.errors) == ["hiring_manager"]
    mine = requisition_create(
        actor=hiring_manager,
        title="Mine",
        track=Track.objects.get(slug="ai-engineer"),
        level=Level.objects.get(code="L2"),
        zone=Zone.objects.get(slug="national"),
    )
    assert mine.hiring_manager == hiring_manager and mine.status == "draft"


def test_services_check_the_actor(guide, recruiter, hiring_manager, interviewer):
    from core.errors import PermissionDenied

    requisition = open_requisition(actor=recruiter, hiring_manager=hiring_manager)
    with pytest.raises(PermissionDenied):
        requisition_update(requisition=requisition, actor=interviewer, title="Hijacked")
    with pytest.raises(PermissionDenied):
        apply_candidate(requisition=requisition, actor=interviewer)
    requisition.refresh_from_db()
    assert requisition.title != "Hijacked"


# Bug 4: the admin kept the old posted range --------------------------------------------


def test_admin_zone_change_reprices_the_posted_range(guide, admin_user, recruiter, hiring_manager):
    requisition = open_requisition(actor=recruiter, hiring_manager=hiring_manager)
    assert (requisition.posted_min, requisition.posted_max) == (Decimal(120000), Decimal(160000))
    client = api_client_for(admin_user, token=False)
    url = reverse("admin:hiring_requisition_change", args=[requisition.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: ("" if value is None else getattr(value, "pk", value))
        for name, value in form.initial.items()
        if name in form.fields
    }
    data["zone"] = Zone.objects.get(slug="san-francisco").pk
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    requisition.refresh_from_db()
    assert (requisition.posted_min, requisition.posted_max) == (Decimal(162000), Decimal(216000))
    assert requisition.history.first().history_user == admin_user


def test_admin_refuses_what_the_service_refuses(guide, admin_user, recruiter, hiring_manager):
    requisition = open_requisition(actor=recruiter, hiring_manager=hiring_manager)
    client = api_client_for(admin_user, token=False)
    url = reverse("admin:hiring_requisition_change", args=[requisition.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: ("" if value is None else getattr(value, "pk", value))
        for name, value in form.initial.items()
        if name in form.fields
    }
    data["posted_max"] = "999999"
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "posted_max" in errors and "inside the band" in errors["posted_max"][0]
    requisition.refresh_from_db()
    assert requisition.posted_max == Decimal(160000)


# Bug 5: the candidates API read q, not search ---------------------------------------------


def test_candidates_api_takes_search(guide, recruiter):
    from tests.candidates.factories import CandidateFactory

    CandidateFactory(full_name="Grace Searchable")
    CandidateFactory(full_name="Alan Other")
    response = api_client_for(recruiter).get("/api/v1/candidates/?search=searchable")
    assert [row["full_name"] for row in response.json()["results"]] == ["Grace Searchable"]
