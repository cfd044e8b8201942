"""The sources report: applicants, interviews, offers and hires per candidate source."""

from __future__ import annotations

from django.db.models import Count, Q

from candidates.models import Candidate
from hiring.models import Application
from hiring.stages import Stage
from reports.document import Report, Section
from reports.filters import Scope
from reports.kinds import ratio

LABELS = dict(Candidate.SourceChannel.choices)


def sources_report(scope: Scope) -> Report:
    counts = {"applications": 0, "hires": 0}

    def rows():
        grouped = (
            Application.objects.filter(
                scope.requisition_q("requisition__"), scope.date_q("created_at")
            )
            .values("candidate__source")
            .annotate(
                applicants=Count("id", distinct=True),
                interviewed=Count("id", distinct=True, filter=Q(interviews__isnull=False)),
                interviews=Count("interviews", distinct=True),
                offered=Count("id", distinct=True, filter=Q(offers__isnull=False)),
                hires=Count("id", distinct=True, filter=Q(stage=Stage.HIRED)),
            )
            .order_by("candidate__source")
        )
        for row in grouped.iterator():
            counts["applications"] += row["applicants"]
            counts["hires"] += row["hires"]
            yield (
                LABELS.get(row["candidate__source"], row["candidate__source"] or "Unknown"),
                row["applicants"],
                row["interviews"],
                row["offered"],
                row["hires"],
                ratio(row["interviewed"], row["applicants"]),
                ratio(row["offered"], row["applicants"]),
                ratio(row["hires"], row["applicants"]),
            )

    def sections():
        yield Section(
            "Sources",
            [
                "Source",
                "Applicants",
                "Interviews",
                "Offers",
                "Hires",
                "Applicant to interview",
                "Applicant to offer",
                "Applicant to hire",
            ],
            rows(),
        )

    def summary() -> list[str]:
        if not counts["applications"]:
            return []
        return [f"{counts['applications']:,} applications; {counts['hires']:,} hires."]

    return Report("sources", "Sources", scope.describe(), sections, summary)
