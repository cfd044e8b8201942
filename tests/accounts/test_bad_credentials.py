"""Bad credentials and crafted requests (issue 10's "bad input"): a forged session cookie,
a form posted without its CSRF token, path tricks in document and report downloads. Each
is refused with the right status and a plain message: never a 500, never another's data."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from candidates.models import Candidate, Document
from reports.models import ReportRun

pytestmark = pytest.mark.django_db

SECRET = b"the contents of a file outside private storage"


@pytest.fixture
def outside_file(tmp_path, private_storage):
    """A file next to (not inside) private storage, which a crafted name points at."""
    target = tmp_path / "outside.txt"
    target.write_bytes(SECRET)
    return "../outside.txt"


def _body(response) -> bytes:
    return b"".join(response) if response.streaming else response.content


@pytest.mark.parametrize("cookie", ["garbage", "x" * 40, "", "a' OR '1'='1"])
def test_a_forged_session_cookie_signs_nobody_in(recruiter, cookie):
    page, api = Client(), APIClient()
    page.cookies["sessionid"] = cookie
    api.cookies["sessionid"] = cookie

    on_page = page.get("/hiring/")
    on_api = api.get("/api/v1/candidates/")

    assert (on_page.status_code, on_page["Location"]) == (302, "/login/?next=/hiring/")
    assert on_api.status_code in (401, 403)
    assert on_api.json()["detail"]  # the JSON error shape, with a plain message


def test_a_form_posted_without_its_csrf_token_is_a_403_page_that_changes_nothing(recruiter):
    client = Client(enforce_csrf_checks=True)
    client.force_login(recruiter)
    count = Candidate.objects.count()

    answer = client.post(
        "/candidates/new/", {"full_name": "No Token", "email": "no-token@example.com"}
    )

    assert answer.status_code == 403
    assert b"<nav" in answer.content  # the styled page, with the site's navigation
    assert b"This form could not be sent" in answer.content
    assert Candidate.objects.count() == count


def test_an_api_post_on_a_session_without_the_csrf_token_is_a_json_403(recruiter):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(recruiter)
    count = Candidate.objects.count()

    answer = client.post(
        "/api/v1/candidates/",
        {"full_name": "No Token", "email": "no-token@example.com", "years_experience": "2"},
        format="json",
    )

    assert answer.status_code == 403
    assert "CSRF" in answer.json()["detail"]
    assert Candidate.objects.count() == count


@pytest.mark.parametrize(
    "path",
    [
        "/candidates/documents/..%2F..%2Fetc%2Fpasswd/download/",
        "/candidates/documents/1%2F..%2F2/download/",
        "/api/v1/documents/..%2Fsecret/download/",
        "/reports/..%2F1/download/",
        "/api/v1/reports/1%2F..%2F2/download/",
        "/offers/..%2F1/letter.pdf",
    ],
)
def test_path_tricks_in_download_addresses_are_404s(comp_admin, path):
    client = APIClient() if path.startswith("/api/") else Client()
    client.force_login(comp_admin)
    answer = client.get(path)
    assert answer.status_code == 404
    assert SECRET not in _body(answer)


def test_a_document_whose_stored_name_leaves_storage_is_refused_without_its_bytes(
    recruiter, outside_file
):
    candidate = Candidate.objects.create(
        full_name="Ada Path", email="ada-path@example.com", years_experience=2
    )
    document = Document.objects.create(
        candidate=candidate,
        file=outside_file,
        original_name="cv.pdf",
        content_type="application/pdf",
        size=len(SECRET),
        sha256="0" * 64,
    )
    page, api = Client(), APIClient()
    page.force_login(recruiter)
    api.force_login(recruiter)

    answers = [
        page.get(f"/candidates/documents/{document.pk}/download/"),
        api.get(f"/api/v1/documents/{document.pk}/download/"),
    ]

    for answer in answers:
        assert answer.status_code in (400, 404)
        assert SECRET not in _body(answer)
    assert answers[1].json()["detail"]


def test_a_report_whose_stored_name_leaves_storage_is_refused_without_its_bytes(
    recruiter, outside_file
):
    run = ReportRun.objects.create(
        kind="pipeline",
        format="csv",
        requested_by=recruiter,
        status=ReportRun.Status.SUCCEEDED,
        storage_name=outside_file,
        finished_at=timezone.now(),
    )
    page, api = Client(), APIClient()
    page.force_login(recruiter)
    api.force_login(recruiter)

    answers = [
        page.get(f"/reports/{run.pk}/download/"),
        api.get(f"/api/v1/reports/{run.pk}/download/"),
    ]

    for answer in answers:
        assert answer.status_code in (400, 404)
        assert SECRET not in _body(answer)
    assert answers[1].json()["detail"]
