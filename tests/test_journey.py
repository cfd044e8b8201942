"""Issue 3's acceptance journey, tried as a new user would, through the pages and the API.

A recruiter signs in, opens a requisition from track, level and zone and reads its posted
range and job description, adds a candidate with a résumé, applies them, moves them through
the stages, schedules an interview; an interviewer submits a scorecard; the recruiter
rejects with a reason; every step shows in the history.
"""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from candidates.models import Candidate, Document
from hiring.models import Application, Interview, Requisition, Scorecard, StageChange
from roles.models import Level, Track, Zone
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _seeded_reasons(db):
    """The migration-seeded reasons, whatever ran before on this worker.

    A transactional test's serialized rollback restores the seeded rows at its own start,
    but its closing flush empties them for the ordinary tests that pytest-xdist may run
    after it on the same worker.
    """
    from django.apps import apps

    importlib.import_module("hiring.migrations.0003_seed_disposition_reasons").seed(apps, None)


MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
# The guide's L3 band (155,000 to 230,000) times San Francisco's 1.35 zone factor.
POSTED_MIN = "209250.00"
POSTED_MAX = "310500.00"
RANGE_ON_PAGE = "$209,250\u2013$310,500"
RANGE_IN_JD = "Base salary $209,250 to $310,500 per year."
EXPECTED_MOVES = [
    ("", "applied", None),
    ("applied", "screen", None),
    ("screen", "interview", None),
    ("interview", "rejected", "declined-compensation"),
]


def test_recruiter_journey_through_the_pages(
    guide, recruiter, hiring_manager, interviewer, private_storage
):
    desk = Client()
    response = desk.post("/login/", {"username": "recruiter", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"

    # A requisition from track, level and zone; the posted range comes from the band.
    assert desk.get(reverse("hiring:requisition-create")).status_code == 200
    response = desk.post(
        reverse("hiring:requisition-create"),
        {
            "title": "AI Engineer, LLM platform",
            "track": Track.objects.get(slug="ai-engineer").pk,
            "level": Level.objects.get(code="L3").pk,
            "zone": Zone.objects.get(slug="san-francisco").pk,
            "remote_policy": Requisition.RemotePolicy.HYBRID,
            "headcount": 1,
            "hiring_manager": hiring_manager.pk,
            "recruiter": recruiter.pk,
            "target_on": "",
            "posted_min": "",
            "posted_max": "",
            "status": Requisition.Status.OPEN,
        },
    )
    requisition = Requisition.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("hiring:requisition-detail", args=[requisition.pk])
    assert str(requisition.posted_min) == POSTED_MIN
    assert str(requisition.posted_max) == POSTED_MAX
    assert requisition.status == Requisition.Status.OPEN

    page = desk.get(response["Location"]).content.decode()
    assert RANGE_ON_PAGE in page
    jd = desk.get(reverse("hiring:requisition-jd", args=[requisition.pk]))
    assert jd.status_code == 200
    assert RANGE_IN_JD in jd.content.decode()

    # A candidate, then their résumé on the candidate page.
    assert desk.get(reverse("candidates:create")).status_code == 200
    response = desk.post(
        reverse("candidates:create"),
        {
            "full_name": "Ada Journey",
            "email": "ada.journey@example.com",
            "phone": "+1 415 555 0100",
            "city": "San Francisco",
            "zone": Zone.objects.get(slug="san-francisco").pk,
            "years_experience": "6",
            "highest_degree": Candidate.Degree.MASTER,
            "degree_field": "Computer science",
            "source": Candidate.SourceChannel.LINKEDIN,
            "expected_base": "250000",
            "notes": "Met at a meetup.",
        },
    )
    candidate = Candidate.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("candidates:detail", args=[candidate.pk])
    assert candidate.created_by == recruiter

    response = desk.post(
        reverse("candidates:document-upload", args=[candidate.pk]),
        {
            "file": SimpleUploadedFile("ada-resume.pdf", MINIMAL_PDF, "application/pdf"),
            "kind": Document.Kind.RESUME,
        },
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.candidate, document.original_name, document.size) == (
        candidate,
        "ada-resume.pdf",
        len(MINIMAL_PDF),
    )
    assert document.uploaded_by == recruiter
    assert len([p for p in private_storage.rglob("*") if p.is_file()]) == 1

    # Apply, then move forward on the board.
    response = desk.post(
        reverse("hiring:application-create"),
        {"requisition": requisition.pk, "candidate_email": candidate.email, "stage": "applied"},
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert (application.candidate, application.requisition, application.stage) == (
        candidate,
        requisition,
        "applied",
    )
    for seen, to in (("applied", "screen"), ("screen", "interview")):
        response = desk.post(
            reverse("hiring:application-move", args=[application.pk]),
            {"to_stage": to, "expected_stage": seen, "reason": "", "note": ""},
        )
        assert response.status_code == 302
        application.refresh_from_db()
        assert application.stage == to

    # Schedule an interview with the interviewer on the panel.
    create_url = reverse("hiring:interview-create", args=[application.pk])
    assert desk.get(create_url).status_code == 200
    starts = timezone.localtime(timezone.now() + datetime.timedelta(days=2)).replace(
        hour=15, minute=0, second=0, microsecond=0
    )
    response = desk.post(
        create_url,
        {
            "round_name": "Technical deep dive",
            "interviewers": [interviewer.pk],
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 60,
            "location": "Room 4",
        },
    )
    interview = Interview.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("hiring:interview-detail", args=[interview.pk])
    assert list(interview.interviewers.all()) == [interviewer]
    assert interview.starts_at == starts
    # The interview takes place (two days pass): a scorecard is taken once it has started.
    Interview.objects.filter(pk=interview.pk).update(starts_at=timezone.now())
    interview.refresh_from_db()

    # The interviewer signs in on their own and submits a scorecard.
    panel = Client()
    response = panel.post("/login/", {"username": "interviewer", "password": PASSWORD})
    assert response.status_code == 302
    assert panel.get(reverse("hiring:interview-detail", args=[interview.pk])).status_code == 200
    response = panel.post(
        reverse("hiring:scorecard-create", args=[interview.pk]),
        {
            "model_development": 4,
            "data_engineering": 3,
            "collaboration": 4,
            "research_infrastructure": 3,
            "recommendation": Scorecard.Recommendation.STRONG_YES,
            "comments": "Shipped an evaluation harness end to end.",
        },
    )
    assert response.status_code == 302
    scorecard = Scorecard.objects.get()
    assert (scorecard.interview, scorecard.interviewer, scorecard.recommendation) == (
        interview,
        interviewer,
        "strong_yes",
    )
    assert (
        scorecard.model_development,
        scorecard.data_engineering,
        scorecard.collaboration,
        scorecard.research_infrastructure,
    ) == (4, 3, 4, 3)

    # The recruiter rejects with a reason and a note.
    response = desk.post(
        reverse("hiring:application-move", args=[application.pk]),
        {
            "to_stage": "rejected",
            "expected_stage": "interview",
            "reason": "declined-compensation",
            "note": "Expects more than the top of the posted range.",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.stage == "rejected"
    assert application.disposition_reason.code == "declined-compensation"

    # Every step is in the history, and on the candidate page.
    _assert_stage_history(application, recruiter)
    rejection = StageChange.objects.get(application=application, to_stage="rejected")
    assert rejection.note == "Expects more than the top of the posted range."
    _assert_model_history(candidate, application, recruiter)

    page = desk.get(reverse("candidates:detail", args=[candidate.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    for move in ("— → Applied", "Applied → Screen", "Screen → Interview", "Interview → Rejected"):
        assert move in html
    for text in (
        "Declined: compensation",
        "Expects more than the top of the posted range.",
        "Technical deep dive",
        "with Interviewer",
        "Strong yes",
        "Shipped an evaluation harness end to end.",
        "ada-resume.pdf",
        reverse("candidates:document-download", args=[document.pk]),
        "Recruiter created the profile",
    ):
        assert text in html, text

    board = desk.get(reverse("hiring:requisition-detail", args=[requisition.pk]))
    assert board.status_code == 200
    assert board.content.decode().count('<tr class="history-row">') == 4
    assert "Declined: compensation · Expects more than the top" in board.content.decode()


def test_recruiter_journey_through_the_api(
    guide, recruiter, hiring_manager, interviewer, private_storage
):
    desk = _api_client_signed_in_as("recruiter")
    panel = _api_client_signed_in_as("interviewer")

    response = desk.post(
        "/api/v1/requisitions/",
        {
            "title": "AI Engineer, LLM platform",
            "track": "ai-engineer",
            "level": "L3",
            "zone": "san-francisco",
            "remote_policy": "hybrid",
            "headcount": 1,
            "hiring_manager": hiring_manager.pk,
            "recruiter": recruiter.pk,
            "status": "open",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    requisition_id = response.json()["id"]
    response = desk.get(f"/api/v1/requisitions/{requisition_id}/")
    assert response.status_code == 200
    body = response.json()
    assert (body["track"], body["level"], body["zone"], body["status"]) == (
        "ai-engineer",
        "L3",
        "san-francisco",
        "open",
    )
    assert (body["posted_min"], body["posted_max"], body["currency"]) == (
        POSTED_MIN,
        POSTED_MAX,
        "USD",
    )
    response = desk.get(f"/api/v1/requisitions/{requisition_id}/job-description/")
    assert response.status_code == 200
    assert "Base salary $209,250 to $310,500 per year." in response.json()["text"]

    response = desk.post(
        "/api/v1/candidates/",
        {
            "full_name": "Ada Journey",
            "email": "ada.journey@example.com",
            "city": "San Francisco",
            "zone": "san-francisco",
            "years_experience": "6.0",
            "source": "linkedin",
            "expected_base": "250000.00",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    candidate_id = response.json()["id"]

    response = desk.post(
        f"/api/v1/candidates/{candidate_id}/documents/",
        {"file": SimpleUploadedFile("ada-resume.pdf", MINIMAL_PDF, "application/pdf")},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["original_name"] == "ada-resume.pdf"
    response = desk.get(f"/api/v1/candidates/{candidate_id}/documents/")
    assert response.status_code == 200
    assert [d["original_name"] for d in response.json()] == ["ada-resume.pdf"]
    assert len([p for p in private_storage.rglob("*") if p.is_file()]) == 1

    response = desk.post(
        "/api/v1/applications/",
        {"candidate": candidate_id, "requisition": requisition_id},
        format="json",
    )
    assert response.status_code == 201, response.json()
    application_id = response.json()["id"]
    assert response.json()["stage"] == "applied"
    assert (response.json()["posted_min"], response.json()["posted_max"]) == (
        POSTED_MIN,
        POSTED_MAX,
    )

    for seen, to in (("applied", "screen"), ("screen", "interview")):
        response = desk.post(
            f"/api/v1/applications/{application_id}/move/",
            {"to_stage": to, "expected_stage": seen},
            format="json",
        )
        assert response.status_code == 200, response.json()
        assert response.json()["application"]["stage"] == to
        change = response.json()["stage_change"]
        assert (change["from_stage"], change["to_stage"], change["actor"]) == (
            seen,
            to,
            "recruiter",
        )

    starts = (timezone.now() + datetime.timedelta(days=2)).replace(microsecond=0)
    response = desk.post(
        "/api/v1/interviews/",
        {
            "application": application_id,
            "round_name": "Technical deep dive",
            "interviewers": [interviewer.pk],
            "starts_at": starts.isoformat(),
            "duration_minutes": 60,
            "location": "Room 4",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    interview_id = response.json()["id"]
    assert [p["id"] for p in response.json()["interviewers"]] == [interviewer.pk]

    scorecard = {
        "interview": interview_id,
        "model_development": 4,
        "data_engineering": 3,
        "collaboration": 4,
        "research_infrastructure": 3,
        "recommendation": "strong_yes",
        "comments": "Shipped an evaluation harness end to end.",
    }
    early = panel.post("/api/v1/scorecards/", scorecard, format="json")
    assert (early.status_code, early.json()["code"]) == (400, "not_started")
    # The interview takes place (two days pass).
    Interview.objects.filter(pk=interview_id).update(starts_at=timezone.now())

    response = panel.post("/api/v1/scorecards/", scorecard, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["recommendation"] == "strong_yes"
    response = desk.get(f"/api/v1/scorecards/?interview={interview_id}")
    assert response.status_code == 200
    assert [c["recommendation"] for c in response.json()["results"]] == ["strong_yes"]

    response = desk.post(
        f"/api/v1/applications/{application_id}/move/",
        {
            "to_stage": "rejected",
            "expected_stage": "interview",
            "reason": "declined-compensation",
            "note": "Expects more than the top of the posted range.",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    change = response.json()["stage_change"]
    assert (change["from_stage"], change["to_stage"], change["reason"], change["note"]) == (
        "interview",
        "rejected",
        "declined-compensation",
        "Expects more than the top of the posted range.",
    )

    response = desk.get(f"/api/v1/applications/{application_id}/")
    assert response.status_code == 200
    assert (response.json()["stage"], response.json()["disposition_reason"]) == (
        "rejected",
        "declined-compensation",
    )
    response = desk.get(f"/api/v1/candidates/{candidate_id}/")
    assert response.status_code == 200
    assert response.json()["email"] == "ada.journey@example.com"
    response = desk.get(f"/api/v1/applications/{application_id}/stage-changes/")
    assert response.status_code == 200
    assert [(c["from_stage"], c["to_stage"], c["reason"], c["actor"]) for c in response.json()] == [
        ("", "applied", None, "recruiter"),
        ("applied", "screen", None, "recruiter"),
        ("screen", "interview", None, "recruiter"),
        ("interview", "rejected", "declined-compensation", "recruiter"),
    ]

    application = Application.objects.get(pk=application_id)
    _assert_stage_history(application, recruiter)
    _assert_model_history(Candidate.objects.get(pk=candidate_id), application, recruiter)


def _api_client_signed_in_as(username: str) -> APIClient:
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.content
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def _assert_stage_history(application: Application, recruiter: User) -> None:
    changes = StageChange.objects.filter(application=application).order_by("at", "id")
    assert [
        (c.from_stage, c.to_stage, c.reason.code if c.reason else None) for c in changes
    ] == EXPECTED_MOVES
    assert {c.actor for c in changes} == {recruiter}


def _assert_model_history(candidate: Candidate, application: Application, recruiter) -> None:
    created = candidate.history.get(history_type="+")
    assert created.history_user == recruiter
    stages = [
        (h.stage, h.history_user)
        for h in application.history.order_by("history_date", "history_id")
    ]
    assert [s for s, _ in stages] == ["applied", "screen", "interview", "rejected"]
    assert {u for _, u in stages} == {recruiter}
    requisition_history = application.requisition.history.get(history_type="+")
    assert requisition_history.history_user == recruiter
