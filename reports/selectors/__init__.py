"""Reads that build reports, one streamed query per section (``values()`` + ``iterator()``).

``build_report(kind, scope)`` picks the selector for a kind. Charts for the
dashboard and requisition pages (``stage_stats``) come from the same code as the
pipeline report, so a page and a file never disagree.
"""

from __future__ import annotations

from reports.document import Report
from reports.filters import Scope
from reports.kinds import Kind
from reports.selectors.aging import aging_report, band_review_rows
from reports.selectors.candidate import candidate_report
from reports.selectors.offers import offers_report
from reports.selectors.pipeline import StageStats, pipeline_report, stage_stats
from reports.selectors.sources import sources_report

BUILDERS = {
    Kind.PIPELINE: pipeline_report,
    Kind.OFFERS: offers_report,
    Kind.AGING: aging_report,
    Kind.SOURCES: sources_report,
    Kind.CANDIDATE_EXPORT: candidate_report,
}


def build_report(kind: str, scope: Scope) -> Report:
    return BUILDERS[kind](scope)


__all__ = ["StageStats", "band_review_rows", "build_report", "stage_stats"]
