"""Request bodies over their path's limit are refused by Content-Length, before anything reads
them: 413 in the API's JSON shape on /api/, the styled page elsewhere."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse

from candidates.models import Candidate, Document
from core.body_limit import body_limit
from core.limits import DOCUMENT_MAX_BYTES
from tests.candidates.conftest import MINIMAL_PDF
from tests.candidates.factories import CandidateFactory
from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db

FIFTY_MB = 50 * 1024 * 1024
GENERAL = 2_621_440
DOCUMENTS = DOCUMENT_MAX_BYTES + 1_048_576


class Unreadable:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def declared(size: int) -> dict:
    return {"CONTENT_LENGTH": str(size), "wsgi.input": Unreadable()}


@pytest.mark.parametrize(
    ("method", "path", "limit"),
    [
        ("post", "/api/v1/candidates/", GENERAL),
        ("patch", "/api/v1/candidates/1/", GENERAL),
        ("post", "/candidates/1/edit/", GENERAL),
        ("post", "/login/", GENERAL),
        ("post", "/no/such/page/", GENERAL),
        ("post", "/api/v1/candidates/1/documents/", DOCUMENTS),
        ("post", "/api/v1/candidates/import/", DOCUMENTS),
        ("post", "/candidates/1/documents/", DOCUMENTS),
        ("post", "/candidates/new/", DOCUMENTS),
        ("post", "/candidates/import/", DOCUMENTS),
        ("post", "/careers/1/", DOCUMENTS),
    ],
)
def test_document_uploads_get_the_document_limit_and_a_margin(method, path, limit):
    assert body_limit(getattr(RequestFactory(), method)(path)) == limit


def test_fifty_megabytes_to_the_api_are_refused_unread_as_json(recruiter):
    client = api_client_for(recruiter)
    candidate = CandidateFactory()

    response = client.post(
        f"/api/v1/candidates/{candidate.pk}/documents/",
        content_type="multipart/form-data; boundary=x",
        **declared(FIFTY_MB),
    )

    assert response.status_code == 413
    assert response.json() == {
        "detail": f"The request body is larger than the {DOCUMENTS:,} bytes this address accepts.",
        "code": "request_too_large",
        "errors": {},
    }
    assert Document.objects.count() == 0


def test_an_oversized_page_post_gets_the_styled_page_unread(client, recruiter):
    client.force_login(recruiter)

    response = client.post(
        reverse("candidates:create"),
        content_type="multipart/form-data; boundary=x",
        **declared(FIFTY_MB),
    )

    html = response.content.decode()
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert "Error 413" in html
    assert "larger than the 11,534,336 bytes" in html
    assert Candidate.objects.count() == 0


def test_anonymous_oversized_posts_are_refused_before_sign_in_or_csrf(settings):
    response = Client(enforce_csrf_checks=True).post(
        "/api/v1/auth/token/", content_type="application/json", **declared(GENERAL + 1)
    )

    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"


def test_a_document_upload_passes_where_other_bodies_that_size_are_refused(
    settings, recruiter, private_storage
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 300
    client = api_client_for(recruiter)
    candidate = CandidateFactory()

    upload = client.post(
        f"/api/v1/candidates/{candidate.pk}/documents/",
        {"file": SimpleUploadedFile("cv.pdf", MINIMAL_PDF + b"%" * 400, "application/pdf")},
        format="multipart",
    )
    notes = client.patch(f"/api/v1/candidates/{candidate.pk}/", {"notes": "n" * 400}, format="json")

    assert upload.status_code == 201
    assert notes.status_code == 413
    assert "300 bytes" in notes.json()["detail"]
    candidate.refresh_from_db()
    assert candidate.notes != "n" * 400


def test_a_malformed_content_length_is_left_to_django(client, recruiter):
    client.force_login(recruiter)

    response = client.post("/candidates/new/", {"full_name": ""}, CONTENT_LENGTH="lots")

    assert response.status_code != 413
    assert response.status_code < 500
