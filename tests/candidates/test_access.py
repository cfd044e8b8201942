"""Who sees and changes what, on every candidate page and endpoint, for every role.

The ``people`` fixture gives three candidates: one on the hiring manager's
requisition, one in the interviewer's interviews, and one hidden from both.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from candidates.models import Candidate, Document
from tests.access_events import logged, one_event
from tests.candidates.conftest import build_people
from tests.candidates.factories import CandidateFactory
from tests.conftest import PASSWORD, built_once, make_cast

pytestmark = pytest.mark.django_db

EDITORS = ("admin", "comp_admin", "recruiter")
ALL_ROLES = (*EDITORS, "hiring_manager", "interviewer", "outsider", "anonymous")
# Which of the people each role sees.
SEES = {
    "admin": {"manager", "interviewer", "hidden"},
    "comp_admin": {"manager", "interviewer", "hidden"},
    "recruiter": {"manager", "interviewer", "hidden"},
    "hiring_manager": {"manager"},
    "interviewer": {"interviewer"},
    "outsider": set(),
    "anonymous": set(),
}
WHICH = ("manager", "interviewer", "hidden")
URL_LIST = "/api/v1/candidates/"


def page_client(client, user):
    if user is not None:
        assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    """The cast and the three people, built once for this module's ~250 tests."""
    with built_once(django_db_blocker):
        cast = make_cast()
        people = build_people(
            **{
                name: cast[name]
                for name in (
                    "hiring_manager",
                    "other_manager",
                    "interviewer",
                    "other_interviewer",
                    "recruiter",
                )
            }
        )
        yield cast, people


@pytest.fixture
def cast(module_world, db):
    return module_world[0]


@pytest.fixture
def people(module_world, db):
    return module_world[1]


@pytest.fixture
def hiring_manager(cast):
    return cast["hiring_manager"]


@pytest.fixture
def interviewer(cast):
    return cast["interviewer"]


def only_the_people(people) -> bool:
    """Nobody was added: the candidates are exactly the module's people."""
    emails = set(Candidate.objects.values_list("email", flat=True))
    return emails == {person.email for person in people.values()}


def snapshot() -> list:
    return list(Candidate.objects.order_by("pk").values())


@pytest.fixture
def documents(people, private_storage, pdf_bytes):
    """One stored PDF per person, written straight to the private folder."""
    folder = private_storage / "documents" / "aa"
    folder.mkdir(parents=True)
    made = {}
    for key, person in people.items():
        (folder / key).write_bytes(pdf_bytes)
        made[key] = Document.objects.create(
            candidate=person,
            file=f"documents/aa/{key}",
            original_name=f"{key}.pdf",
            content_type="application/pdf",
            size=len(pdf_bytes),
            sha256="0" * 64,
        )
    return made


# ---------------------------------------------------------------- pages


@pytest.mark.parametrize("role", ALL_ROLES)
def test_list_page_shows_only_visible_candidates(client, cast, people, role):
    response = page_client(client, cast[role]).get(reverse("candidates:list"))
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        assert logged() == []
        return
    assert response.status_code == 200
    shown = {c.pk for c in response.context["candidates"]}
    assert shown == {people[k].pk for k in SEES[role]}
    # One event for the whole list, with how many rows it returned.
    path = reverse("candidates:list")
    assert logged() == one_event(cast[role], "list", "page", "candidate", "", path, len(shown))


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("which", WHICH)
def test_detail_page_is_404_for_hidden_candidates(client, cast, people, role, which):
    response = page_client(client, cast[role]).get(
        reverse("candidates:detail", args=[people[which].pk])
    )
    if role == "anonymous":
        assert response.status_code == 302
    elif which in SEES[role]:
        assert response.status_code == 200
        assert response.context["candidate"] == people[which]
        path = reverse("candidates:detail", args=[people[which].pk])
        assert logged() == one_event(
            cast[role], "view", "page", "candidate", people[which].pk, path
        )
        return
    else:
        assert response.status_code == 404
    assert logged() == []


@pytest.mark.parametrize("role", [*EDITORS, "interviewer"])
def test_interviewer_page_never_shows_pay(client, cast, people, role):
    response = page_client(client, cast[role]).get(
        reverse("candidates:detail", args=[people["interviewer"].pk])
    )
    body = response.content.decode()
    shows_pay = role != "interviewer"
    assert ("Expected base" in body) is shows_pay
    assert ("140,000" in body) is shows_pay
    assert ("120,000" in body) is shows_pay


@pytest.mark.parametrize("role", ALL_ROLES)
def test_create_page_and_post_only_for_editors(client, cast, role):
    c = page_client(client, cast[role])
    get = c.get(reverse("candidates:create"))
    post = c.post(
        reverse("candidates:create"),
        {
            "full_name": "New Person",
            "email": "new@example.com",
            "years_experience": "3",
            "source": "other",
        },
    )
    if role in EDITORS:
        assert get.status_code == 200
        created = Candidate.objects.get(email="new@example.com")
        assert post.status_code == 302
        assert post["Location"] == reverse("candidates:detail", args=[created.pk])
        assert created.created_by == cast[role]
    else:
        assert get.status_code == post.status_code == (302 if role == "anonymous" else 403)
        assert not Candidate.objects.filter(email="new@example.com").exists()


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("which", WHICH)
def test_edit_only_for_editors_hidden_is_404(client, cast, people, role, which):
    candidate = people[which]
    before = snapshot()
    c = page_client(client, cast[role])
    url = reverse("candidates:edit", args=[candidate.pk])
    get = c.get(url)
    post = c.post(
        url,
        {
            "full_name": "Renamed",
            "email": candidate.email,
            "years_experience": "4",
            "source": "other",
        },
    )
    if role in EDITORS:
        assert get.status_code == 200
        assert post.status_code == 302
        candidate.refresh_from_db()
        assert candidate.full_name == "Renamed"
        # The form showed the profile; the saving POST shows nothing (it redirects).
        assert logged() == one_event(cast[role], "view", "page", "candidate", candidate.pk, url)
        return
    if role == "anonymous":
        expected = 302
    elif which in SEES[role]:
        expected = 403
    else:
        expected = 404
    assert get.status_code == post.status_code == expected
    assert snapshot() == before
    assert logged() == []


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("which", WHICH)
def test_document_upload_page_only_for_editors(
    client, cast, people, private_storage, pdf_bytes, role, which
):
    candidate = people[which]
    response = page_client(client, cast[role]).post(
        reverse("candidates:document-upload", args=[candidate.pk]),
        {"file": SimpleUploadedFile("cv.pdf", pdf_bytes), "kind": "resume"},
    )
    if role in EDITORS:
        assert response.status_code == 302
        assert candidate.documents.count() == 1
        return
    expected = 302 if role == "anonymous" else (403 if which in SEES[role] else 404)
    assert response.status_code == expected
    assert Document.objects.count() == 0
    assert [p for p in private_storage.rglob("*") if p.is_file()] == []


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("which", WHICH)
def test_document_download_page_checks_visibility(client, cast, documents, role, which, pdf_bytes):
    response = page_client(client, cast[role]).get(
        reverse("candidates:document-download", args=[documents[which].pk])
    )
    if role == "anonymous":
        assert response.status_code == 302
    elif which in SEES[role]:
        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="{which}.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == pdf_bytes
        # Logged under the candidate (their access history); the path names the document.
        path = reverse("candidates:document-download", args=[documents[which].pk])
        owner = documents[which].candidate_id
        assert logged() == one_event(cast[role], "download", "page", "candidate", owner, path)
        return
    else:
        assert response.status_code == 404
    assert logged() == []


@pytest.mark.parametrize("role", ALL_ROLES)
def test_import_pages_only_for_editors(client, cast, people, role):
    c = page_client(client, cast[role])
    template = c.get(reverse("candidates:import-template"))
    page = c.get(reverse("candidates:import"))
    upload = SimpleUploadedFile(
        "c.csv", b"full_name,email,years_experience\nIm Ported,imp@example.com,2\n"
    )
    post = c.post(reverse("candidates:import"), {"file": upload})
    if role in EDITORS:
        assert template.status_code == page.status_code == 200
        assert template["Content-Disposition"] == (
            'attachment; filename="candidates-import-template.csv"'
        )
        assert post.status_code == 302
        assert Candidate.objects.filter(email="imp@example.com").count() == 1
    else:
        expected = 302 if role == "anonymous" else 403
        assert template.status_code == page.status_code == post.status_code == expected
        assert only_the_people(people)


# ---------------------------------------------------------------- API


@pytest.mark.parametrize("role", ALL_ROLES)
def test_api_list_shows_only_visible_candidates(api, cast, people, role):
    response = api(cast[role]).get("/api/v1/candidates/")
    if role == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == {people[k].pk for k in SEES[role]}
    assert response.json()["count"] == len(SEES[role])
    rows = len(SEES[role])
    assert logged() == one_event(cast[role], "list", "api", "candidate", "", URL_LIST, rows)


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("which", WHICH)
def test_api_retrieve_is_404_when_hidden_and_never_gives_interviewers_pay(
    api, cast, people, role, which
):
    response = api(cast[role]).get(f"/api/v1/candidates/{people[which].pk}/")
    if role == "anonymous":
        assert response.status_code == 401
    elif which in SEES[role]:
        assert response.status_code == 200
        body = response.json()
        has_pay = role != "interviewer"
        assert ("expected_base" in body) is has_pay
        assert ("current_base" in body) is has_pay
        path = f"/api/v1/candidates/{people[which].pk}/"
        assert logged() == one_event(cast[role], "view", "api", "candidate", people[which].pk, path)
        return
    else:
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert logged() == []


def test_api_list_for_interviewer_has_no_pay_keys(api, interviewer, people):
    rows = api(interviewer).get("/api/v1/candidates/").json()["results"]
    assert len(rows) == 1
    assert "expected_base" not in rows[0] and "current_base" not in rows[0]
    assert "140000" not in str(rows)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_api_create_only_for_editors(api, cast, people, role):
    response = api(cast[role]).post(
        "/api/v1/candidates/",
        {"full_name": "Api Person", "email": "api@example.com", "years_experience": "2.5"},
        format="json",
    )
    if role in EDITORS:
        assert response.status_code == 201
        assert response.json()["email"] == "api@example.com"
        assert Candidate.objects.get(email="api@example.com").created_by == cast[role]
    else:
        assert response.status_code == (401 if role == "anonymous" else 403)
        assert only_the_people(people)


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("which", WHICH)
@pytest.mark.parametrize("method", ["patch", "put"])
def test_api_update_only_for_editors(api, cast, people, role, which, method):
    candidate = people[which]
    before = snapshot()
    payload = {"full_name": "Changed", "email": candidate.email, "years_experience": "9"}
    response = getattr(api(cast[role]), method)(
        f"/api/v1/candidates/{candidate.pk}/", payload, format="json"
    )
    if role in EDITORS:
        assert response.status_code == 200
        candidate.refresh_from_db()
        assert (candidate.full_name, str(candidate.years_experience)) == ("Changed", "9.0")
        return
    assert response.status_code == (401 if role == "anonymous" else 403)
    assert snapshot() == before


@pytest.mark.parametrize("role", ALL_ROLES)
def test_api_has_no_delete(api, cast, people, role):
    response = api(cast[role]).delete(f"/api/v1/candidates/{people['manager'].pk}/")
    assert response.status_code == {"anonymous": 401}.get(role, 405 if role in EDITORS else 403)
    assert Candidate.objects.filter(pk=people["manager"].pk).exists()


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("which", WHICH)
def test_api_document_list_checks_visibility(api, cast, documents, role, which):
    candidate_id = documents[which].candidate_id
    response = api(cast[role]).get(f"/api/v1/candidates/{candidate_id}/documents/")
    if role == "anonymous":
        assert response.status_code == 401
    elif which in SEES[role]:
        assert response.status_code == 200
        [row] = response.json()
        assert row["original_name"] == f"{which}.pdf"
        assert row["download_url"].endswith(f"/api/v1/documents/{documents[which].pk}/download/")
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("which", WHICH)
def test_api_document_upload_only_for_editors(
    api, cast, people, private_storage, pdf_bytes, role, which
):
    candidate = people[which]
    response = api(cast[role]).post(
        f"/api/v1/candidates/{candidate.pk}/documents/",
        {"file": SimpleUploadedFile("cv.pdf", pdf_bytes), "kind": "resume"},
        format="multipart",
    )
    if role in EDITORS:
        assert response.status_code == 201
        assert response.json()["content_type"] == "application/pdf"
        assert candidate.documents.count() == 1
        return
    assert response.status_code == (401 if role == "anonymous" else 403)
    assert Document.objects.count() == 0
    assert [p for p in private_storage.rglob("*") if p.is_file()] == []


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("which", WHICH)
def test_api_document_download_checks_visibility(api, cast, documents, role, which, pdf_bytes):
    response = api(cast[role]).get(f"/api/v1/documents/{documents[which].pk}/download/")
    if role == "anonymous":
        assert response.status_code == 401
    elif which in SEES[role]:
        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="{which}.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == pdf_bytes
        path = f"/api/v1/documents/{documents[which].pk}/download/"
        owner = documents[which].candidate_id
        assert logged() == one_event(cast[role], "download", "api", "candidate", owner, path)
        return
    else:
        assert response.status_code == 404
    assert logged() == []


@pytest.mark.parametrize("role", ALL_ROLES)
def test_api_import_only_for_editors(api, cast, people, role):
    upload = SimpleUploadedFile(
        "c.csv", b"full_name,email,years_experience\nIm Ported,imp@example.com,2\n"
    )
    response = api(cast[role]).post(
        "/api/v1/candidates/import/", {"file": upload}, format="multipart"
    )
    if role in EDITORS:
        assert response.status_code == 201
        assert response.json() == {
            "count": 1,
            "ids": [Candidate.objects.get(email="imp@example.com").pk],
        }
    else:
        assert response.status_code == (401 if role == "anonymous" else 403)
        assert only_the_people(people)


def test_candidate_seen_through_two_interviews_appears_once(api, interviewer, people):
    CandidateFactory()
    response = api(interviewer).get("/api/v1/candidates/")
    assert [row["id"] for row in response.json()["results"]] == [people["interviewer"].pk]


def test_hiring_manager_sees_pay_of_their_candidate(client, hiring_manager, people):
    response = page_client(client, hiring_manager).get(
        reverse("candidates:detail", args=[people["manager"].pk])
    )
    assert response.status_code == 200
    assert "$150,000" in response.content.decode()
    assert "Edit profile" not in response.content.decode()
