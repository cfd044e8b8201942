"""The public careers page: open positions with their posted pay, and applying without an
account (throttled, honeypot, CSRF on, a confirmation that reveals nothing)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from candidates.models import Candidate, Document
from hiring.models import Application, PublicSubmission, Requisition, StageChange
from hiring.services.careers import CONSENT_TEXT, CONSENT_VERSION, SITE_USERNAME
from tests.candidates.factories import CandidateFactory
from tests.hiring.factories import RequisitionFactory
from tests.journeys.conftest import pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def position(hiring_manager):
    return RequisitionFactory(
        title="Applied Scientist",
        hiring_manager=hiring_manager,
        posted_min=Decimal("150000"),
        posted_max=Decimal("190000"),
    )


def form(**overrides) -> dict:
    return {
        "full_name": "Nia Newcomer",
        "email": "nia@example.com",
        "years_experience": "3",
        "resume": pdf_upload(),
        "consent": "on",
        "consent_version": CONSENT_VERSION,
        "website": "",
        **overrides,
    }


def apply(position, client=None, **overrides):
    client = client or Client()
    return client.post(reverse("careers:position", args=[position.pk]), form(**overrides))


def test_the_list_shows_open_positions_with_their_posted_range_only(position, hiring_manager):
    RequisitionFactory(
        title="Secret Draft", hiring_manager=hiring_manager, status=Requisition.Status.DRAFT
    )

    html = Client().get(reverse("careers:list")).content.decode()

    assert "Applied Scientist" in html
    assert "$150,000" in html and "$190,000" in html
    assert "Secret Draft" not in html


def test_the_position_page_shows_the_job_description_and_the_consent_text(position):
    html = Client().get(reverse("careers:position", args=[position.pk])).content.decode()

    assert "<h2>Pay</h2>" in html
    assert CONSENT_TEXT in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'class="hp" aria-hidden="true"' in html


def test_a_draft_position_is_not_found(hiring_manager):
    draft = RequisitionFactory(hiring_manager=hiring_manager, status=Requisition.Status.DRAFT)

    assert Client().get(reverse("careers:position", args=[draft.pk])).status_code == 404


def test_applying_creates_the_candidate_the_resume_and_an_applied_application(
    position, private_storage
):
    response = apply(position)

    assert response["Location"] == reverse("careers:thanks", args=[position.pk])
    candidate = Candidate.objects.get()
    assert (candidate.full_name, candidate.email, candidate.source) == (
        "Nia Newcomer",
        "nia@example.com",
        "careers_site",
    )
    assert candidate.consent_at is not None and candidate.retain_until > candidate.consent_at
    application = Application.objects.get()
    assert (application.candidate, application.stage) == (candidate, "applied")
    change = StageChange.objects.get()
    assert (change.actor.username, change.actor.is_active) == (SITE_USERNAME, False)
    assert not change.actor.has_usable_password()
    submission = PublicSubmission.objects.get()
    assert (submission.application, submission.consent_version) == (application, CONSENT_VERSION)
    assert submission.consent_text == CONSENT_TEXT
    assert Document.objects.get().candidate == candidate


def test_an_applicants_name_loses_bidirectional_and_zero_width_characters(
    position, private_storage
):
    response = apply(position, full_name="Nia \u202ereremoceN\u202c\u200b")

    assert response.status_code == 302
    assert Candidate.objects.get().full_name == "Nia reremoceN"


def test_a_known_email_gets_the_same_confirmation_and_no_new_candidate(position, private_storage):
    known = CandidateFactory(email="nia@example.com", full_name="Nia Known")

    first = apply(position, email="NIA@example.com")
    again = apply(position, email="nia@example.com")

    thanks = reverse("careers:thanks", args=[position.pk])
    assert first["Location"] == again["Location"] == thanks
    assert list(Candidate.objects.all()) == [known]
    assert Application.objects.get().candidate == known
    assert Document.objects.count() == 1  # the second try added nothing


def test_the_honeypot_shows_the_confirmation_and_saves_nothing(position, private_storage):
    response = apply(position, website="http://spam.example")

    assert response["Location"] == reverse("careers:thanks", args=[position.pk])
    assert not Candidate.objects.exists()
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"consent": ""}, "Tick the consent box to apply."),
        ({"email": "not-an-email"}, "Give a valid email."),
        ({"resume": ""}, "Attach your résumé (PDF or DOCX)."),
        (
            {"resume": SimpleUploadedFile("cv.pdf", b"text", content_type="application/pdf")},
            "This file is not a PDF or DOCX document",
        ),
        ({"consent_version": "2001-01"}, "The consent text has changed"),
    ],
)
def test_bad_input_is_named_by_the_field_and_saves_nothing(
    position, private_storage, overrides, message
):
    response = apply(position, **overrides)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Candidate.objects.exists()
    assert not Application.objects.exists()
    assert not Document.objects.exists()


def test_tries_are_throttled_per_email(position, private_storage, settings):
    settings.CAREERS_THROTTLE_PER_EMAIL = 1
    apply(position)

    response = apply(position)

    assert response.status_code == 429
    assert "Too many applications from here" in response.content.decode()
    assert Application.objects.count() == 1


def test_tries_are_throttled_per_address(position, private_storage, settings):
    settings.CAREERS_THROTTLE_PER_ADDRESS = 1
    apply(position, email="one@example.com")

    response = apply(position, email="two@example.com")

    assert response.status_code == 429
    assert Candidate.objects.count() == 1


def test_csrf_is_enforced(position, private_storage):
    response = apply(position, Client(enforce_csrf_checks=True))

    assert response.status_code == 403
    assert not Candidate.objects.exists()
