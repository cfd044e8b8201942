"""The offer letter: its context, a one-page PDF (reportlab), and its private stored copy.

``letter_context`` gathers everything the letter says from the offer and the role
data (amounts formatted by ``core.money``); the printable page
(``templates/offers/letter.html``) and ``letter_pdf`` both render it, so they always
agree. The PDF is drawn with reportlab's platypus and its built-in Helvetica: no system
fonts, no network. ``letter_store`` writes it to private storage under a random name; it
is downloaded only through a permission-checking view, never by URL.
"""

from __future__ import annotations

import datetime
import io
import uuid
from decimal import Decimal
from xml.sax.saxutils import escape

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core.money import format_money, format_range

COMPANY = "Hiring pipeline"
LETTER_FOLDER = "letters"
CONTENT_TYPE = "application/pdf"


def long_date(value: datetime.date | None) -> str:
    """``March 1, 2027``: the same in every locale, like the money."""
    if value is None:
        return ""
    return f"{value:%B} {value.day}, {value.year}"


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _amount(value: Decimal | None, currency: str) -> str:
    """An optional amount: ``None`` for nothing, so the letter can say so."""
    return format_money(value, currency) if value else "None"


def letter_context(offer, *, today: datetime.date | None = None) -> dict:
    """Everything the letter says, as display strings (and the dates as dates)."""
    application = offer.application
    requisition = application.requisition
    band = offer.band
    currency = offer.currency
    source = band.source
    return {
        "company": COMPANY,
        "letter_date": today or timezone.localdate(),
        "letter_date_display": long_date(today or timezone.localdate()),
        "offer_id": offer.pk,
        "candidate_name": application.candidate.full_name,
        "role_title": requisition.title,
        "track": requisition.track.name,
        "level": str(requisition.level),
        "level_code": requisition.level.code,
        "zone": requisition.zone.name,
        "currency": currency,
        "base": format_money(offer.base_salary, currency),
        "sign_on_bonus": _amount(offer.sign_on_bonus, currency),
        "equity": _amount(offer.equity, currency),
        "start_date": offer.start_date,
        "start_date_display": long_date(offer.start_date),
        "expires_on": offer.expires_on,
        "expires_on_display": long_date(offer.expires_on),
        "band_range": format_range(
            band.base_min, band.base_max, band.currency, open_top=band.open_ended_top
        ),
        "band_version": band.pk,
        "band_effective_from": band.effective_from,
        "band_effective_from_display": long_date(band.effective_from),
        "band_source": str(source),
        "band_source_cited_in": getattr(source, "cited_in", ""),
        "made_by": _person(offer.created_by),
        "hiring_manager": _person(requisition.hiring_manager),
    }


def letter_terms(context: dict) -> list[tuple[str, str]]:
    """The terms table, in the order both the page and the PDF show it."""
    return [
        ("Position", context["role_title"]),
        ("Track", context["track"]),
        ("Level", context["level"]),
        ("Location zone", context["zone"]),
        ("Annual base salary", f"{context['base']} ({context['currency']})"),
        ("Sign-on bonus", context["sign_on_bonus"]),
        ("Equity (grant value)", context["equity"]),
        ("Start date", context["start_date_display"]),
        ("Offer expires", context["expires_on_display"]),
    ]


def band_line(context: dict) -> str:
    """The sentence that ties the base to the published band it was made under."""
    cited = context["band_source_cited_in"]
    cited = f", as cited in {cited}" if cited else ""
    return (
        f"This offer was made under salary band version {context['band_version']} "
        f"({context['band_range']}, in effect from {context['band_effective_from_display']}). "
        f"Source: {context['band_source']}{cited}."
    )


def letter_pdf(offer, *, today: datetime.date | None = None) -> bytes:
    """A one-page letter: heading, date, greeting, the terms, the band's source, signatures."""
    context = letter_context(offer, today=today)
    styles = _styles()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        leftMargin=inch,
        rightMargin=inch,
        topMargin=0.9 * inch,
        bottomMargin=0.9 * inch,
        title=f"Offer of employment: {context['candidate_name']}",
        author=context["company"],
        subject=context["role_title"],
        creator=context["company"],
    )

    def text(value: object) -> str:
        return escape(str(value))

    terms = Table(
        [
            [Paragraph(text(label), styles["term"]), Paragraph(text(value), styles["value"])]
            for label, value in letter_terms(context)
        ],
        colWidths=[2.0 * inch, 4.5 * inch],
        hAlign="LEFT",
    )
    terms.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#c8ccd2")),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f3f4f6")),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    signatures = Table(
        [
            [Paragraph("For the company", styles["small"]), Paragraph("Accepted", styles["small"])],
            ["", ""],
            [
                Paragraph(text(context["made_by"] or context["company"]), styles["body"]),
                Paragraph(text(context["candidate_name"]), styles["body"]),
            ],
            [
                Paragraph(
                    text(f"Hiring manager: {context['hiring_manager']}")
                    if context["hiring_manager"]
                    else "",
                    styles["small"],
                ),
                Paragraph("Date:", styles["small"]),
            ],
        ],
        colWidths=[3.25 * inch, 3.25 * inch],
        rowHeights=[None, 0.45 * inch, None, None],
        hAlign="LEFT",
    )
    signatures.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 1), (0, 1), 0.5, colors.black),
                ("LINEBELOW", (1, 1), (1, 1), 0.5, colors.black),
                ("RIGHTPADDING", (0, 0), (0, -1), 24),
            ]
        )
    )
    story = [
        Paragraph(text(context["company"]), styles["company"]),
        Paragraph("Offer of employment", styles["heading"]),
        Paragraph(text(context["letter_date_display"]), styles["date"]),
        Spacer(1, 0.15 * inch),
        Paragraph(f"Dear {text(context['candidate_name'])},", styles["body"]),
        Paragraph(
            f"We are delighted to offer you the position of <b>{text(context['role_title'])}</b> "
            f"({text(context['level'])}, {text(context['track'])}). The terms of this offer are:",
            styles["body"],
        ),
        Spacer(1, 0.08 * inch),
        terms,
        Spacer(1, 0.12 * inch),
        Paragraph(text(band_line(context)), styles["small"]),
        Spacer(1, 0.08 * inch),
        Paragraph(
            "To accept, please sign and return this letter by "
            f"<b>{text(context['expires_on_display'])}</b>; the offer lapses after that date. "
            "We look forward to working with you.",
            styles["body"],
        ),
        Spacer(1, 0.1 * inch),
        Paragraph("Sincerely,", styles["body"]),
        Spacer(1, 0.05 * inch),
        signatures,
    ]
    document.build(story)
    return buffer.getvalue()


def letter_store(offer, *, today: datetime.date | None = None) -> str:
    """Write the letter's PDF to private storage under a random name; return that name."""
    name = f"{LETTER_FOLDER}/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}"
    return default_storage.save(name, ContentFile(letter_pdf(offer, today=today)))


def letter_filename(offer) -> str:
    """The name a download or an attachment shows: ASCII, no path, no candidate name."""
    return f"offer-{offer.pk}.pdf"


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()["Normal"]
    body = ParagraphStyle("body", parent=base, fontName="Helvetica", fontSize=10.5, leading=14.5)
    return {
        "company": ParagraphStyle(
            "company", parent=body, fontName="Helvetica-Bold", fontSize=11, textColor="#4b5563"
        ),
        "heading": ParagraphStyle(
            "heading", parent=body, fontName="Helvetica-Bold", fontSize=18, leading=24
        ),
        "date": ParagraphStyle("date", parent=body, alignment=TA_RIGHT),
        "body": ParagraphStyle("bodyspaced", parent=body, spaceAfter=6),
        "term": ParagraphStyle("term", parent=body, fontName="Helvetica-Bold", fontSize=10),
        "value": ParagraphStyle("value", parent=body, fontSize=10),
        "small": ParagraphStyle(
            "small", parent=body, fontSize=8.5, leading=11, textColor="#4b5563"
        ),
    }
