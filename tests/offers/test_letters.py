"""The offer letter: the PDF opens and says what the offer says; its stored copy is private.

A stand-in offer (plain objects with the model's attribute names) checks the drawing
without the database; a real offer, made through ``offer_create`` from the guide's
role data, checks that the names line up with the models.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from pypdf import PdfReader

from hiring.stages import Stage
from offers import letters
from tests.hiring.factories import apply_candidate, open_requisition, walk

START = datetime.date(2027, 3, 1)
EXPIRES = datetime.date(2027, 2, 1)
TODAY = datetime.date(2027, 1, 15)


class Person(SimpleNamespace):
    def get_full_name(self) -> str:
        return self.full_name

    def get_username(self) -> str:
        return "user"


class Named(SimpleNamespace):
    def __str__(self) -> str:
        return self.label


def stand_in_offer(**overrides) -> SimpleNamespace:
    source = Named(label="MRJ Recruitment, 2026", cited_in="The AI Engineer Career Guide 2026")
    requisition = SimpleNamespace(
        title="Senior AI Engineer",
        track=SimpleNamespace(name="AI engineer"),
        level=Named(label="L3 · Senior", code="L3"),
        zone=SimpleNamespace(name="National"),
        hiring_manager=Person(full_name="Hana Manager"),
    )
    band = SimpleNamespace(
        pk=12,
        base_min=Decimal("155000"),
        base_max=Decimal("230000"),
        currency="USD",
        open_ended_top=False,
        effective_from=datetime.date(2026, 1, 1),
        source=source,
    )
    fields = {
        "pk": 41,
        "application": SimpleNamespace(
            candidate=SimpleNamespace(full_name="Ada <b>Lovelace</b> & Co"), requisition=requisition
        ),
        "band": band,
        "currency": "USD",
        "base_salary": Decimal("193000.00"),
        "sign_on_bonus": Decimal("15000.00"),
        "equity": Decimal("0"),
        "start_date": START,
        "expires_on": EXPIRES,
        "created_by": Person(full_name="Rita Recruiter"),
    }
    return SimpleNamespace(**{**fields, **overrides})


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), " ".join(text.split())


def test_letter_context_formats_money_and_dates_and_names_the_band_source():
    context = letters.letter_context(stand_in_offer(), today=TODAY)

    assert context["base"] == "$193,000"
    assert context["sign_on_bonus"] == "$15,000"
    assert context["equity"] == "None"
    assert context["start_date_display"] == "March 1, 2027"
    assert context["expires_on_display"] == "February 1, 2027"
    assert context["band_range"] == "$155,000\u2013$230,000"
    assert context["band_source"] == "MRJ Recruitment, 2026"
    assert context["made_by"] == "Rita Recruiter"
    assert context["level"] == "L3 · Senior"


def test_the_pdf_is_one_page_and_shows_the_terms_and_the_band_source():
    data = letters.letter_pdf(stand_in_offer(), today=TODAY)

    assert data.startswith(b"%PDF-")
    pages, text = pdf_text(data)
    assert pages == 1
    # Markup in a name is text, never formatting.
    assert "Dear Ada <b>Lovelace</b> & Co," in text
    assert "$193,000" in text
    assert "$15,000" in text
    assert "March 1, 2027" in text
    assert "February 1, 2027" in text
    assert "January 15, 2027" in text
    assert "Source: MRJ Recruitment, 2026" in text
    assert "Rita Recruiter" in text and "Hana Manager" in text


def test_another_currency_is_shown_with_its_own_symbol_or_code():
    offer = stand_in_offer(currency="CHF", base_salary=Decimal("120000"))

    _, text = pdf_text(letters.letter_pdf(offer, today=TODAY))

    assert "CHF 120,000" in text


def test_the_stored_letter_is_private_and_randomly_named(private_storage):
    offer = stand_in_offer()

    first = letters.letter_store(offer, today=TODAY)
    second = letters.letter_store(offer, today=TODAY)

    assert first != second
    for name in (first, second):
        path = private_storage / name
        assert path.is_file()
        assert path.read_bytes().startswith(b"%PDF-")
        # Nothing about the offer or the candidate in the name, and no public folder.
        assert name.startswith("letters/")
        assert "Ada" not in name and "offer" not in name
        assert len(name.split("/")[-1]) == 32
        assert not path.is_relative_to(django_settings.STATIC_ROOT)
    assert default_storage.exists(first)
    assert letters.letter_filename(offer) == "offer-41.pdf"


def test_the_printable_page_renders_the_same_context_with_the_print_stylesheet():
    html = render_to_string(
        "offers/letter.html", {"letter": letters.letter_context(stand_in_offer(), today=TODAY)}
    )

    assert "css/offers.css" in html
    assert "Dear Ada &lt;b&gt;Lovelace&lt;/b&gt; &amp; Co," in html
    assert "$193,000" in html
    assert 'datetime="2027-03-01"' in html and "March 1, 2027" in html
    assert "February 1, 2027" in html
    assert "Source: MRJ Recruitment, 2026" in html


@pytest.mark.django_db
def test_a_real_offer_letter_shows_its_figures(guide, recruiter, hiring_manager, private_storage):
    from offers.services import offer_create

    requisition = open_requisition(
        actor=recruiter, hiring_manager=hiring_manager, level="L3", title="Senior AI Engineer"
    )
    application = apply_candidate(
        requisition=requisition,
        actor=recruiter,
        full_name="Grace Hopper",
        years_experience=Decimal("7.5"),
    )
    walk(application, [Stage.SCREEN, Stage.INTERVIEW, Stage.OFFER], actor=recruiter)
    offer = offer_create(
        application=application, actor=recruiter, start_date=START, expires_on=EXPIRES
    )

    name = letters.letter_store(offer, today=TODAY)

    _, text = pdf_text((private_storage / name).read_bytes())
    assert "Dear Grace Hopper," in text
    assert "$193,000" in text  # the guide's worked example: ai-engineer, L3, national, 7.5 years
    assert "March 1, 2027" in text and "February 1, 2027" in text
    assert f"Source: {offer.band.source}" in text
    assert "Senior AI Engineer" in text
