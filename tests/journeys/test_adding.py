"""Add an existing candidate to a requisition from the profile; candidate suggestions; the
résumé on the add-candidate form; a draft requisition says why and offers "open"."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from candidates.models import Candidate, Document
from hiring.models import Application, Requisition, StageChange
from tests.candidates.factories import CandidateFactory
from tests.hiring.factories import RequisitionFactory, build_role_data, open_requisition
from tests.journeys.conftest import pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(recruiter, hiring_manager):
    open_req = RequisitionFactory(title="Search Ranking Engineer", hiring_manager=hiring_manager)
    draft = RequisitionFactory(
        title="Draft Vision Role", hiring_manager=hiring_manager, status=Requisition.Status.DRAFT
    )
    return CandidateFactory(full_name="Paula Prospect", email="paula@example.com"), open_req, draft


def test_profile_offers_open_requisitions_and_adds_in_one_post(setup, recruiter, as_user):
    candidate, open_req, draft = setup
    client = as_user(recruiter)

    html = client.get(reverse("candidates:detail", args=[candidate.pk])).content.decode()
    response = client.post(
        reverse("hiring:candidate-add", args=[candidate.pk]), {"requisition": open_req.pk}
    )

    assert 'id="add-to-requisition"' in html
    assert f'<option value="{open_req.pk}">' in html
    assert f'value="{draft.pk}"' not in html
    assert 'name="csrfmiddlewaretoken"' in html.split('id="add-to-requisition"')[1]
    application = Application.objects.get()
    assert response["Location"] == reverse("hiring:application-detail", args=[application.pk])
    assert (application.candidate, application.requisition, application.stage) == (
        candidate,
        open_req,
        "sourced",
    )
    assert StageChange.objects.get().actor == recruiter


def test_adding_to_a_draft_shows_the_reason_by_the_field_and_saves_nothing(
    setup, recruiter, as_user
):
    candidate, _, draft = setup

    response = as_user(recruiter).post(
        reverse("hiring:candidate-add", args=[candidate.pk]), {"requisition": draft.pk}
    )

    assert response.status_code == 400
    assert "Candidates can only be added to an open or on-hold requisition" in (
        response.content.decode()
    )
    assert not Application.objects.exists()


@pytest.mark.parametrize(("role", "status"), [("hiring_manager", 404), ("interviewer", 404)])
def test_only_recruiters_add_from_the_profile(setup, cast, as_user, role, status):
    candidate, open_req, _ = setup

    response = as_user(cast[role]).post(
        reverse("hiring:candidate-add", args=[candidate.pk]), {"requisition": open_req.pk}
    )

    assert response.status_code == status
    assert not Application.objects.exists()


def test_the_full_page_searches_requisitions(setup, recruiter, as_user):
    candidate = setup[0]
    url = reverse("hiring:candidate-add", args=[candidate.pk])

    html = as_user(recruiter).get(url, {"q": "ranking"}).content.decode()
    other = as_user(recruiter).get(url, {"q": "nothing-like-this"}).content.decode()

    assert "Search Ranking Engineer" in html
    assert "Search Ranking Engineer" not in other


def test_draft_page_says_why_and_offers_open_to_recruiters_only(
    setup, recruiter, hiring_manager, as_user
):
    _, _, draft = setup
    url = reverse("hiring:requisition-detail", args=[draft.pk])
    open_url = reverse("hiring:requisition-open", args=[draft.pk])

    for_recruiter = as_user(recruiter).get(url).content.decode()
    for_manager = as_user(hiring_manager).get(url).content.decode()

    assert "This requisition is a draft" in for_recruiter and open_url in for_recruiter
    assert "This requisition is a draft" in for_manager and open_url not in for_manager
    assert "A recruiter opens it." in for_manager


def test_open_from_the_notice_opens_the_draft(recruiter, hiring_manager, as_user):
    build_role_data()
    draft = open_requisition(
        actor=recruiter, hiring_manager=hiring_manager, status=Requisition.Status.DRAFT
    )
    url = reverse("hiring:requisition-open", args=[draft.pk])

    refused = as_user(hiring_manager).post(url, follow=True)
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert "stays a draft: Only a recruiter changes the status." in refused.content.decode()

    response = as_user(recruiter).post(url, follow=True)
    draft.refresh_from_db()
    assert draft.status == "open"
    assert "Requisition opened: you can now add candidates." in response.content.decode()


def test_open_without_a_band_says_why_and_stays_a_draft(setup, recruiter, as_user):
    _, _, draft = setup

    response = as_user(recruiter).post(
        reverse("hiring:requisition-open", args=[draft.pk]), follow=True
    )

    draft.refresh_from_db()
    assert draft.status == "draft"
    assert "The requisition stays a draft:" in response.content.decode()


def test_suggest_api_lists_matches_for_recruiters(setup, recruiter, api):
    CandidateFactory(full_name="Other Person", email="other@example.com")

    response = api(recruiter).get(reverse("candidate-suggest"), {"q": "pau"})

    assert response.status_code == 200
    assert response.json() == [
        {"id": setup[0].pk, "full_name": "Paula Prospect", "email": "paula@example.com"}
    ]


@pytest.mark.parametrize(
    ("role", "query", "status", "code"),
    [
        ("recruiter", "p", 400, "invalid"),
        ("interviewer", "pau", 403, "permission_denied"),
        ("anonymous", "pau", 401, "not_authenticated"),
    ],
)
def test_suggest_api_errors_have_the_one_shape(setup, cast, api, role, query, status, code):
    response = api(cast[role]).get(reverse("candidate-suggest"), {"q": query})

    assert response.status_code == status
    body = response.json()
    assert set(body) >= {"detail", "code", "errors"}
    assert body["code"] == code


def test_board_add_form_asks_for_suggestions(setup, recruiter, as_user):
    _, open_req, _ = setup

    html = as_user(recruiter).get(reverse("hiring:requisition-detail", args=[open_req.pk]))

    assert f'data-suggest-url="{reverse("candidate-suggest")}"' in html.content.decode()


def create_candidate(client, resume):
    return client.post(
        reverse("candidates:create"),
        {
            "full_name": "Rita Resume",
            "email": "rita@example.com",
            "years_experience": "4",
            "pay_currency": "USD",
            "source": "linkedin",
            "resume": resume,
        },
    )


def test_new_candidate_with_resume_stores_both(recruiter, as_user, private_storage):
    response = create_candidate(as_user(recruiter), pdf_upload())

    candidate = Candidate.objects.get(email="rita@example.com")
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.candidate, document.kind, document.content_type) == (
        candidate,
        "resume",
        "application/pdf",
    )


def test_bad_resume_names_the_field_and_saves_nothing(recruiter, as_user, private_storage):
    text = SimpleUploadedFile("cv.pdf", b"plain text", content_type="application/pdf")

    response = create_candidate(as_user(recruiter), text)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Résumé: This file is not a PDF or DOCX document" in html
    assert not Candidate.objects.exists()
    assert not Document.objects.exists()
    assert not any(private_storage.rglob("*.pdf"))
