"""What a report is, as plain values: kinds, formats, file names, safe cells. No database."""

from __future__ import annotations

import datetime
import math
import re
from decimal import Decimal

from django.db import models


class Kind(models.TextChoices):
    PIPELINE = "pipeline", "Pipeline"
    OFFERS = "offers", "Offers against bands"
    AGING = "aging", "Requisition aging"
    SOURCES = "sources", "Sources"
    CANDIDATE_EXPORT = "candidate-export", "Candidate export (data-subject request)"


class Format(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "Excel (XLSX)"
    PDF = "pdf", "PDF"
    JSON = "json", "JSON"


CONTENT_TYPES = {
    Format.CSV: "text/csv; charset=utf-8",
    Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Format.PDF: "application/pdf",
    Format.JSON: "application/json",
}

#: A cell starting with one of these is a formula to a spreadsheet (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EMPTY_NOTE = "No rows match these filters."
#: A requisition is marked for a band review when open this long, or with this many
#: offers declined for compensation.
BAND_REVIEW_DAYS = 100
BAND_REVIEW_DECLINES = 2


def neutralise(value):
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe.

    Numbers, dates and booleans are typed cells and never formulas; only text is touched.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def download_name(*, run_id: int, kind: str, fmt: str, on: datetime.date) -> str:
    """ASCII only, no path, no person's name: ``report-12-pipeline-2026-11-30.csv``."""
    safe_kind = re.sub(r"[^a-z0-9-]", "", kind.lower()) or "report"
    safe_format = re.sub(r"[^a-z0-9]", "", fmt.lower()) or "bin"
    return f"report-{int(run_id)}-{safe_kind}-{on.isoformat()}.{safe_format}"


def ratio(part: int | Decimal | None, whole: int | Decimal | None) -> Decimal | None:
    """``part / whole`` to four places, or None when there is no whole."""
    if not whole or part is None:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"))


def percentile(histogram: dict[int, int], fraction: float) -> Decimal | None:
    """The ``fraction`` percentile (nearest rank) of values counted in ``histogram``.

    Keys are tenths of a day, so memory is bounded by the spread of values, not their count.
    """
    total = sum(histogram.values())
    if not total:
        return None
    rank = max(1, math.ceil(round(total * fraction, 6)))
    seen = 0
    for key in sorted(histogram):
        seen += histogram[key]
        if seen >= rank:
            return Decimal(key) / 10
    return None  # pragma: no cover - the loop always reaches the rank
