import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from candidates.models import Candidate, Document
from candidates.services import candidate_create, candidate_update
from tests import bulk
from tests.access_events import logged, one_event
from tests.candidates.factories import CandidateFactory
from tests.roles.factories import CertificationFactory, SkillFactory, ZoneFactory

pytestmark = pytest.mark.django_db
FORM = {
    "full_name": "Form Person",
    "email": "form@example.com",
    "years_experience": "3",
    "source": "other",
}


@pytest.fixture
def signed_in(client, recruiter):
    client.force_login(recruiter)
    return client


def test_list_page_query_count_is_fixed(signed_in, django_assert_max_num_queries):
    skills = [SkillFactory(slug="python", name="Python"), SkillFactory(slug="pytorch")]
    certification = CertificationFactory()
    zone = ZoneFactory()
    counts = []
    for rows in (3, 30):
        bulk.candidates(
            rows - Candidate.objects.count(),
            zone=zone,
            skills=skills,
            certifications=[certification],
        )
        with django_assert_max_num_queries(13) as ctx:  # 12, and the access event
            response = signed_in.get(reverse("candidates:list"), {"q": "candidate"})
        assert response.status_code == 200
        assert len(response.context["candidates"]) == min(rows, 25)
        assert response.context["page"].paginator.count == rows
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_a_search_is_one_event_with_its_query_and_the_rows_on_the_page(signed_in, recruiter):
    bulk.candidates(30)
    response = signed_in.get(reverse("candidates:list"), {"q": "candidate", "page": 2})
    assert len(response.context["candidates"]) == 5
    path = reverse("candidates:list") + "?q=candidate&page=2"
    assert logged() == one_event(recruiter, "search", "page", "candidate", "", path, 5)


def test_the_candidate_page_links_compensation_admins_to_its_access_history(
    client, comp_admin, recruiter
):
    candidate = CandidateFactory()
    page = reverse("candidates:detail", args=[candidate.pk])
    link = f"{reverse('access-log')}?object_type=candidate&amp;object_id={candidate.pk}"
    client.force_login(comp_admin)
    assert link in client.get(page).content.decode()
    client.force_login(recruiter)
    assert "Access history" not in client.get(page).content.decode()


def test_list_page_filters_and_keeps_them_across_pages(signed_in):
    CandidateFactory.create_batch(30, source="linkedin")
    CandidateFactory(source="agency", full_name="Agency Person")
    response = signed_in.get(reverse("candidates:list"), {"source": "linkedin", "page": 2})
    assert response.context["page"].paginator.count == 30
    assert len(response.context["candidates"]) == 5
    assert 'href="?source=linkedin&amp;page=1"' in response.content.decode()


def test_list_page_bad_filter_shows_message_not_500(signed_in):
    CandidateFactory()
    response = signed_in.get(reverse("candidates:list"), {"min_years": "-4"})
    assert response.status_code == 200
    assert response.context["form"].errors["min_years"] == [
        "Ensure this value is greater than or equal to 0."
    ]
    assert response.context["page"].paginator.count == 1


def test_form_shows_errors_next_to_fields_and_saves_nothing(signed_in):
    response = signed_in.post(
        reverse("candidates:create"),
        {**FORM, "years_experience": "75", "email": "bad", "source": "referral"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["years_experience"] == ["Ensure this value is less than or equal to 60."]
    assert form.errors["email"] == ["Enter a valid email address."]
    body = response.content.decode()
    assert 'id="id_years_experience_error"' in body
    assert Candidate.objects.count() == 0


def test_service_errors_land_on_their_fields(signed_in):
    response = signed_in.post(reverse("candidates:create"), {**FORM, "source": "referral"})
    assert response.context["form"].errors == {
        "referrer": ["A referral needs the referrer's name."]
    }
    assert Candidate.objects.count() == 0


def test_duplicate_email_links_to_the_existing_candidate(signed_in):
    existing = CandidateFactory(email="FORM@example.com")
    response = signed_in.post(reverse("candidates:create"), FORM)
    assert response.context["form"].errors["email"] == [
        "A candidate with this email already exists."
    ]
    assert reverse("candidates:detail", args=[existing.pk]) in response.content.decode()
    assert Candidate.objects.count() == 1


def test_possible_duplicate_shows_save_anyway_and_then_saves(signed_in):
    CandidateFactory(full_name="Phone Twin", phone="+15125550100")
    data = {**FORM, "phone": "512 555 0100"}
    first = signed_in.post(reverse("candidates:create"), {**data, "phone": "+1 512 555 0100"})
    body = first.content.decode()
    assert "Possible duplicate" in body
    assert 'name="confirm_duplicate"' in body
    assert Candidate.objects.count() == 1
    second = signed_in.post(
        reverse("candidates:create"),
        {**data, "phone": "+1 512 555 0100", "confirm_duplicate": "on"},
    )
    assert second.status_code == 302
    assert Candidate.objects.count() == 2


def test_edit_form_prefills_tags_and_saves(signed_in, recruiter):
    candidate = candidate_create(
        actor=recruiter,
        full_name="Tag Person",
        email="t@example.com",
        years_experience="2",
        tags=["llm", "rag"],
    )
    page = signed_in.get(reverse("candidates:edit", args=[candidate.pk]))
    assert page.context["form"].initial["tags"] == "llm, rag"
    response = signed_in.post(
        reverse("candidates:edit", args=[candidate.pk]),
        {**FORM, "email": "t@example.com", "full_name": "Tag Person", "tags": "llm"},
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.tags == ["llm"]


def test_every_input_has_a_label_and_no_inline_script_or_style(signed_in, recruiter):
    SkillFactory(slug="python", name="Python")
    candidate = CandidateFactory()
    for url in [
        reverse("candidates:list"),
        reverse("candidates:create"),
        reverse("candidates:edit", args=[candidate.pk]),
        reverse("candidates:detail", args=[candidate.pk]),
        reverse("candidates:import"),
    ]:
        body = signed_in.get(url).content.decode()
        assert "style=" not in body, url
        assert "<script>" not in body and "<script>\n" not in body, url
        for input_id in re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', body):
            assert f'for="{input_id}"' in body, (url, input_id)


def test_detail_shows_profile_history_with_who_and_which_fields(signed_in, recruiter, comp_admin):
    candidate = candidate_create(
        actor=recruiter, full_name="History Person", email="h@example.com", years_experience="2"
    )
    candidate_update(candidate=candidate, actor=comp_admin, city="Boston", expected_base=100)
    response = signed_in.get(reverse("candidates:detail", args=[candidate.pk]))
    history = response.context["history"]
    assert [(e.who, e.kind, e.fields) for e in history] == [
        ("Comp Admin", "changed", ["city", "expected base"]),
        ("Recruiter", "created", []),
    ]


def test_detail_history_hides_pay_changes_from_interviewers(client, recruiter, interviewer, people):
    candidate = people["interviewer"]
    candidate_update(candidate=candidate, actor=recruiter, expected_base=1, city="Reno")
    client.force_login(interviewer)
    response = client.get(reverse("candidates:detail", args=[candidate.pk]))
    assert response.context["history"][0].fields == ["city"]


def test_detail_page_upload_error_is_shown_and_nothing_saved(signed_in, private_storage):
    candidate = CandidateFactory()
    response = signed_in.post(
        reverse("candidates:document-upload", args=[candidate.pk]),
        {"file": SimpleUploadedFile("cv.pdf", b"\x7fELF" + b"\x00" * 50), "kind": "resume"},
    )
    assert response.status_code == 400
    assert response.context["upload_form"].errors["file"] == [
        "This file is a program, not a document. Only PDF and DOCX files are accepted."
    ]
    assert Document.objects.count() == 0
    # The page shown again with the error is the profile: a view.
    assert [(e[1], e[4]) for e in logged()] == [("view", str(candidate.pk))]


def test_import_page_lists_each_failing_row(signed_in):
    upload = SimpleUploadedFile(
        "c.csv", b"full_name,email,years_experience\nA,a@example.com,1\nB,b@example.com,-1\n"
    )
    response = signed_in.post(reverse("candidates:import"), {"file": upload})
    assert response.status_code == 200
    assert response.context["row_errors"] == [
        {
            "row": 3,
            "errors": {"years_experience": ["Ensure this value is greater than or equal to 0."]},
        }
    ]
    assert "nothing was imported" in response.content.decode()
    assert Candidate.objects.count() == 0


def test_admin_lists_and_edits_candidates_with_history(client, admin_user, pdf_bytes):
    candidate = CandidateFactory(full_name="Admin Seen")
    document = Document.objects.create(
        candidate=candidate,
        file="documents/aa/x",
        original_name="x.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
    )
    client.force_login(admin_user)
    changelist = client.get(reverse("admin:candidates_candidate_changelist"), {"q": "admin seen"})
    assert changelist.status_code == 200
    assert "Admin Seen" in changelist.content.decode()
    history = client.get(reverse("admin:candidates_candidate_history", args=[candidate.pk]))
    assert history.status_code == 200
    doc_page = client.get(reverse("admin:candidates_document_change", args=[document.pk]))
    assert doc_page.status_code == 200
    assert reverse("candidates:document-download", args=[document.pk]) in doc_page.content.decode()
    assert client.get(reverse("admin:candidates_document_add")).status_code == 403
    change = client.get(reverse("admin:candidates_candidate_change", args=[candidate.pk]))
    assert change.status_code == 200
    # The list, the history and the change page: one event each (the document page shows
    # no profile), all on the admin channel.
    pk = str(candidate.pk)
    assert logged() == [
        (
            "admin",
            "search",
            "admin",
            "candidate",
            "",
            changelist.request["PATH_INFO"] + "?q=admin+seen",
            1,
        ),
        ("admin", "view", "admin", "candidate", pk, history.request["PATH_INFO"], None),
        ("admin", "view", "admin", "candidate", pk, change.request["PATH_INFO"], None),
    ]
