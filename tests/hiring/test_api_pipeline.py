"""/api/v1/requisitions/ and /api/v1/applications/ for every role."""

from decimal import Decimal

import pytest
from django.utils import timezone

from hiring.models import Application, Interview, Requisition, StageChange
from tests.access_events import logged
from tests.candidates.factories import CandidateFactory
from tests.conftest import shared_world
from tests.hiring.factories import apply_candidate, open_requisition

pytestmark = pytest.mark.django_db

SEE_ALL = ("admin", "comp_admin", "recruiter")


def _build(cast) -> dict:
    recruiter, hiring_manager = cast["recruiter"], cast["hiring_manager"]
    other_manager, interviewer = cast["other_manager"], cast["interviewer"]
    mine = open_requisition(actor=recruiter, hiring_manager=hiring_manager, title="Mine")
    theirs = open_requisition(actor=recruiter, hiring_manager=other_manager, title="Theirs")
    interviewed = apply_candidate(
        requisition=mine, actor=recruiter, expected_base=Decimal("150000")
    )
    other = apply_candidate(requisition=mine, actor=recruiter)
    elsewhere = apply_candidate(requisition=theirs, actor=recruiter)
    interview = Interview.objects.create(
        application=interviewed, round_name="Technical", starts_at=timezone.now()
    )
    interview.interviewers.add(interviewer)
    return {
        "mine": mine,
        "theirs": theirs,
        "interviewed": interviewed,
        "other": other,
        "elsewhere": elsewhere,
    }


globals().update(shared_world(_build, role_data="roles_data"))


def ids(response):
    return sorted(row["id"] for row in response.json()["results"])


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", ["mine", "theirs"]),
        ("comp_admin", ["mine", "theirs"]),
        ("recruiter", ["mine", "theirs"]),
        ("hiring_manager", ["mine"]),
        ("interviewer", ["mine"]),
        ("outsider", []),
    ],
)
def test_requisition_list_is_scoped_by_role(api, cast, world, role, expected):
    response = api(cast[role]).get("/api/v1/requisitions/")
    assert response.status_code == 200
    assert ids(response) == sorted(world[name].pk for name in expected)
    assert set(response.json()) == {"count", "next", "previous", "results"}


def test_anonymous_gets_401_everywhere(api, world):
    client = api(None)
    app = world["interviewed"]
    for method, url in [
        ("get", "/api/v1/requisitions/"),
        ("get", f"/api/v1/requisitions/{world['mine'].pk}/"),
        ("post", "/api/v1/requisitions/"),
        ("patch", f"/api/v1/requisitions/{world['mine'].pk}/"),
        ("get", "/api/v1/applications/"),
        ("get", f"/api/v1/applications/{app.pk}/"),
        ("post", "/api/v1/applications/"),
        ("post", f"/api/v1/applications/{app.pk}/move/"),
    ]:
        assert getattr(client, method)(url, {}, format="json").status_code == 401, url
    app.refresh_from_db()
    assert app.stage == "applied"


@pytest.mark.parametrize("role", ["hiring_manager", "interviewer", "outsider"])
def test_hidden_requisition_is_404(api, cast, world, role):
    response = api(cast[role]).get(f"/api/v1/requisitions/{world['theirs'].pk}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_interviewer_never_sees_pay_fields(api, interviewer, recruiter, world):
    req = api(interviewer).get(f"/api/v1/requisitions/{world['mine'].pk}/").json()
    assert not {"posted_min", "posted_max", "band", "currency"} & set(req)
    app = api(interviewer).get(f"/api/v1/applications/{world['interviewed'].pk}/").json()
    assert not {"candidate_expected_base", "posted_min", "posted_max"} & set(app)
    full = api(recruiter).get(f"/api/v1/applications/{world['interviewed'].pk}/").json()
    assert full["candidate_expected_base"] == "150000.00"
    assert (full["posted_min"], full["posted_max"]) == ("120000.00", "160000.00")


def test_recruiter_creates_an_open_requisition_priced_from_the_band(
    api, recruiter, hiring_manager, roles_data
):
    body = {
        "title": "ML Engineer II",
        "track": "ml-engineer",
        "level": "L2",
        "zone": "san-francisco",
        "hiring_manager": hiring_manager.pk,
        "status": "open",
    }
    response = api(recruiter).post("/api/v1/requisitions/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    # 120,000-160,000 x 1.075 (ML engineer) x 1.35 (San Francisco)
    assert (data["posted_min"], data["posted_max"]) == ("174150.00", "232200.00")
    assert data["status"] == "open"
    assert data["band"] is not None


def test_widening_the_band_is_a_400_naming_the_field(api, recruiter, hiring_manager, roles_data):
    body = {
        "title": "AI Engineer II",
        "track": "ai-engineer",
        "level": "L2",
        "zone": "national",
        "hiring_manager": hiring_manager.pk,
        "posted_max": "999999",
    }
    before = Requisition.objects.count()
    response = api(recruiter).post("/api/v1/requisitions/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "posted_max": [
            "Posted maximum must lie inside the band: the band allows $120,000 to $160,000."
        ]
    }
    assert Requisition.objects.count() == before


def test_no_band_cannot_open_through_the_api(api, recruiter, hiring_manager, roles_data):
    body = {
        "title": "Research Scientist",
        "track": "research-scientist",
        "level": "L3",
        "zone": "national",
        "hiring_manager": hiring_manager.pk,
        "status": "open",
    }
    before = Requisition.objects.count()
    response = api(recruiter).post("/api/v1/requisitions/", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "no_band"
    assert Requisition.objects.count() == before


def test_hiring_manager_drafts_for_themselves(api, hiring_manager, other_manager, roles_data):
    body = {"title": "Draft", "track": "ai-engineer", "level": "L1", "zone": "national"}
    before = Requisition.objects.count()
    for_another = api(hiring_manager).post(
        "/api/v1/requisitions/", {**body, "hiring_manager": other_manager.pk}, format="json"
    )
    assert for_another.status_code == 400
    assert list(for_another.json()["errors"]) == ["hiring_manager"]
    assert Requisition.objects.count() == before
    response = api(hiring_manager).post("/api/v1/requisitions/", body, format="json")
    assert response.status_code == 201
    req = Requisition.objects.get(pk=response.json()["id"])
    assert (req.status, req.hiring_manager) == ("draft", hiring_manager)
    opened = api(hiring_manager).post(
        "/api/v1/requisitions/", {**body, "status": "open"}, format="json"
    )
    assert opened.status_code == 400
    assert Requisition.objects.count() == before + 1


@pytest.mark.parametrize("role", ["interviewer", "outsider"])
def test_create_requisition_denied(api, cast, roles_data, hiring_manager, role):
    body = {"title": "X", "track": "ai-engineer", "level": "L1", "zone": "national"}
    before = Requisition.objects.count()
    response = api(cast[role]).post("/api/v1/requisitions/", body, format="json")
    assert response.status_code == 403
    assert Requisition.objects.count() == before


@pytest.mark.parametrize(
    ("path", "hidden"),
    [
        ("/api/v1/applications/?requisition={}", lambda w: w["theirs"].pk),
        ("/api/v1/applications/?candidate={}", lambda w: w["elsewhere"].candidate_id),
        ("/api/v1/offers/?application={}", lambda w: w["elsewhere"].pk),
        ("/api/v1/interviews/?application={}", lambda w: w["elsewhere"].pk),
    ],
)
def test_a_hidden_id_and_a_missing_id_filter_alike(api, hiring_manager, world, path, hidden):
    client = api(hiring_manager)

    answers = [client.get(path.format(pk)) for pk in (hidden(world), 987_654_321)]

    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].json() == answers[1].json()
    assert answers[0].json()["count"] == 0
    bad = client.get(path.format("x"))
    assert bad.status_code == 400
    assert bad.json()["errors"] == {path.split("?")[1].split("=")[0]: ["Enter a whole number."]}


def test_a_user_id_filter_answers_alike_for_any_id(api, hiring_manager, outsider):
    client = api(hiring_manager)

    existing, missing = (
        client.get(f"/api/v1/requisitions/?recruiter={pk}") for pk in (outsider.pk, 987_654_321)
    )

    assert (existing.status_code, missing.status_code) == (200, 200)
    assert existing.json() == missing.json()


@pytest.mark.parametrize(
    ("role", "status_code"),
    [
        ("admin", 200),
        ("comp_admin", 200),
        ("recruiter", 200),
        ("hiring_manager", 403),  # their requisition is open: only drafts are theirs to edit
        ("interviewer", 403),
        ("outsider", 404),
    ],
)
def test_update_requisition_by_role(api, cast, world, role, status_code):
    req = world["mine"]
    response = api(cast[role]).patch(
        f"/api/v1/requisitions/{req.pk}/", {"status": "on_hold"}, format="json"
    )
    assert response.status_code == status_code
    req.refresh_from_db()
    assert req.status == ("on_hold" if status_code == 200 else "open")


def test_delete_is_not_offered_cancel_instead(api, recruiter, world):
    response = api(recruiter).delete(f"/api/v1/requisitions/{world['mine'].pk}/")
    assert response.status_code == 405
    assert Requisition.objects.filter(pk=world["mine"].pk).exists()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", ["interviewed", "other", "elsewhere"]),
        ("comp_admin", ["interviewed", "other", "elsewhere"]),
        ("recruiter", ["interviewed", "other", "elsewhere"]),
        ("hiring_manager", ["interviewed", "other"]),
        ("interviewer", ["interviewed"]),
        ("outsider", []),
    ],
)
def test_application_list_is_scoped_by_role(api, cast, world, role, expected):
    response = api(cast[role]).get("/api/v1/applications/")
    assert response.status_code == 200
    assert ids(response) == sorted(world[name].pk for name in expected)
    who, rows = cast[role].username, len(expected)
    assert logged() == [(who, "list", "api", "candidate", "", "/api/v1/applications/", rows)]


def test_application_filters_search_and_level_fit(api, recruiter, world):
    client = api(recruiter)
    by_req = client.get(f"/api/v1/applications/?requisition={world['theirs'].pk}")
    assert ids(by_req) == [world["elsewhere"].pk]
    name = world["other"].candidate.full_name
    assert ids(client.get(f"/api/v1/applications/?search={name}")) == [world["other"].pk]
    assert client.get("/api/v1/applications/?stage=screen").json()["count"] == 0
    row = client.get(f"/api/v1/applications/{world['other'].pk}/").json()
    assert row["level_fit"]["suggested_level"] == "L2"
    assert row["level_fit"]["requisition_level"] == "L2"
    # One event per request: a list, a search (typed text), a list, and a view.
    other = str(world["other"].candidate_id)
    assert [(e[1], e[4], e[6]) for e in logged()] == [
        ("list", "", 1),
        ("search", "", 1),
        ("list", "", 0),
        ("view", other, None),
    ]


@pytest.mark.parametrize(
    ("role", "status_code"),
    [
        ("admin", 201),
        ("comp_admin", 201),
        ("recruiter", 201),
        ("hiring_manager", 403),
        ("interviewer", 403),
        ("outsider", 403),
    ],
)
def test_create_application_by_role(api, cast, world, role, status_code):
    candidate = CandidateFactory()
    body = {"candidate": candidate.pk, "requisition": world["mine"].pk}
    response = api(cast[role]).post("/api/v1/applications/", body, format="json")
    assert response.status_code == status_code
    assert Application.objects.filter(candidate=candidate).exists() is (status_code == 201)


def test_create_application_duplicate_is_400(api, recruiter, world):
    app = world["other"]
    body = {"candidate": app.candidate_id, "requisition": app.requisition_id}
    response = api(recruiter).post("/api/v1/applications/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "candidate": ["This candidate has already applied to this requisition."]
    }


@pytest.mark.parametrize(
    ("role", "status_code"),
    [
        ("admin", 200),
        ("comp_admin", 200),
        ("recruiter", 200),
        ("hiring_manager", 200),  # on their own requisition
        ("interviewer", 403),
        ("outsider", 404),
    ],
)
def test_move_by_role(api, cast, world, role, status_code):
    app = world["interviewed"]
    body = {"to_stage": "screen", "expected_stage": "applied"}
    response = api(cast[role]).post(f"/api/v1/applications/{app.pk}/move/", body, format="json")
    assert response.status_code == status_code
    app.refresh_from_db()
    assert app.stage == ("screen" if status_code == 200 else "applied")
    assert StageChange.objects.filter(application=app).count() == (2 if status_code == 200 else 1)


def test_hiring_manager_cannot_move_on_someone_elses_requisition(api, hiring_manager, world):
    app = world["elsewhere"]
    body = {"to_stage": "screen", "expected_stage": "applied"}
    response = api(hiring_manager).post(f"/api/v1/applications/{app.pk}/move/", body, format="json")
    assert response.status_code == 404
    app.refresh_from_db()
    assert app.stage == "applied"


def test_move_returns_the_application_and_the_stage_change(api, recruiter, world):
    app = world["other"]
    body = {
        "to_stage": "rejected",
        "expected_stage": "applied",
        "reason": "skills-gap",
        "note": "x",
    }
    response = api(recruiter).post(f"/api/v1/applications/{app.pk}/move/", body, format="json")
    assert response.status_code == 200
    data = response.json()
    assert data["application"]["stage"] == "rejected"
    assert data["application"]["disposition_reason"] == "skills-gap"
    change = data["stage_change"]
    assert {k: change[k] for k in ("from_stage", "to_stage", "actor", "reason", "note")} == {
        "from_stage": "applied",
        "to_stage": "rejected",
        "actor": "recruiter",
        "reason": "skills-gap",
        "note": "x",
    }


def test_two_clients_moving_the_same_card_one_wins_one_gets_409(
    api, recruiter, other_recruiter, world
):
    app = world["other"]
    url = f"/api/v1/applications/{app.pk}/move/"
    first = api(recruiter).post(
        url, {"to_stage": "screen", "expected_stage": "applied"}, format="json"
    )
    second = api(other_recruiter).post(
        url, {"to_stage": "interview", "expected_stage": "applied"}, format="json"
    )
    assert first.status_code == 200
    assert second.status_code == 409
    assert second.json() == {
        "detail": "This card moved meanwhile to Screen.",
        "code": "conflict",
        "errors": {},
        "current_stage": "screen",
    }
    app.refresh_from_db()
    assert app.stage == "screen"
    assert StageChange.objects.filter(application=app).exclude(from_stage="").count() == 1


def test_unknown_stage_and_forbidden_move_are_400(api, recruiter, world):
    app = world["other"]
    url = f"/api/v1/applications/{app.pk}/move/"
    client = api(recruiter)
    unknown = client.post(url, {"to_stage": "limbo", "expected_stage": "applied"}, format="json")
    assert unknown.status_code == 400
    assert unknown.json()["errors"]["to_stage"][0].startswith(
        "Unknown stage 'limbo'. Valid stages:"
    )
    hired = client.post(url, {"to_stage": "hired", "expected_stage": "applied"}, format="json")
    assert hired.status_code == 400
    assert hired.json() == {
        "detail": "Hired is reached by accepting the offer on the offer page.",
        "code": "hire_through_offer",
        "errors": {"to_stage": ["Hired is reached by accepting the offer on the offer page."]},
    }
    app.refresh_from_db()
    assert app.stage == "applied"
    missing = client.post(url, {"to_stage": "screen"}, format="json")
    assert missing.status_code == 400
    assert "expected_stage" in missing.json()["errors"]
    assert StageChange.objects.filter(application=app).count() == 1


def test_a_move_the_stage_forbids_is_a_409_naming_the_allowed_moves(api, recruiter, world):
    app = world["other"]
    url = f"/api/v1/applications/{app.pk}/move/"
    refused = api(recruiter).post(
        url, {"to_stage": "applied", "expected_stage": "applied"}, format="json"
    )
    message = "The application is already at applied."
    assert refused.status_code == 409
    assert refused.json() == {
        "detail": message,
        "code": "move_not_allowed",
        "errors": {"to_stage": [message]},
        "current_stage": "applied",
        "allowed_stages": ["sourced", "screen", "interview", "offer", "rejected", "withdrawn"],
    }
    app.refresh_from_db()
    assert app.stage == "applied"
    assert StageChange.objects.filter(application=app).count() == 1
