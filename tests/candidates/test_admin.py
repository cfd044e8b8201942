"""Candidates in the admin go through ``candidate_create`` / ``candidate_update``.

The same answers as the API and the pages: field errors on their fields, a taken
email naming its candidate, possible duplicates confirmed, the search document,
skills and the history user written by the service.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from candidates import services
from candidates.models import Candidate
from roles.models import Certification, Skill
from tests.candidates.factories import CandidateFactory

pytestmark = pytest.mark.django_db
ADD_URL = reverse("admin:candidates_candidate_add")
PERSON = {
    "full_name": "  Grace   Hopper ",
    "email": "grace@example.com",
    "phone": "+1 (512) 555-0199",
    "city": "Austin",
    "years_experience": "7",
    "source": "linkedin",
    "pay_currency": "USD",
    "tags": '["LLM", " rag "]',
    "notes": "Compilers.",
}


def change_url(candidate) -> str:
    return reverse("admin:candidates_candidate_change", args=[candidate.pk])


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def form_data(client, url: str, **overrides) -> dict:
    """What the admin page would post back unchanged, with ``overrides`` applied."""
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool) or value is None:
            value = "on" if value else ""
        elif isinstance(value, list | tuple):
            value = [str(v) for v in value]
        data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
    data.update(overrides)
    return {name: value for name, value in data.items() if value not in ("", [])}


def form_errors(response) -> dict:
    assert response.status_code == 200
    return response.context["adminform"].form.errors


@pytest.fixture
def spy(monkeypatch):
    """``spy("candidate_create")``: the calls the admin made to that service."""

    def watch(name: str) -> list[dict]:
        calls: list[dict] = []
        real = getattr(services, name)

        def recorded(**kwargs):
            calls.append(kwargs)
            return real(**kwargs)

        monkeypatch.setattr(services, name, recorded)
        return calls

    return watch


def test_add_with_a_taken_email_in_another_case_names_the_candidate_and_saves_nothing(
    admin_client,
):
    existing = CandidateFactory(full_name="Grace Existing", email="Grace@Example.COM")
    response = admin_client.post(ADD_URL, form_data(admin_client, ADD_URL, **PERSON))
    errors = form_errors(response)
    assert errors["email"][0] == services.DUPLICATE_EMAIL_MESSAGE
    assert "Grace Existing" in errors["email"][1]
    assert change_url(existing) in response.content.decode()
    assert Candidate.objects.count() == 1


def test_change_to_a_taken_email_is_refused_on_the_field(admin_client, recruiter):
    CandidateFactory(email="taken@example.com")
    candidate = services.candidate_create(actor=recruiter, **{**PERSON, "tags": []})
    url = change_url(candidate)
    response = admin_client.post(url, form_data(admin_client, url, email="TAKEN@example.com"))
    assert form_errors(response)["email"][0] == services.DUPLICATE_EMAIL_MESSAGE
    candidate.refresh_from_db()
    assert candidate.email == "grace@example.com"


def test_service_rules_show_on_their_fields(admin_client):
    response = admin_client.post(
        ADD_URL,
        form_data(
            admin_client,
            ADD_URL,
            **{**PERSON, "source": "referral", "phone": "12", "tags": '["no/slash"]'},
        ),
    )
    errors = form_errors(response)
    assert errors["referrer"] == ["A referral needs the referrer's name."]
    assert errors["phone"] == ["A phone number has 7 to 15 digits."]
    assert "tags" in errors
    assert "__all__" not in errors
    assert Candidate.objects.count() == 0


def test_possible_duplicate_needs_the_confirm_checkbox(admin_client):
    CandidateFactory(full_name="Phone Twin", phone="+15125550199")
    data = form_data(admin_client, ADD_URL, **PERSON)
    first = admin_client.post(ADD_URL, data)
    errors = form_errors(first)
    assert errors["phone"] == ["Phone Twin has the same phone."]
    assert "confirm to save anyway" in errors["confirm_duplicate"][0]
    assert 'name="confirm_duplicate"' in first.content.decode()
    assert Candidate.objects.count() == 1
    second = admin_client.post(ADD_URL, {**data, "confirm_duplicate": "on"})
    assert second.status_code == 302
    assert Candidate.objects.filter(email="grace@example.com").exists()


def test_valid_add_goes_through_the_service_like_the_api(admin_client, admin_user, api, spy):
    calls = spy("candidate_create")
    skill = Skill.objects.create(slug="pytorch", name="PyTorch", category="framework")
    cert = Certification.objects.create(slug="aws-ml", name="AWS ML", issuer="AWS")
    data = form_data(
        admin_client, ADD_URL, **PERSON, skills=[str(skill.pk)], certifications=[str(cert.pk)]
    )
    response = admin_client.post(ADD_URL, data)
    assert response.status_code == 302
    assert [c["actor"] for c in calls] == [admin_user]
    candidate = Candidate.objects.get()
    assert (candidate.full_name, candidate.phone, candidate.tags, candidate.created_by) == (
        "Grace Hopper",
        "+15125550199",
        ["llm", "rag"],
        admin_user,
    )
    assert list(candidate.skills.all()) == [skill]
    assert list(candidate.certifications.all()) == [cert]
    assert candidate.search_document == (
        "grace hopper grace example com austin pytorch pytorch aws ml aws ml llm rag compilers"
    )
    assert {h.history_user for h in candidate.history.all()} == {admin_user}
    assert list(candidate.history.first().skills.values_list("skill", flat=True)) == [skill.pk]
    # The API writes the same row for the same person.
    payload = {
        **PERSON,
        "email": "grace.api@example.com",
        "tags": ["LLM", " rag "],
        "skills": ["pytorch"],
        "certifications": ["aws-ml"],
        "confirm_duplicate": True,  # same phone as the one just added
    }
    created = api(admin_user).post("/api/v1/candidates/", payload, format="json")
    assert created.status_code == 201, created.json()
    twin = Candidate.objects.get(email="grace.api@example.com")
    assert (twin.full_name, twin.phone, twin.tags) == (
        candidate.full_name,
        candidate.phone,
        candidate.tags,
    )
    assert twin.search_document == candidate.search_document.replace(
        "grace example com", "grace api example com"
    )


def test_valid_change_goes_through_the_service_and_keeps_the_creator(
    admin_client, admin_user, recruiter, spy
):
    calls = spy("candidate_update")
    candidate = services.candidate_create(actor=recruiter, **{**PERSON, "tags": ["llm"]})
    skill = Skill.objects.create(slug="jax", name="JAX", category="framework")
    url = change_url(candidate)
    response = admin_client.post(
        url, form_data(admin_client, url, city="Denver", skills=[str(skill.pk)])
    )
    assert response.status_code == 302
    assert [c["actor"] for c in calls] == [admin_user]
    candidate.refresh_from_db()
    assert (candidate.city, candidate.created_by) == ("Denver", recruiter)
    assert list(candidate.skills.all()) == [skill]
    assert candidate.search_document == (
        "grace hopper grace example com denver jax jax llm compilers"
    )
    latest = candidate.history.first()
    assert (latest.city, latest.history_user) == ("Denver", admin_user)


def test_change_that_keeps_name_email_and_phone_does_not_ask_about_duplicates(
    admin_client, recruiter
):
    candidate = services.candidate_create(actor=recruiter, **{**PERSON, "tags": []})
    CandidateFactory(full_name="Phone Twin", phone="+15125550199")
    url = change_url(candidate)
    response = admin_client.post(url, form_data(admin_client, url, city="Boston"))
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.city == "Boston"
