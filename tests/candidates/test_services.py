from decimal import Decimal

import pytest

from candidates.models import Candidate
from candidates.services import candidate_create, candidate_update
from core.errors import DomainError
from tests.candidates.factories import CandidateFactory
from tests.roles.factories import CertificationFactory, SkillFactory, ZoneFactory

pytestmark = pytest.mark.django_db


def create(actor, **overrides):
    data = {"full_name": "Ada Lovelace", "email": "ada@example.com", "years_experience": "4.5"}
    return candidate_create(actor=actor, **{**data, **overrides})


def test_create_records_actor_history_and_search_document(recruiter):
    python = SkillFactory(slug="python", name="Python")
    cert = CertificationFactory(slug="aws-ml-specialty", name="AWS ML Specialty")
    candidate = create(
        recruiter,
        city="Austin",
        skills=[python],
        certifications=[cert],
        tags="LLM, rag",
        notes="Met at PyCon",
        phone="+1 (512) 555-0100",
    )
    candidate.refresh_from_db()
    assert candidate.created_by == recruiter
    assert candidate.phone == "+15125550100"
    assert candidate.tags == ["llm", "rag"]
    assert candidate.years_experience == Decimal("4.5")
    assert list(candidate.skills.values_list("slug", flat=True)) == ["python"]
    assert candidate.search_document == (
        "ada lovelace ada example com austin python python aws ml specialty aws ml specialty "
        "llm rag met at pycon"
    )
    first = candidate.history.earliest()
    assert first.history_type == "+"
    assert first.history_user == recruiter
    assert {h.history_user for h in candidate.history.all()} == {recruiter}


def test_duplicate_email_is_refused_case_insensitively_with_existing_id(recruiter):
    existing = CandidateFactory(email="Ada@Example.com")
    with pytest.raises(DomainError) as caught:
        create(recruiter, email="  ada@EXAMPLE.com ")
    assert caught.value.code == "duplicate_email"
    assert caught.value.errors == {"email": ["A candidate with this email already exists."]}
    assert caught.value.extra == {"existing_id": existing.pk}
    assert Candidate.objects.count() == 1


def test_same_phone_warns_and_confirm_saves(recruiter):
    existing = CandidateFactory(
        full_name="Bob Stone", email="bob@example.com", phone="+15125550100"
    )
    with pytest.raises(DomainError) as caught:
        create(recruiter, phone="+1 512-555-0100")
    assert caught.value.code == "possible_duplicate"
    assert caught.value.errors == {"phone": ["Bob Stone has the same phone."]}
    assert caught.value.extra["duplicates"] == [
        {"id": existing.pk, "full_name": "Bob Stone", "reason": "Bob Stone has the same phone."}
    ]
    assert Candidate.objects.count() == 1
    saved = create(recruiter, phone="+1 512-555-0100", confirm_duplicate=True)
    assert saved.pk and Candidate.objects.count() == 2


@pytest.mark.parametrize(
    ("name", "email"),
    [
        ("Ada Lovelace", "ada.lovelace@work.example"),  # same email local part, same name
        ("Ada  Lovelace", "adalovelace1@other.example"),  # same name, local part 92 % similar
        ("Ada Lovelacé", "ada.lovelace@other.example"),  # same local part, accent-only name change
    ],
)
def test_very_similar_name_and_email_warns(recruiter, name, email):
    CandidateFactory(full_name="Ada Lovelace", email="ada.lovelace@gmail.com")
    with pytest.raises(DomainError) as caught:
        create(recruiter, full_name=name, email=email)
    assert caught.value.code == "possible_duplicate"
    assert list(caught.value.errors) == ["full_name"]
    assert Candidate.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "email"),
    [
        ("Ada Lovelace", "countess@other.example"),  # same name, unrelated email
        ("Grace Hopper", "ada.lovelace@other.example"),  # same local part, other person
    ],
)
def test_different_people_are_not_flagged(recruiter, name, email):
    CandidateFactory(full_name="Ada Lovelace", email="ada.lovelace@gmail.com")
    assert create(recruiter, full_name=name, email=email).pk


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Ada \u202eecalevoL", "Ada ecalevoL"),  # right-to-left override
        ("\u202dAda\u202c Lovelace", "Ada Lovelace"),  # left-to-right override, pop
        ("A\u200bda\u200d Love\ufefflace\u2066", "Ada Lovelace"),  # zero-width, BOM, isolate
        ("Ada\x00\x07 \u00adLovelace", "Ada Lovelace"),  # NUL, bell, soft hyphen
        ("Ada\nLovelace\t \u2028", "Ada Lovelace"),  # line breaks are spaces
        ("Zoë Ødegård-Núñez", "Zoë Ødegård-Núñez"),  # letters stay as typed
    ],
)
def test_names_lose_control_and_bidirectional_characters(recruiter, comp_admin, typed, stored):
    candidate = create(recruiter, full_name=typed)
    assert Candidate.objects.get(pk=candidate.pk).full_name == stored

    candidate_update(candidate=candidate, actor=comp_admin, full_name=f"{typed}\u202e")
    assert Candidate.objects.get(pk=candidate.pk).full_name == stored


def test_a_name_of_invisible_characters_only_is_refused(recruiter):
    with pytest.raises(DomainError) as caught:
        create(recruiter, full_name="\u202e\u200b\u200d")
    assert list(caught.value.errors) == ["full_name"]
    assert Candidate.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("years_experience", "-1", "Ensure this value is greater than or equal to 0."),
        ("years_experience", "61", "Ensure this value is less than or equal to 60."),
        ("years_experience", "3.25", "Ensure that there are no more than 1 decimal place."),
        ("email", "not-an-email", "Enter a valid email address."),
        (
            "phone",
            "call me",
            "Use digits, spaces, dashes, dots, parentheses and an optional leading +.",
        ),
        ("phone", "12345", "A phone number has 7 to 15 digits."),
        ("expected_base", "-5", "Ensure this value is greater than or equal to 0."),
        ("github_url", "javascript:alert(1)", "Enter a valid URL."),
        (
            "tags",
            ['bad"tag'],
            "Tags are up to 40 characters: letters a-z, digits, spaces, '.', '_', '+', '-'.",
        ),
    ],
)
def test_bad_values_name_the_field_and_save_nothing(recruiter, field, value, message):
    with pytest.raises(DomainError) as caught:
        create(recruiter, **{field: value})
    assert caught.value.errors[field] == [message]
    assert caught.value.message.startswith(f"{field}: ")
    assert Candidate.objects.count() == 0


def test_referral_needs_referrer_and_retention_after_consent(recruiter):
    with pytest.raises(DomainError) as caught:
        create(recruiter, source="referral", consent_at="2026-05-01", retain_until="2026-01-01")
    assert caught.value.errors == {
        "referrer": ["A referral needs the referrer's name."],
        "retain_until": ["The retain-until date must not be before the consent date."],
    }
    assert Candidate.objects.count() == 0


def test_update_changes_fields_keeps_search_document_and_records_actor(recruiter, comp_admin):
    zone = ZoneFactory()
    pytorch = SkillFactory(slug="pytorch", name="PyTorch")
    candidate = create(recruiter)
    updated = candidate_update(
        candidate=candidate, actor=comp_admin, city="Denver", zone=zone, skills=[pytorch]
    )
    updated.refresh_from_db()
    assert updated.city == "Denver"
    assert updated.zone == zone
    assert updated.search_document == "ada lovelace ada example com denver pytorch pytorch"
    latest = updated.history.latest()
    assert latest.history_user == comp_admin
    assert updated.created_by == recruiter


def test_update_to_taken_email_is_refused_and_changes_nothing(recruiter):
    other = CandidateFactory(email="taken@example.com")
    candidate = create(recruiter, city="Austin")
    history_before = candidate.history.count()
    with pytest.raises(DomainError) as caught:
        candidate_update(candidate=candidate, actor=recruiter, email="TAKEN@example.com", city="X")
    assert caught.value.extra == {"existing_id": other.pk}
    candidate.refresh_from_db()
    assert (candidate.email, candidate.city) == ("ada@example.com", "Austin")
    assert candidate.history.count() == history_before


def test_update_without_identity_change_does_not_warn_again(recruiter):
    CandidateFactory(full_name="Twin", email="twin1@example.com", phone="+15125550100")
    candidate = create(recruiter, phone="+15125550100", confirm_duplicate=True)
    updated = candidate_update(candidate=candidate, actor=recruiter, notes="Second call")
    assert updated.notes == "Second call"
