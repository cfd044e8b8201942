import pytest
from django.db import connection

from candidates.models import Candidate
from candidates.selectors import apply_filters, search
from candidates.services import build_search_document, candidate_create
from tests.roles.factories import SkillFactory, ZoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool(recruiter):
    python = SkillFactory(slug="python", name="Python")
    rust = SkillFactory(slug="rust", name="Rust")
    zone = ZoneFactory(slug="new-york", name="New York")
    make = candidate_create
    return {
        "ada": make(
            actor=recruiter,
            full_name="Ada Lovelace",
            email="ada.l@example.com",
            years_experience="7",
            city="London",
            skills=[python],
            tags=["llm"],
            source="linkedin",
        ),
        "grace": make(
            actor=recruiter,
            full_name="Grace Hopper",
            email="grace@navy.example",
            years_experience="12",
            city="New York",
            zone=zone,
            skills=[rust],
            notes="Compilers and COBOL",
        ),
        "alan": make(
            actor=recruiter,
            full_name="Alan Turing",
            email="alan@example.com",
            years_experience="2",
            skills=[python, rust],
            tags=["research", "llm"],
        ),
    }


def names(queryset) -> list[str]:
    return sorted(queryset.values_list("full_name", flat=True))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ada", ["Ada Lovelace"]),
        ("LOVE", ["Ada Lovelace"]),  # prefix of a word, any case
        ("ada.l@example.com", ["Ada Lovelace"]),  # full email
        ("grace@navy", ["Grace Hopper"]),
        ("python", ["Ada Lovelace", "Alan Turing"]),  # skill
        ("python rust", ["Alan Turing"]),  # every word must match
        ("cobol", ["Grace Hopper"]),  # notes
        ("new york", ["Grace Hopper"]),  # city
        ("nobody", []),
        ("  ", ["Ada Lovelace", "Alan Turing", "Grace Hopper"]),
        ("' & | ! :* ()", ["Ada Lovelace", "Alan Turing", "Grace Hopper"]),  # operators ignored
    ],
)
def test_search_matches_name_email_skill_and_free_text(pool, text, expected):
    assert names(search(Candidate.objects.all(), text)) == expected


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"zone": "new-york"}, ["Grace Hopper"]),
        ({"source": "linkedin"}, ["Ada Lovelace"]),
        ({"skill": "rust"}, ["Alan Turing", "Grace Hopper"]),
        ({"min_years": "7"}, ["Ada Lovelace", "Grace Hopper"]),
        ({"max_years": "7"}, ["Ada Lovelace", "Alan Turing"]),
        ({"tag": "LLM"}, ["Ada Lovelace", "Alan Turing"]),
        ({"tag": "ll"}, []),  # whole tags only
        ({"q": "python", "skill": "rust"}, ["Alan Turing"]),
    ],
)
def test_filters(pool, filters, expected):
    assert names(apply_filters(Candidate.objects.all(), filters)) == expected


def test_postgres_search_uses_the_gin_index_and_finds_the_rows(require_postgres, recruiter):
    python = SkillFactory(slug="python", name="Python")
    rows = [
        Candidate(full_name=f"Person {i}", email=f"person{i}@example.com", years_experience=3)
        for i in range(3000)
    ]
    rows.append(Candidate(full_name="Zelda Quux", email="zelda@example.com", years_experience=3))
    for row in rows:
        row.search_document = build_search_document(
            row, [python] if row.full_name == "Zelda Quux" else [], []
        )
    Candidate.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE candidates_candidate")
        cursor.execute("SET LOCAL enable_seqscan = off")
    queryset = search(Candidate.objects.all(), "zeld pyth")
    plan = queryset.explain()
    assert "candidates_candidate_search_gin" in plan
    assert names(queryset) == ["Zelda Quux"]
    assert search(Candidate.objects.all(), "person").count() == 3000
