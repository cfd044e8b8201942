"""Pipeline pages for every role, on one world built once for the module (the create form,
query counts and the journeys, which start from an empty pipeline: test_pages_journeys.py)."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from hiring.models import Application, Interview, StageChange
from tests.candidates.factories import CandidateFactory
from tests.conftest import shared_world
from tests.hiring.factories import apply_candidate, open_requisition
from tests.hiring.pages import client_for, url

pytestmark = pytest.mark.django_db

ROLES = ("admin", "comp_admin", "recruiter", "hiring_manager", "interviewer", "outsider")


def _build(cast) -> dict:
    recruiter, hiring_manager = cast["recruiter"], cast["hiring_manager"]
    other_manager, interviewer = cast["other_manager"], cast["interviewer"]
    mine = open_requisition(actor=recruiter, hiring_manager=hiring_manager, title="Mine")
    theirs = open_requisition(actor=recruiter, hiring_manager=other_manager, title="Theirs")
    interviewed = apply_candidate(
        requisition=mine, actor=recruiter, full_name="Ada Interviewed", expected_base=Decimal("1")
    )
    other = apply_candidate(requisition=mine, actor=recruiter, full_name="Bob Other")
    interview = Interview.objects.create(
        application=interviewed, round_name="Technical", starts_at=timezone.now()
    )
    interview.interviewers.add(interviewer)
    return {"mine": mine, "theirs": theirs, "interviewed": interviewed, "other": other}


# The cast, the role data and the world are built once for the module; each test gets
# copies of them and runs in its own savepoint (tests/conftest.py, ``shared_world``).
globals().update(shared_world(_build, role_data="roles_data"))


def test_anonymous_is_sent_to_login_from_every_page(client, world):
    app = world["other"]
    pages = [
        url("dashboard"),
        url("requisition-list"),
        url("requisition-create"),
        url("requisition-detail", world["mine"].pk),
        url("requisition-edit", world["mine"].pk),
        url("requisition-jd", world["mine"].pk),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(reverse("login"))
    posted = client.post(url("application-move", app.pk), {"to_stage": "screen"})
    assert posted.status_code == 302
    app.refresh_from_db()
    assert app.stage == "applied"


@pytest.mark.parametrize(
    ("role", "titles"),
    [
        ("admin", {"Mine", "Theirs"}),
        ("comp_admin", {"Mine", "Theirs"}),
        ("recruiter", {"Mine", "Theirs"}),
        ("hiring_manager", {"Mine"}),
        ("interviewer", {"Mine"}),
        ("outsider", set()),
    ],
)
def test_requisition_list_by_role(client, cast, world, role, titles):
    response = client_for(client, cast[role]).get(url("requisition-list"))
    assert response.status_code == 200
    assert {r.title for r in response.context["page"].object_list} == titles
    pay_shown = "Posted range" in response.content.decode()
    assert pay_shown is (role not in ("interviewer", "outsider"))


def test_requisition_list_filters_and_search(client, recruiter, world):
    c = client_for(client, recruiter)
    assert [r.title for r in c.get(url("requisition-list") + "?q=theirs").context["page"]] == [
        "Theirs"
    ]
    assert list(c.get(url("requisition-list") + "?status=draft").context["page"]) == []
    assert len(c.get(url("requisition-list") + "?level=L2&zone=national").context["page"]) == 2


@pytest.mark.parametrize("role", ROLES)
def test_dashboard_by_role(client, cast, world, role):
    response = client_for(client, cast[role]).get(url("dashboard"))
    assert response.status_code == 200
    mine = [r.title for r in response.context["requisitions"]]
    activity = response.context["activity"]
    if role == "hiring_manager":
        assert mine == ["Mine"]
        assert dict(response.context["requisitions"][0].stage_counts)["Applied"] == 2
    if role == "outsider":
        assert (mine, activity) == ([], [])
    if role == "interviewer":
        assert [i.round_name for i in response.context["interviews"]] == []  # it started now
        assert {c.application.candidate.full_name for c in activity} == {"Ada Interviewed"}


@pytest.mark.parametrize(
    ("role", "status_code", "cards"),
    [
        ("admin", 200, {"Ada Interviewed", "Bob Other"}),
        ("comp_admin", 200, {"Ada Interviewed", "Bob Other"}),
        ("recruiter", 200, {"Ada Interviewed", "Bob Other"}),
        ("hiring_manager", 200, {"Ada Interviewed", "Bob Other"}),
        ("interviewer", 200, {"Ada Interviewed"}),
        ("outsider", 404, None),
    ],
)
def test_requisition_detail_by_role(client, cast, world, role, status_code, cards):
    response = client_for(client, cast[role]).get(url("requisition-detail", world["mine"].pk))
    assert response.status_code == status_code
    if cards is None:
        return
    shown = {c.candidate.full_name for col in response.context["columns"] for c in col.cards}
    assert shown == cards
    html = response.content.decode()
    assert ("$120,000\u2013$160,000" in html) is (role != "interviewer")
    assert ('data-move-url="/hiring/applications/' in html) is (role != "interviewer")


@pytest.mark.parametrize("role", ["hiring_manager", "interviewer", "outsider"])
def test_hidden_requisition_pages_are_404(client, cast, world, role):
    c = client_for(client, cast[role])
    for name in ("requisition-detail", "requisition-jd", "requisition-edit"):
        assert c.get(url(name, world["theirs"].pk)).status_code == 404


@pytest.mark.parametrize(
    ("role", "status_code"),
    [
        ("admin", 200),
        ("comp_admin", 200),
        ("recruiter", 200),
        ("hiring_manager", 403),
        ("interviewer", 403),
        ("outsider", 404),
    ],
)
def test_edit_page_by_role(client, cast, world, role, status_code):
    c = client_for(client, cast[role])
    assert c.get(url("requisition-edit", world["mine"].pk)).status_code == status_code
    response = c.post(url("requisition-edit", world["mine"].pk), {"title": "Changed"})
    assert response.status_code == (400 if status_code == 200 else status_code)
    world["mine"].refresh_from_db()
    assert world["mine"].title == "Mine"


@pytest.mark.parametrize(
    "role", ["admin", "comp_admin", "recruiter", "hiring_manager", "interviewer"]
)
def test_job_description_page(client, cast, world, role):
    response = client_for(client, cast[role]).get(url("requisition-jd", world["mine"].pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "AI Engineer, L2 · AI Engineer / ML Engineer II" in html
    assert "At least one of: AWS ML Specialty, Azure AI Engineer Associate." in html
    assert "css/hiring.css" in html
    assert ("Base salary $120,000 to $160,000 per year." in html) is (role != "interviewer")


@pytest.mark.parametrize(
    ("role", "status_code"),
    [
        ("admin", 302),
        ("comp_admin", 302),
        ("recruiter", 302),
        ("hiring_manager", 403),
        ("interviewer", 403),
        ("outsider", 404),
    ],
)
def test_add_candidate_by_role(client, cast, world, role, status_code):
    candidate = CandidateFactory(email="new.person@example.com")
    response = client_for(client, cast[role]).post(
        url("application-create"),
        {
            "requisition": world["mine"].pk,
            "candidate_email": "New.Person@example.com",
            "stage": "applied",
        },
    )
    assert response.status_code == status_code
    assert Application.objects.filter(candidate=candidate).exists() is (status_code == 302)


def test_add_unknown_candidate_shows_the_error_inline(client, recruiter, world):
    response = client_for(client, recruiter).post(
        url("application-create"),
        {
            "requisition": world["mine"].pk,
            "candidate_email": "nobody@example.com",
            "stage": "applied",
        },
    )
    assert response.status_code == 400
    assert "No candidate with this email. Add the candidate first." in response.content.decode()
    assert Application.objects.count() == 2


@pytest.mark.parametrize(
    ("role", "status_code"),
    [
        ("admin", 302),
        ("comp_admin", 302),
        ("recruiter", 302),
        ("hiring_manager", 302),
        ("interviewer", 403),
        ("outsider", 404),
    ],
)
def test_move_form_by_role(client, cast, world, role, status_code):
    app = world["interviewed"]
    response = client_for(client, cast[role]).post(
        url("application-move", app.pk), {"to_stage": "screen", "expected_stage": "applied"}
    )
    assert response.status_code == status_code
    app.refresh_from_db()
    assert app.stage == ("screen" if status_code == 302 else "applied")


def test_stale_move_form_says_where_the_card_went(client, recruiter, other_recruiter, world):
    app = world["other"]
    form = {"to_stage": "screen", "expected_stage": "applied", "reason": "", "note": ""}
    client_for(client, recruiter).post(url("application-move", app.pk), form)
    client.force_login(other_recruiter)
    stale = client.post(
        url("application-move", app.pk), {**form, "to_stage": "interview"}, follow=True
    )
    assert "Bob Other: This card moved meanwhile to Screen." in stale.content.decode()
    as_json = client.post(
        url("application-move", app.pk),
        {**form, "to_stage": "interview"},
        HTTP_ACCEPT="application/json",
    )
    assert as_json.status_code == 409
    assert as_json.json()["current_stage"] == "screen"
    assert StageChange.objects.filter(application=app).count() == 2


def test_forbidden_move_form_explains_allowed_moves(client, recruiter, world):
    app = world["other"]
    response = client_for(client, recruiter).post(
        url("application-move", app.pk),
        {"to_stage": "screen", "expected_stage": "applied"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    response = client.post(
        url("application-move", app.pk),
        {"to_stage": "sourced", "expected_stage": "screen", "note": "back"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Cannot move from screen to sourced. "
        "Allowed from screen: applied, interview, offer, rejected, withdrawn."
    )
    hired = client.post(
        url("application-move", app.pk),
        {"to_stage": "hired", "expected_stage": "screen"},
        HTTP_ACCEPT="application/json",
    )
    assert hired.status_code == 400
    assert hired.json()["detail"] == "Hired is reached by accepting the offer on the offer page."
    assert hired.json()["code"] == "hire_through_offer"
    unknown = client.post(
        url("application-move", app.pk),
        {"to_stage": "limbo", "expected_stage": "applied"},
        HTTP_ACCEPT="application/json",
    )
    assert unknown.status_code == 400
    assert "Valid stages: sourced, applied" in unknown.json()["detail"]
    app.refresh_from_db()
    assert app.stage == "screen"


def test_templates_have_no_inline_script_or_style():
    root = Path(settings.BASE_DIR) / "templates" / "hiring"
    for path in root.glob("*.html"):
        text = path.read_text()
        assert "style=" not in text, path
        assert "<style" not in text, path
        assert "<script>" not in text and "<script " not in text.replace("<script src=", ""), path
