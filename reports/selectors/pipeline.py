"""The pipeline report and the stage charts: one streamed pass over the stage changes.

Each ``StageChange`` row carries, from a window function (``LEAD`` over the
application's changes), when the next change happened: the time spent in the
stage it entered. Rows arrive ordered by requisition then application, so each
requisition's figures are finished, written and forgotten before the next: the
memory held is one requisition's histograms plus the overall ones, whatever the
row count. Medians and 90th percentiles come from histograms in tenths of a day.
"""

from __future__ import annotations

import datetime
import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial

from django.core.exceptions import EmptyResultSet
from django.db import connection, connections
from django.db.models import F, QuerySet
from django.db.models.expressions import Window
from django.db.models.functions import FirstValue, Lead
from django.utils import timezone

from hiring.models import Application, StageChange
from hiring.stages import ACTIVE, ALL_STAGES, FINAL, PIPELINE, Stage
from reports.document import Chart, Report, Section
from reports.filters import Scope
from reports.kinds import percentile, ratio

LABELS = {s.value: s.label for s in Stage}
CHUNK = 5000
SECONDS_PER_TENTH = 8640


@dataclass
class StageStats:
    """Counts and time in stage for a set of applications (one requisition, or all)."""

    applications: int = 0
    reached: Counter = field(default_factory=Counter)
    current: Counter = field(default_factory=Counter)
    days: dict = field(default_factory=lambda: defaultdict(Counter))
    to_hire: Counter = field(default_factory=Counter)
    last_hire_at: datetime.datetime | None = None

    def add_application(self, changes: list[tuple], now: datetime.datetime) -> None:
        """One application's changes, in order: (to_stage, at, next_at)."""
        self.applications += 1
        for stage in {to_stage for to_stage, _at, _next in changes}:
            self.reached[stage] += 1
        self.current[changes[-1][0]] += 1
        for to_stage, at, next_at in changes:
            if to_stage not in FINAL:
                self.days[to_stage][_tenths((next_at or now) - at)] += 1
            if to_stage == Stage.HIRED:
                self.to_hire[_tenths(at - changes[0][1])] += 1
                self.last_hire_at = max(filter(None, (self.last_hire_at, at)))

    def merge(self, other: StageStats) -> None:
        self.applications += other.applications
        self.reached.update(other.reached)
        self.current.update(other.current)
        for stage, histogram in other.days.items():
            self.days[stage].update(histogram)
        self.to_hire.update(other.to_hire)
        if other.last_hire_at:
            self.last_hire_at = max(filter(None, (self.last_hire_at, other.last_hire_at)))

    def conversion(self, stage: str) -> Decimal | None:
        """Of those who reached ``stage``, the share who reached the next pipeline stage."""
        index = PIPELINE.index(stage)
        if index + 1 >= len(PIPELINE):
            return None
        return ratio(self.reached[PIPELINE[index + 1]], self.reached[stage])

    def median_days(self, stage: str) -> Decimal | None:
        return percentile(self.days.get(stage, {}), 0.5)

    def p90_days(self, stage: str) -> Decimal | None:
        return percentile(self.days.get(stage, {}), 0.9)

    def median_days_to_hire(self) -> Decimal | None:
        return percentile(self.to_hire, 0.5)

    def funnel_chart(self) -> Chart:
        return Chart(
            "Funnel: applications that reached each stage",
            [LABELS[s] for s in PIPELINE],
            [self.reached[s] for s in PIPELINE],
        )

    def days_chart(self) -> Chart:
        return Chart(
            "Median days in each stage",
            [LABELS[s] for s in ACTIVE],
            [float(self.median_days(s) or 0) for s in ACTIVE],
            unit="days",
        )


def stage_changes(scope: Scope, *, latest: int | None = None) -> QuerySet:
    """The rows both the report and the charts stream: a change and when the next one came.

    ``latest``: only the changes of the newest ``latest`` applications in scope (the
    dashboard's bounded view).
    """
    qs = StageChange.objects.filter(
        scope.requisition_q("application__requisition__"), scope.date_q("application__created_at")
    )
    if latest is not None:
        qs = qs.filter(application_id__in=_newest_applications(scope, latest))
    return (
        qs.annotate(next_at=_next_change_at())
        .order_by("application__requisition_id", "application_id", "at", "id")
        .values_list(
            "application__requisition_id",
            "application__requisition__title",
            "application__requisition__status",
            "application__requisition__opened_on",
            "application_id",
            "to_stage",
            "at",
            "next_at",
        )
    )


def stage_stats(scope: Scope, *, latest: int | None = None, stream: bool = True) -> StageStats:
    """The overall figures for the charts: what ``stage_stats_streamed`` adds up, added up
    by PostgreSQL (one query returning a few hundred grouped rows, not every change).

    Elsewhere, ``stage_stats_streamed``.
    """
    if connection.vendor != "postgresql":
        return stage_stats_streamed(scope, latest=latest, stream=stream)
    return _aggregated(scope, latest=latest)


def stage_stats_streamed(
    scope: Scope, *, latest: int | None = None, stream: bool = True
) -> StageStats:
    """The overall figures, added up in Python over ``stage_changes`` (one query).

    ``stream=False`` for a bounded scope (a page's charts: one requisition, or the newest
    ``latest`` applications): the rows come in one fetch instead of a server-side cursor,
    for which PostgreSQL plans for the first rows (a board page went from 68 ms to 3 ms).
    """
    total = StageStats()
    rows = stage_changes(scope, latest=latest)
    for _requisition, stats in _per_requisition(rows, stream=stream):
        total.merge(stats)
    return total


def pipeline_report(scope: Scope) -> Report:
    total = StageStats()
    fill_days: Counter = Counter()

    def requisition_rows():
        for requisition, stats in _per_requisition(stage_changes(scope)):
            total.merge(stats)
            days_to_fill = _days_to_fill(requisition[3], stats.last_hire_at)
            if days_to_fill is not None:
                fill_days[days_to_fill * 10] += 1
            yield (
                requisition[0],
                requisition[1],
                requisition[2],
                requisition[3],
                stats.applications,
                *(stats.reached[s] for s in PIPELINE),
                *(stats.current[s] for s in ALL_STAGES),
                *(stats.conversion(s) for s in PIPELINE[:-1]),
                *(value for s in ACTIVE for value in (stats.median_days(s), stats.p90_days(s))),
                stats.median_days_to_hire(),
                days_to_fill,
            )

    def overall_rows():
        for stage in ALL_STAGES:
            yield (
                LABELS[stage],
                total.reached[stage],
                total.current[stage],
                total.conversion(stage) if stage in PIPELINE else None,
                total.median_days(stage) if stage in ACTIVE else None,
                total.p90_days(stage) if stage in ACTIVE else None,
            )

    def sections():
        yield Section(
            "Requisitions",
            [
                "Requisition id",
                "Requisition",
                "Status",
                "Opened on",
                "Applications",
                *(f"Reached {LABELS[s].lower()}" for s in PIPELINE),
                *(f"Now in {LABELS[s].lower()}" for s in ALL_STAGES),
                *(
                    f"{LABELS[a]} to {LABELS[b].lower()} conversion"
                    for a, b in itertools.pairwise(PIPELINE)
                ),
                *(
                    label
                    for s in ACTIVE
                    for label in (
                        f"Median days in {LABELS[s].lower()}",
                        f"P90 days in {LABELS[s].lower()}",
                    )
                ),
                "Median days to hire",
                "Days to fill",
            ],
            requisition_rows(),
            pdf_columns=[1, 4, 9, 10, 34, 35],
        )
        yield Section(
            "Overall by stage",
            ["Stage", "Reached", "Now in stage", "Conversion to next", "Median days", "P90 days"],
            overall_rows(),
        )

    def summary() -> list[str]:
        if not total.applications:
            return []
        hire = total.median_days_to_hire()
        fill = percentile(fill_days, 0.5)
        return [
            f"{total.applications:,} applications; {total.reached[Stage.HIRED]:,} hired.",
            f"Median time to hire: {hire} days." if hire is not None else "No hires yet.",
            f"Median time to fill: {fill} days." if fill is not None else "No filled roles yet.",
        ]

    return Report(
        kind="pipeline",
        title="Pipeline report",
        filters=scope.describe(),
        sections=sections,
        summary=summary,
        charts=lambda: [total.funnel_chart(), total.days_chart()] if total.applications else [],
    )


def _per_requisition(rows, *, stream: bool = True):
    """Group the ordered stream: yields ((id, title, status, opened_on), StageStats)."""
    now = timezone.now()
    current, stats, app_id, changes = None, None, None, []
    for req_id, title, status, opened_on, application_id, to_stage, at, next_at in (
        rows.iterator(chunk_size=CHUNK) if stream else rows
    ):
        if application_id != app_id and changes:
            stats.add_application(changes, now)
            changes = []
        if current is None or req_id != current[0]:
            if current is not None:
                yield current, stats
            current, stats = (req_id, title, status, opened_on), StageStats()
        app_id = application_id
        changes.append((to_stage, at, next_at))
    if changes:
        stats.add_application(changes, now)
    if current is not None:
        yield current, stats


def _newest_applications(scope: Scope, latest: int) -> QuerySet:
    return (
        Application.objects.filter(scope.requisition_q("requisition__"))
        .order_by("-pk")
        .values("pk")[:latest]
    )


def _next_change_at() -> Window:
    """When the application's next change came: None for its last (its current stage)."""
    return Window(Lead("at"), **_APPLICATION_WINDOW)


def _first_change_at() -> Window:
    return Window(FirstValue("at"), **_APPLICATION_WINDOW)


#: An application's changes in their order (the window of ``_next_change_at``).
_APPLICATION_WINDOW = {"partition_by": [F("application_id")], "order_by": [F("at"), F("id")]}


#: ``StageStats.add_application`` in SQL, over the changes of ``_aggregated``'s rows: each
#: part is one of its figures, grouped by stage and/or tenths of a day (``_tenths``). An
#: application's last change (no next one) holds its current stage: their count is the
#: number of applications.
AGGREGATE_SQL = """
WITH c AS ({rows})
SELECT 'reached', to_stage, NULL::integer, COUNT(DISTINCT application_id), NULL::timestamptz
FROM c GROUP BY to_stage
UNION ALL
SELECT 'current', to_stage, NULL, COUNT(*), NULL FROM c WHERE next_at IS NULL GROUP BY to_stage
UNION ALL
SELECT 'days', to_stage, {in_stage}, COUNT(*), NULL FROM c
WHERE NOT (to_stage = ANY(%s)) GROUP BY 2, 3
UNION ALL
SELECT 'to_hire', NULL, {since_first}, COUNT(*), MAX(at) FROM c WHERE to_stage = %s GROUP BY 3
"""
#: ``_tenths`` of an interval: whole tenths of a day, never below zero.
TENTHS_SQL = "GREATEST(0, FLOOR(EXTRACT(EPOCH FROM {interval}) / {tenth}))::integer"


def _aggregated(scope: Scope, *, latest: int | None) -> StageStats:
    """``stage_stats_streamed``'s figures, grouped by PostgreSQL (same rows, same rules)."""
    qs = StageChange.objects.filter(scope.date_q("application__created_at"))
    if latest is None:
        qs = qs.filter(scope.requisition_q("application__requisition__"))
    else:  # the newest applications in scope are in scope: no join to filter again
        qs = qs.filter(application_id__in=_newest_applications(scope, latest))
    rows = (
        qs.annotate(next_at=_next_change_at(), first_at=_first_change_at())
        .order_by()
        .values("application_id", "to_stage", "at", "next_at", "first_at")
    )
    try:
        rows_sql, rows_params = rows.query.sql_with_params()
    except EmptyResultSet:  # nothing in scope (e.g. ``Requisition.objects.none()``)
        return StageStats()
    tenths = partial(TENTHS_SQL.format, tenth=SECONDS_PER_TENTH)
    sql = AGGREGATE_SQL.format(
        rows=rows_sql,
        in_stage=tenths(interval="COALESCE(next_at, %s) - at"),
        since_first=tenths(interval="at - first_at"),
    )
    params = (*rows_params, timezone.now(), sorted(FINAL), Stage.HIRED.value)
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        return _stats_from(cursor.fetchall())


def _stats_from(grouped: list[tuple]) -> StageStats:
    stats = StageStats()
    for figure, stage, tenths, count, last_at in grouped:
        if figure == "reached":
            stats.reached[stage] = count
        elif figure == "current":
            stats.current[stage] = count
        elif figure == "days":
            stats.days[stage][tenths] = count
        else:
            stats.to_hire[tenths] = count
            stats.last_hire_at = max(filter(None, (stats.last_hire_at, last_at)))
    stats.applications = sum(stats.current.values())
    return stats


def _tenths(delta: datetime.timedelta) -> int:
    return max(0, int(delta.total_seconds() // SECONDS_PER_TENTH))


def _days_to_fill(opened_on, last_hire_at) -> int | None:
    if opened_on is None or last_hire_at is None:
        return None
    return max(0, (timezone.localdate(last_hire_at) - opened_on).days)
