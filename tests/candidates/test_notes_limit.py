"""Notes have a length limit, and the search document always fits a PostgreSQL tsvector.

PostgreSQL refuses a tsvector over 1 MB, and the GIN index computes one from
the search document on every save: notes of ~1 MB of distinct words used to be
a 500. The limit is a field error on ``notes`` (form, API and CSV import share
it), and ``build_search_document`` is bounded whatever it is given.
"""

from __future__ import annotations

import functools
import itertools
import string
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from candidates.models import Candidate
from candidates.services import (
    NOTES_MAX_LENGTH,
    SEARCH_DOCUMENT_MAX_LENGTH,
    build_search_document,
    candidate_field_errors,
    search_words,
)
from tests.candidates.factories import CandidateFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/candidates/"


@functools.cache
def distinct_words(total_chars: int, alphabet: str = string.ascii_lowercase) -> str:
    """Space-separated words, all different, about ``total_chars`` long (at least that)."""
    words: list[str] = []
    size = 0
    for length in itertools.count(1):
        # Each word is "w" and ``length`` letters, and a space after it.
        wanted = -(-(total_chars - size) // (length + 2))
        batch = list(itertools.islice(itertools.product(alphabet, repeat=length), wanted))
        words.extend(map("w".__add__, map("".join, batch)))
        size += len(batch) * (length + 2)
        if size >= total_chars:
            return " ".join(words)


def test_notes_up_to_the_limit_are_fine_and_one_more_character_is_a_field_error():
    at_limit = Candidate(full_name="A", email="a@example.com", notes="x" * NOTES_MAX_LENGTH)
    over = Candidate(full_name="A", email="a@example.com", notes="x" * (NOTES_MAX_LENGTH + 1))

    assert "notes" not in candidate_field_errors(at_limit)
    [message] = candidate_field_errors(over)["notes"]
    assert f"{NOTES_MAX_LENGTH:,}" in message


def test_a_megabyte_of_distinct_words_in_notes_is_400_naming_notes(api, recruiter):
    notes = distinct_words(1_048_576)

    response = api(recruiter).post(
        URL,
        {"full_name": "Big", "email": "big@example.com", "years_experience": "3", "notes": notes},
        format="json",
    )

    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["errors"]) == ["notes"]
    assert body["detail"].startswith("notes: ")
    assert Candidate.objects.count() == 0


def test_a_megabyte_of_notes_on_update_is_400_and_changes_nothing(api, recruiter):
    candidate = CandidateFactory(notes="short")

    response = api(recruiter).patch(
        f"{URL}{candidate.pk}/", {"notes": distinct_words(1_048_576)}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["notes"]
    candidate.refresh_from_db()
    assert candidate.notes == "short"


def test_csv_import_reports_notes_over_the_limit_on_the_row(api, recruiter):
    notes = "y" * (NOTES_MAX_LENGTH + 1)
    text = f"full_name,email,years_experience,notes\nLong,long@example.com,2,{notes}\n"
    upload = SimpleUploadedFile("c.csv", text.encode())

    response = api(recruiter).post(f"{URL}import/", {"file": upload}, format="multipart")

    assert response.status_code == 400
    [message] = response.json()["errors"]["row 2"]
    assert message.startswith("notes: ")
    assert Candidate.objects.count() == 0


def huge_candidate(notes: str, tags: list[str] | None = None) -> SimpleNamespace:
    return SimpleNamespace(
        full_name="Ada Lovelace", email="ada@example.com", city="London", tags=tags, notes=notes
    )


def test_build_search_document_stays_under_the_cap_and_cuts_on_a_word_boundary():
    notes = distinct_words(5_000_000)
    tags = [f"tag{n}" for n in range(50_000)]

    document = build_search_document(huge_candidate(notes, tags), [], [])

    assert len(document) <= SEARCH_DOCUMENT_MAX_LENGTH
    assert len(document) > SEARCH_DOCUMENT_MAX_LENGTH - 50
    assert document.startswith("ada lovelace ada example com london tag0 tag1 ")
    whole_words = set(search_words(" ".join(tags))) | set(search_words(notes))
    assert document.split()[-1] in whole_words


def test_build_search_document_leaves_ordinary_profiles_whole():
    candidate = huge_candidate("Met at the meetup. " * 1000, ["llm"])

    document = build_search_document(candidate, [], [])

    assert document == " ".join(
        search_words("Ada Lovelace ada@example.com London llm " + candidate.notes)
    )


@pytest.mark.parametrize(
    "alphabet",
    [
        string.ascii_lowercase,
        "".join(chr(c) for c in range(0x4E00, 0x4E00 + 500)),  # CJK: 3 bytes each
        "".join(chr(c) for c in range(0x20000, 0x20000 + 500)),  # CJK ext. B: 4 bytes each
    ],
    ids=["ascii", "cjk", "cjk-ext-b"],
)
def test_the_search_document_of_any_input_fits_a_postgres_tsvector(require_postgres, alphabet):
    notes = distinct_words(4_000_000, alphabet)
    document = build_search_document(huge_candidate(notes), [], [])

    with connection.cursor() as cursor:
        cursor.execute("SELECT length(to_tsvector('simple', %s))", [document])
        [(lexemes,)] = cursor.fetchall()

    assert lexemes > 1_000
