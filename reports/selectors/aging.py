"""The aging report: open requisitions by days open, with those due a band review marked."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from hiring.models import Requisition
from offers.states import OfferStatus
from reports.document import Report, Section
from reports.filters import Scope
from reports.kinds import BAND_REVIEW_DAYS, BAND_REVIEW_DECLINES

COLUMNS = [
    "Requisition id",
    "Requisition",
    "Track",
    "Level",
    "Zone",
    "Hiring manager",
    "Recruiter",
    "Opened on",
    "Days open",
    "Applications",
    "Offers declined for compensation",
    "Band review",
]


def aging_report(scope: Scope) -> Report:
    counts = {"open": 0, "review": 0}

    def rows():
        for row in _rows(open_requisitions(scope)):
            counts["open"] += 1
            counts["review"] += row[-1] == "yes"
            yield row

    def sections():
        yield Section("Open requisitions", COLUMNS, rows(), pdf_columns=[1, 3, 4, 8, 10, 11])

    def summary() -> list[str]:
        if not counts["open"]:
            return []
        return [
            f"{counts['open']:,} open requisitions; {counts['review']:,} marked for a band review "
            f"(open over {BAND_REVIEW_DAYS} days, or {BAND_REVIEW_DECLINES} or more offers "
            "declined for compensation)."
        ]

    return Report("aging", "Requisition aging", scope.describe(), sections, summary)


def open_requisitions(scope: Scope) -> QuerySet:
    qs = scope.requisitions().filter(status=Requisition.Status.OPEN)
    if "date_from" in scope.filters:
        qs = qs.filter(opened_on__gte=scope.filters["date_from"])
    if "date_to" in scope.filters:
        qs = qs.filter(opened_on__lte=scope.filters["date_to"])
    return qs.annotate(
        application_count=Count("applications", distinct=True),
        declined_for_pay=Count(
            "applications__offers",
            filter=Q(
                applications__offers__status=OfferStatus.DECLINED,
                applications__offers__decline_reason__code="compensation",
            ),
            distinct=True,
        ),
    )


def band_review_rows(scope: Scope, *, today: datetime.date | None = None):
    """Only the marked requisitions (the band-review digest)."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=BAND_REVIEW_DAYS)
    marked = open_requisitions(scope).filter(
        Q(opened_on__lt=cutoff) | Q(declined_for_pay__gte=BAND_REVIEW_DECLINES)
    )
    return _rows(marked, today=today)


def _rows(qs: QuerySet, *, today: datetime.date | None = None):
    today = today or timezone.localdate()
    values = qs.order_by("opened_on", "id").values_list(
        "id",
        "title",
        "track__name",
        "level__code",
        "zone__name",
        "hiring_manager__username",
        "recruiter__username",
        "opened_on",
        "application_count",
        "declined_for_pay",
    )
    for row in values.iterator(chunk_size=2000):
        opened, declined = row[7], row[9]
        days = (today - opened).days if opened else None
        review = (days or 0) > BAND_REVIEW_DAYS or declined >= BAND_REVIEW_DECLINES
        yield (*row[:6], row[6] or "", opened, days, row[8], declined, "yes" if review else "no")
