import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from candidates.models import Candidate, Document
from candidates.services import candidate_create
from tests import bulk
from tests.access_events import logged
from tests.candidates.factories import CandidateFactory
from tests.roles.factories import CertificationFactory, SkillFactory, ZoneFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/candidates/"


def test_create_with_skills_by_slug_and_read_back(api, recruiter):
    SkillFactory(slug="python", name="Python")
    ZoneFactory(slug="national")
    response = api(recruiter).post(
        URL,
        {
            "full_name": "Ada Api",
            "email": "ada@example.com",
            "years_experience": "4.5",
            "skills": ["python"],
            "zone": "national",
            "tags": ["LLM"],
            "expected_base": "150000",
            "source": "referral",
            "referrer": "Grace",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["skills"] == ["python"]
    assert body["zone"] == "national"
    assert body["tags"] == ["llm"]
    assert body["expected_base"] == "150000.00"
    assert "confirm_duplicate" not in body
    assert Candidate.objects.get(pk=body["id"]).search_document.startswith("ada api")


def test_duplicate_email_is_400_with_existing_id(api, recruiter):
    existing = CandidateFactory(email="dup@example.com")
    response = api(recruiter).post(
        URL, {"full_name": "X", "email": "DUP@example.com", "years_experience": "1"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "email: A candidate with this email already exists.",
        "code": "duplicate_email",
        "errors": {"email": ["A candidate with this email already exists."]},
        "existing_id": existing.pk,
    }
    assert Candidate.objects.count() == 1


def test_possible_duplicate_needs_confirmation(api, recruiter):
    existing = CandidateFactory(full_name="Bo", email="bo@example.com", phone="+15125550100")
    payload = {
        "full_name": "Al",
        "email": "al@example.com",
        "years_experience": "1",
        "phone": "(512) 555-0100",
    }
    response = api(recruiter).post(URL, {**payload, "phone": "+1 512 555 0100"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "possible_duplicate"
    assert body["errors"] == {"phone": ["Bo has the same phone."]}
    assert body["duplicates"] == [
        {"id": existing.pk, "full_name": "Bo", "reason": "Bo has the same phone."}
    ]
    assert Candidate.objects.count() == 1
    confirmed = api(recruiter).post(
        URL, {**payload, "phone": "+1 512 555 0100", "confirm_duplicate": True}, format="json"
    )
    assert confirmed.status_code == 201
    assert Candidate.objects.count() == 2


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"years_experience": "-1"}, "years_experience"),
        ({"years_experience": "500"}, "years_experience"),
        ({"years_experience": "abc"}, "years_experience"),
        ({"email": "nope"}, "email"),
        ({"skills": ["cobol"]}, "skills"),
        ({"zone": "mars"}, "zone"),
        ({"source": "carrier-pigeon"}, "source"),
        ({"source": "referral"}, "referrer"),
        ({"tags": "not-a-list"}, "tags"),
        ({"expected_base": "-10"}, "expected_base"),
    ],
)
def test_bad_input_is_400_naming_the_field_and_saves_nothing(api, recruiter, payload, field):
    data = {"full_name": "Bad", "email": "bad@example.com", "years_experience": "3", **payload}
    response = api(recruiter).post(URL, data, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert Candidate.objects.count() == 0


def test_partial_update_changes_only_given_fields(api, recruiter):
    candidate = CandidateFactory(city="Austin", email="p@example.com")
    response = api(recruiter).patch(f"{URL}{candidate.pk}/", {"city": "Boston"}, format="json")
    assert response.status_code == 200
    candidate.refresh_from_db()
    assert (candidate.city, candidate.email) == ("Boston", "p@example.com")
    assert candidate.history.latest().history_user == recruiter
    assert "boston" in candidate.search_document


def test_filters_search_ordering_and_pagination(api, recruiter):
    python = SkillFactory(slug="python", name="Python")
    zone = ZoneFactory(slug="remote", name="Remote")
    for i, years in enumerate(["1", "4", "8"]):
        candidate_create(
            actor=recruiter,
            full_name=f"Person {i}",
            email=f"p{i}@example.com",
            years_experience=years,
            skills=[python] if i else [],
            zone=zone if i == 2 else None,
            tags=["llm"] if i == 1 else [],
            source="linkedin" if i == 0 else "other",
        )
    client = api(recruiter)

    def ids(query: str) -> list[str]:
        return [r["full_name"] for r in client.get(f"{URL}?{query}").json()["results"]]

    assert ids("skill=python") == ["Person 1", "Person 2"]
    assert ids("zone=remote") == ["Person 2"]
    assert ids("source=linkedin") == ["Person 0"]
    assert ids("min_years=4&max_years=5") == ["Person 1"]
    assert ids("tag=llm") == ["Person 1"]
    assert ids("q=person 2") == ["Person 2"]
    assert ids("ordering=-years_experience") == ["Person 2", "Person 1", "Person 0"]
    page = client.get(f"{URL}?page_size=2&page=2").json()
    assert page["count"] == 3
    assert [r["full_name"] for r in page["results"]] == ["Person 2"]
    assert page["previous"] and page["next"] is None
    bad = client.get(f"{URL}?min_years=lots")
    assert bad.status_code == 400
    assert "min_years" in bad.json()["errors"]


def test_an_api_search_and_a_suggestion_are_one_search_event_each(api, recruiter):
    bulk.candidates(3)
    client = api(recruiter)
    assert client.get(f"{URL}?search=candidate&page_size=2").json()["count"] == 3
    assert len(client.get(f"{URL}suggest/?q=candidate").json()) == 3
    assert logged() == [
        ("recruiter", "search", "api", "candidate", "", f"{URL}?search=candidate&page_size=2", 2),
        ("recruiter", "search", "api", "candidate", "", f"{URL}suggest/?q=candidate", 3),
    ]


def test_document_upload_refuses_a_renamed_executable(api, recruiter, private_storage):
    candidate = CandidateFactory()
    response = api(recruiter).post(
        f"{URL}{candidate.pk}/documents/",
        {"file": SimpleUploadedFile("cv.pdf", b"MZ\x90\x00" + b"\x00" * 100)},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_document"
    assert response.json()["errors"] == {
        "file": ["This file is a program, not a document. Only PDF and DOCX files are accepted."]
    }
    assert Document.objects.count() == 0
    assert [p for p in private_storage.rglob("*") if p.is_file()] == []


def test_document_upload_without_file_names_the_field(api, recruiter, private_storage):
    candidate = CandidateFactory()
    response = api(recruiter).post(f"{URL}{candidate.pk}/documents/", {}, format="multipart")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["file"]


def test_import_reports_each_failing_row(api, recruiter):
    upload = SimpleUploadedFile(
        "c.csv",
        b"full_name,email,years_experience\nOk,ok@example.com,2\nBad,bad@,x\nAlso,,70\n",
    )
    response = api(recruiter).post(f"{URL}import/", {"file": upload}, format="multipart")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_rows"
    assert body["errors"] == {
        "row 3": [
            "years_experience: “x” is not a number.",
            "email: Enter a valid email address.",
        ],
        "row 4": [
            "email: This field cannot be blank.",
            "years_experience: Ensure this value is less than or equal to 60.",
        ],
    }
    assert [r["row"] for r in body["rows"]] == [3, 4]
    assert Candidate.objects.count() == 0


def test_import_bad_encoding_is_400_on_file(api, recruiter):
    upload = SimpleUploadedFile("c.csv", "full_name\nJos\xe9\n".encode("latin-1"))
    response = api(recruiter).post(f"{URL}import/", {"file": upload}, format="multipart")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["file"]
    assert "not UTF-8" in response.json()["errors"]["file"][0]


def test_list_endpoint_query_count_is_fixed(api, recruiter, django_assert_max_num_queries):
    skills = [SkillFactory(slug="python", name="Python"), SkillFactory(slug="pytorch")]
    certification = CertificationFactory()
    zone = ZoneFactory()
    client = api(recruiter)
    counts = []
    for rows in (3, 30):
        bulk.candidates(
            rows - Candidate.objects.count(),
            zone=zone,
            skills=skills,
            certifications=[certification],
        )
        with django_assert_max_num_queries(8) as ctx:  # 7, and the access event
            response = client.get(f"{URL}?page_size=100")
        assert response.json()["count"] == rows
        assert len(response.json()["results"]) == rows
        assert sorted(response.json()["results"][0]["skills"]) == ["python", "pytorch"]
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
