"""The CSV import writes in bulk (bug 6) and refuses NUL characters (bug 8)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from candidates import importer, selectors
from candidates.importer import candidates_import
from candidates.models import Candidate
from candidates.services import candidate_update
from core.errors import DomainError
from tests.roles.factories import CertificationFactory, SkillFactory, ZoneFactory

pytestmark = pytest.mark.django_db
HEADER = "full_name,email,phone,zone,years_experience,skills,certifications,tags,expected_base"
URL = "/api/v1/candidates/import/"


def csv_file(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("candidates.csv", text.encode("utf-8"), content_type="text/csv")


def rows_csv(count: int, *, start: int = 0) -> str:
    """``count`` distinct people, each with a zone, skills, a certification and pay."""
    lines = [HEADER]
    for n in range(start, start + count):
        skills = ["python", "python;pytorch", "pytorch"][n % 3]
        certification = ["aws-ml", "", "gcp-ml;aws-ml"][n % 3]
        phone = f"+1 512 {n // 10000 % 1000:03d} {n % 10000:04d}"
        lines.append(
            f"Person{n} Import{n},person{n}@example.com,{phone},national,{n % 20},"
            f"{skills},{certification},llm;rag,{100000 + n}"
        )
    return "\n".join(lines) + "\n"


@pytest.fixture
def catalogue():
    ZoneFactory(slug="national")
    SkillFactory(slug="python", name="Python")
    SkillFactory(slug="pytorch", name="PyTorch")
    CertificationFactory(slug="aws-ml", name="AWS ML")
    CertificationFactory(slug="gcp-ml", name="GCP ML")


def _import_queries(text: str, actor) -> int:
    with CaptureQueriesContext(connection) as queries:
        created = candidates_import(file=csv_file(text), actor=actor)
    assert len(created) == text.count("\n") - 1
    return len(queries)


def test_import_query_count_does_not_grow_with_rows(catalogue, recruiter):
    three = _import_queries(rows_csv(3), recruiter)
    thirty = _import_queries(rows_csv(30, start=100), recruiter)
    assert thirty == three
    assert Candidate.objects.count() == 33


def test_bulk_import_keeps_data_search_and_history(catalogue, recruiter, comp_admin):
    created = candidates_import(file=csv_file(rows_csv(3)), actor=recruiter)
    assert [c.email for c in created] == [f"person{n}@example.com" for n in range(3)]
    assert all(c.pk for c in created)
    both = Candidate.objects.get(email="person1@example.com")
    assert both.created_by == recruiter
    assert both.zone.slug == "national"
    assert both.tags == ["llm", "rag"]
    assert sorted(both.skills.values_list("slug", flat=True)) == ["python", "pytorch"]
    assert list(both.certifications.values_list("slug", flat=True)) == []
    third = Candidate.objects.get(email="person2@example.com")
    assert sorted(third.certifications.values_list("slug", flat=True)) == ["aws-ml", "gcp-ml"]
    assert "pytorch" in both.search_document and "person1" in both.search_document
    assert "gcp" in third.search_document

    for candidate in created:
        [record] = candidate.history.all()
        assert (record.history_type, record.history_user) == ("+", recruiter)
        assert record.full_name == candidate.full_name
        assert sorted(s.skill_id for s in record.skills.all()) == sorted(
            candidate.skills.values_list("pk", flat=True)
        )
        assert sorted(c.certification_id for c in record.certifications.all()) == sorted(
            candidate.certifications.values_list("pk", flat=True)
        )
        history = selectors.candidate_history(candidate, user=comp_admin)
        assert [(e.who, e.kind, e.fields) for e in history] == [("Recruiter", "created", [])]

    # The next edit is compared with the imported state: only what changed shows.
    candidate_update(candidate=both, actor=comp_admin, city="Reno")
    history = selectors.candidate_history(both, user=comp_admin)
    assert [(e.who, e.kind, e.fields) for e in history] == [
        ("Comp Admin", "changed", ["city"]),
        ("Recruiter", "created", []),
    ]


def test_import_in_several_chunks(catalogue, recruiter, monkeypatch):
    monkeypatch.setattr(importer, "CHUNK_SIZE", 4)
    created = candidates_import(file=csv_file(rows_csv(10)), actor=recruiter)
    assert [c.full_name for c in created] == [f"Person{n} Import{n}" for n in range(10)]
    assert Candidate.history.filter(history_type="+").count() == 10
    assert Candidate.skills.through.objects.count() == 13


def test_a_conflict_while_writing_imports_nothing(catalogue, recruiter, monkeypatch):
    candidates_import(file=csv_file(rows_csv(1)), actor=recruiter)
    monkeypatch.setattr(importer, "existing_ids_by_email", lambda emails: {})
    with pytest.raises(DomainError) as caught:
        candidates_import(
            file=csv_file(rows_csv(3, start=5) + rows_csv(1).splitlines()[1] + "\n"),
            actor=recruiter,
            confirm_duplicates=True,
        )
    assert caught.value.code == "conflict"
    assert Candidate.objects.count() == 1
    assert Candidate.history.count() == 1


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("Nul\x00Name,nul@example.com,3,python", "full_name"),
        ("Nul Email,nul\x00@example.com,3,python", "email"),
        ("Nul Skill,nulskill@example.com,3,py\x00thon", "skills"),
        ("Nul Years,nulyears@example.com,3\x00,python", "years_experience"),
    ],
)
def test_nul_character_is_a_row_error_and_nothing_is_saved(api, recruiter, catalogue, row, column):
    text = (
        f"full_name,email,years_experience,skills\nFine Person,fine@example.com,2,python\n{row}\n"
    )
    upload = SimpleUploadedFile("c.csv", text.encode("utf-8"), content_type="text/csv")
    response = api(recruiter).post(URL, {"file": upload}, format="multipart")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid_rows"
    assert body["errors"] == {"row 3": [f"{column}: {importer.NUL_MESSAGE}"]}
    assert body["rows"] == [{"row": 3, "errors": {column: [importer.NUL_MESSAGE]}}]
    assert "NUL character" in importer.NUL_MESSAGE
    assert Candidate.objects.count() == 0


def test_nul_character_on_postgresql_is_a_400_not_a_500(api, recruiter, require_postgres):
    text = "full_name,email,years_experience\nAda\x00 Nul,ada@example.com,3\n"
    upload = SimpleUploadedFile("c.csv", text.encode("utf-8"), content_type="text/csv")
    response = api(recruiter).post(URL, {"file": upload}, format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"] == {"row 2": [f"full_name: {importer.NUL_MESSAGE}"]}
    assert Candidate.objects.count() == 0
