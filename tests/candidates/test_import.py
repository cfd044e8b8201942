import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from candidates import importer
from candidates.importer import COLUMNS, candidates_import, template_csv
from candidates.models import Candidate
from core.errors import DomainError
from tests.candidates.factories import CandidateFactory
from tests.roles.factories import SkillFactory, ZoneFactory

pytestmark = pytest.mark.django_db
HEADER = "full_name,email,phone,years_experience,skills,zone,tags,source,referrer"


def csv_file(text: str, name: str = "candidates.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


@pytest.fixture
def catalogue():
    ZoneFactory(slug="national")
    SkillFactory(slug="python", name="Python")
    SkillFactory(slug="pytorch", name="PyTorch")


def test_template_has_every_column_and_an_example_row_that_imports(catalogue, recruiter):
    rows = list(csv.reader(io.StringIO(template_csv())))
    assert rows[0] == list(COLUMNS)
    assert len(rows) == 2
    created = candidates_import(file=csv_file(template_csv()), actor=recruiter)
    [ada] = created
    assert ada.full_name == "Ada Example"
    assert ada.referrer == "Grace Hopper"
    assert sorted(ada.skills.values_list("slug", flat=True)) == ["python", "pytorch"]
    assert ada.created_by == recruiter
    assert ada.history.earliest().history_user == recruiter
    assert "pytorch" in ada.search_document


def test_valid_file_imports_every_row(catalogue, recruiter):
    text = (
        f"{HEADER}\n"
        "Ada One,ada1@example.com,,3,python,national,llm;rag,linkedin,\n"
        "Bea Two,bea2@example.com,+1 512 555 0101,7.5,,,,referral,Carl\n"
    )
    created = candidates_import(file=csv_file(text), actor=recruiter)
    assert [c.full_name for c in created] == ["Ada One", "Bea Two"]
    assert Candidate.objects.get(email="ada1@example.com").tags == ["llm", "rag"]
    assert Candidate.objects.get(email="bea2@example.com").phone == "+15125550101"


def test_one_bad_row_imports_nothing_and_every_failing_row_is_reported(catalogue, recruiter):
    taken = CandidateFactory(email="taken@example.com")
    text = (
        f"{HEADER}\n"
        "Ok Person,ok@example.com,,3,python,national,,linkedin,\n"
        "No Years,noyears@example.com,,,,,,linkedin,\n"
        "Bad Skill,bad@example.com,,-2,cobol,mars,,referral,\n"
        "Taken,TAKEN@example.com,,3,,,,linkedin,\n"
        "Again,ok@example.com,,3,,,,linkedin,\n"
    )
    with pytest.raises(DomainError) as caught:
        candidates_import(file=csv_file(text), actor=recruiter)
    error = caught.value
    assert error.code == "invalid_rows"
    assert error.message == "4 row(s) have errors; nothing was imported."
    assert error.errors == {
        "row 3": ["years_experience: This field cannot be null."],
        "row 4": [
            "zone: Unknown zone “mars”. Known: national.",
            "skills: Unknown skills: cobol (use slugs, separated by ';').",
            "years_experience: Ensure this value is greater than or equal to 0.",
            "referrer: A referral needs the referrer's name.",
        ],
        "row 5": [f"email: A candidate with this email already exists. (candidate #{taken.pk})"],
        "row 6": ["email: The same email is on row 2."],
    }
    assert [r["row"] for r in error.extra["rows"]] == [3, 4, 5, 6]
    assert Candidate.objects.count() == 1


def test_possible_duplicates_are_reported_unless_confirmed(catalogue, recruiter):
    existing = CandidateFactory(full_name="Zed", email="zed@example.com", phone="+15125550100")
    text = (
        "full_name,email,phone,years_experience\n"
        "Amy,amy@example.com,+1 512 555 0100,3\n"
        "Bo,bo@example.com,5125550199,3\n"
        "Cy,cy@example.com,512-555-0199,3\n"
    )
    with pytest.raises(DomainError) as caught:
        candidates_import(file=csv_file(text), actor=recruiter)
    assert caught.value.errors == {
        "row 2": [f"phone: Zed has the same phone. (candidate #{existing.pk})"],
        "row 4": ["phone: The same phone is on row 3."],
    }
    assert Candidate.objects.count() == 1
    created = candidates_import(file=csv_file(text), actor=recruiter, confirm_duplicates=True)
    assert len(created) == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"full_name,email,years_experience\n", "The file has no candidate rows."),
        (
            "full_name,email,years_experience\nJos\xe9,j@example.com,3\n".encode("latin-1"),
            "The file is not UTF-8 text (byte 37 cannot be read). "
            "Save it as “CSV UTF-8” and try again.",
        ),
        (
            b"name,email,years\nA,a@example.com,3\n",
            "The header row is not right (unknown columns: name, years; missing columns: "
            "full_name, years_experience). Download the template.",
        ),
        (
            b"full_name,email,email,years_experience\nA,a@example.com,b@example.com,3\n",
            "The header row is not right (repeated columns: email). Download the template.",
        ),
    ],
)
def test_unreadable_files_get_a_clear_message(recruiter, content, message):
    upload = SimpleUploadedFile("c.csv", content, content_type="text/csv")
    with pytest.raises(DomainError) as caught:
        candidates_import(file=upload, actor=recruiter)
    assert caught.value.errors == {"file": [message]}
    assert Candidate.objects.count() == 0


def test_limits_on_size_and_rows(recruiter, monkeypatch):
    monkeypatch.setattr(importer, "MAX_ROWS", 2)
    text = "full_name,email,years_experience\n" + "".join(
        f"P{i},p{i}@example.com,1\n" for i in range(3)
    )
    with pytest.raises(DomainError) as caught:
        candidates_import(file=csv_file(text), actor=recruiter)
    assert caught.value.errors == {"file": ["The file has more than 2 rows; split it."]}
    too_big = text + "#" * (5 * 1024 * 1024 + 1 - len(text))
    with pytest.raises(DomainError) as caught:
        candidates_import(file=csv_file(too_big), actor=recruiter)
    assert caught.value.errors == {"file": ["The file is larger than 5 MB."]}
    assert Candidate.objects.count() == 0


def test_utf8_with_bom_and_blank_lines_is_read(recruiter):
    text = "\ufefffull_name,email,years_experience\r\n\r\nJosé Núñez,jose@example.com,2\r\n"
    [jose] = candidates_import(file=csv_file(text), actor=recruiter)
    assert jose.full_name == "José Núñez"
