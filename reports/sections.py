"""What reports adds to hiring's pages, registered at start-up (``ReportsConfig.ready``).

Nothing imports reports: hiring asks ``hiring.sections`` and reports answers there with
the funnel and days-in-stage charts (server-drawn SVG), from the same selector as the
pipeline report, covering only what the user's reports would cover.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse

from candidates.scopes import PageSection
from hiring import sections
from reports import permissions
from reports.charts import svg_bars
from reports.filters import Scope
from reports.selectors import stage_stats

TEMPLATE = "reports/_charts_section.html"
#: The dashboard charts cover the newest applications, so the page stays fast at volume.
DASHBOARD_APPLICATIONS = 2000


def register() -> None:
    sections.register(sections.DASHBOARD, dashboard_charts)
    sections.register(sections.REQUISITION, requisition_charts)


def dashboard_charts(_obj, user, request) -> PageSection | None:
    if not permissions.may_use_reports(user):
        return None
    stats = stage_stats(Scope(user=user, filters={}), latest=DASHBOARD_APPLICATIONS, stream=False)
    note = f"The newest {DASHBOARD_APPLICATIONS:,} applications on the requisitions you report on."
    return _section("pipeline-charts", "Pipeline at a glance", stats, note, request)


def requisition_charts(requisition, user, request) -> PageSection | None:
    if not permissions.covers_every_requisition(user) and not (
        permissions.requisitions_covered(user).filter(pk=requisition.pk).exists()
    ):
        return None
    stats = stage_stats(Scope(user=user, filters={"requisition": requisition.pk}), stream=False)
    return _section("requisition-charts", "Funnel and days in stage", stats, "", request)


def _section(anchor: str, title: str, stats, note: str, request) -> PageSection:
    context = {
        "title": title,
        "stats": stats,
        "scope_note": note,
        "funnel": svg_bars(stats.funnel_chart()),
        "days": svg_bars(stats.days_chart()),
        "reports_url": reverse("reports:index"),
    }
    html = render_to_string(TEMPLATE, context, request=request)
    return PageSection(anchor=anchor, title=title, html=html)
