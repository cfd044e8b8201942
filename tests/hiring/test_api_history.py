"""/api/v1/requisitions/{id}/job-description/ and /api/v1/applications/{id}/stage-changes/."""

from decimal import Decimal

import pytest
from django.utils import timezone

from hiring.models import Interview
from tests.conftest import shared_world
from tests.hiring.factories import apply_candidate, open_requisition, walk

pytestmark = pytest.mark.django_db


def _build(cast) -> dict:
    recruiter, hiring_manager = cast["recruiter"], cast["hiring_manager"]
    other_manager, interviewer = cast["other_manager"], cast["interviewer"]
    mine = open_requisition(actor=recruiter, hiring_manager=hiring_manager, title="Mine")
    theirs = open_requisition(actor=recruiter, hiring_manager=other_manager, title="Theirs")
    interviewed = apply_candidate(requisition=mine, actor=recruiter)
    walk(interviewed, ["screen", "interview"], actor=recruiter)
    interview = Interview.objects.create(
        application=interviewed, round_name="Technical", starts_at=timezone.now()
    )
    interview.interviewers.add(interviewer)
    elsewhere = apply_candidate(requisition=theirs, actor=recruiter)
    return {"mine": mine, "theirs": theirs, "interviewed": interviewed, "elsewhere": elsewhere}


globals().update(shared_world(_build, role_data="roles_data"))


def jd_url(requisition):
    return f"/api/v1/requisitions/{requisition.pk}/job-description/"


def history_url(application):
    return f"/api/v1/applications/{application.pk}/stage-changes/"


@pytest.mark.parametrize("role", ["admin", "comp_admin", "recruiter", "hiring_manager"])
def test_job_description_includes_the_posted_pay_for_those_who_see_pay(api, cast, world, role):
    response = api(cast[role]).get(jd_url(world["mine"]))
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Mine"
    pay = [s for s in body["sections"] if s["heading"] == "Pay"]
    assert pay == [{"heading": "Pay", "lines": ["Base salary $120,000 to $160,000 per year."]}]
    assert "Base salary $120,000 to $160,000 per year." in body["text"]


def test_job_description_leaves_pay_out_for_an_interviewer(api, interviewer, world):
    response = api(interviewer).get(jd_url(world["mine"]))
    assert response.status_code == 200
    body = response.json()
    assert "Pay" not in [s["heading"] for s in body["sections"]]
    assert "USD" not in body["text"]
    assert world["mine"].posted_min == Decimal("120000.00")


@pytest.mark.parametrize(("role", "status"), [("outsider", 404), ("interviewer", 404)])
def test_job_description_of_a_hidden_requisition_is_404(api, cast, world, role, status):
    assert api(cast[role]).get(jd_url(world["theirs"])).status_code == status


def test_hiring_manager_cannot_read_another_managers_job_description(api, hiring_manager, world):
    assert api(hiring_manager).get(jd_url(world["theirs"])).status_code == 404


def test_anonymous_gets_401_on_both(api, world):
    assert api(None).get(jd_url(world["mine"])).status_code == 401
    assert api(None).get(history_url(world["interviewed"])).status_code == 401


@pytest.mark.parametrize(
    "role", ["admin", "comp_admin", "recruiter", "hiring_manager", "interviewer"]
)
def test_stage_history_lists_every_move_oldest_first(api, cast, world, role):
    response = api(cast[role]).get(history_url(world["interviewed"]))
    assert response.status_code == 200
    rows = response.json()
    assert [(r["from_stage"], r["to_stage"], r["actor"]) for r in rows] == [
        ("", "applied", "recruiter"),
        ("applied", "screen", "recruiter"),
        ("screen", "interview", "recruiter"),
    ]
    assert all(r["application"] == world["interviewed"].pk for r in rows)


@pytest.mark.parametrize("role", ["hiring_manager", "interviewer", "outsider"])
def test_stage_history_of_a_hidden_application_is_404(api, cast, world, role):
    assert api(cast[role]).get(history_url(world["elsewhere"])).status_code == 404


def test_stage_history_costs_a_fixed_number_of_queries(
    api, recruiter, world, django_assert_max_num_queries
):
    client = api(recruiter)
    walk(world["elsewhere"], ["screen", "interview", "offer"], actor=recruiter)
    with django_assert_max_num_queries(6):
        response = client.get(history_url(world["elsewhere"]))
    assert len(response.json()) == 4
