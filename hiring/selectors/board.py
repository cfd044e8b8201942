"""The requisition's board: columns of compact cards, a page at a time.

A board costs the same number of queries whatever the requisition's size: one
for the column counts, one for the ids of the first ``per_column`` cards of every
active column (a window function ranks the cards inside their stage), one for
those cards, and a fixed number of prefetches for level fit. The final columns
(hired, rejected, withdrawn) start collapsed, with their counts only. Interview
and scorecard status are subqueries on the card query. "Show more" is keyset
pagination on ``(stage_entered_at, id)``.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.expressions import Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from candidates.models import Candidate
from hiring import rules
from hiring.models import Application, Interview, Requisition, Scorecard, StageChange
from hiring.permissions import applications_visible_to
from hiring.selectors.pipeline import attach_level_fit, level_rungs
from hiring.stages import ALL_STAGES, FINAL, Stage
from roles.models import Certification

#: Cards per column on the first load and per "show more".
PER_COLUMN = 10
FITS, WARNS = "fits", "warns"
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
FIRST = "0.0"  # a cursor before every card

#: A candidate's columns a card never shows and that can be large (up to the search cap).
CANDIDATE_BULK = ("candidate__notes", "candidate__search_document")


@dataclass(frozen=True)
class BoardFilters:
    """What the board shows: one stage (or all), level fit, candidate source, a text."""

    stage: str = ""
    fit: str = ""
    source: str = ""
    text: str = ""

    def as_query(self) -> dict[str, str]:
        return {k: v for k, v in vars(self).items() if v}


@dataclass
class BoardColumn:
    stage: str
    label: str
    total: int = 0
    cards: list[Application] = field(default_factory=list)

    @property
    def final(self) -> bool:
        return self.stage in FINAL

    @property
    def next_cursor(self) -> str:
        """Where "show more" starts ("0.0": the start), empty when every card is shown."""
        if len(self.cards) >= self.total:
            return ""
        return cursor_for(self.cards[-1]) if self.cards else FIRST


def board(
    *,
    user,
    requisition: Requisition,
    filters: BoardFilters | None = None,
    per_column: int = PER_COLUMN,
) -> list[BoardColumn]:
    """The columns the filters keep, each with its total and its first ``per_column`` cards."""
    filters = filters or BoardFilters()
    rungs = level_rungs()
    apps = board_applications(user=user, requisition=requisition, filters=filters, rungs=rungs)
    stages = [filters.stage] if filters.stage in ALL_STAGES else list(ALL_STAGES)
    columns = {stage: BoardColumn(stage, Stage(stage).label) for stage in stages}
    totals = apps.order_by().values("stage").annotate(n=Count("id")).values_list("stage", "n")
    for stage, total in totals:
        if stage in columns:
            columns[stage].total = total
    # Final columns start collapsed: their cards come with "show more", unless asked for.
    shown = [stage for stage in stages if stage not in FINAL or filters.stage == stage]
    ranked = (
        apps.order_by()
        .annotate(
            rank=Window(
                RowNumber(), partition_by=F("stage"), order_by=[F("stage_entered_at"), F("id")]
            )
        )
        .filter(rank__lte=per_column, stage__in=shown)
        .values_list("pk", flat=True)
    )
    # The status subqueries run for the page's cards only, not for every ranked row.
    page = apps.filter(pk__in=list(ranked)).order_by("stage", "stage_entered_at", "id")
    for card in _cards(page, rungs, requisition):
        columns[card.stage].cards.append(card)
    return list(columns.values())


def column_page(
    *,
    user,
    requisition: Requisition,
    stage: str,
    after: str,
    filters: BoardFilters | None = None,
    per_column: int = PER_COLUMN,
) -> BoardColumn:
    """The next ``per_column`` cards of one column after ``after`` (a cursor from the board)."""
    rungs = level_rungs()
    apps = board_applications(
        user=user, requisition=requisition, filters=filters or BoardFilters(), rungs=rungs
    ).filter(stage=stage)
    entered, pk = parse_cursor(after)
    later = apps.filter(
        Q(stage_entered_at__gt=entered) | Q(stage_entered_at=entered, id__gt=pk)
    ).order_by("stage_entered_at", "id")
    cards = _cards(later[: per_column + 1], rungs, requisition)
    column = BoardColumn(stage, Stage(stage).label, cards=cards[:per_column])
    # One more than a page was read: whether there is more, without a count.
    column.total = len(column.cards) + (1 if len(cards) > per_column else 0)
    return column


def board_applications(
    *, user, requisition: Requisition, filters: BoardFilters, rungs: Sequence[rules.LevelRung]
) -> QuerySet[Application]:
    """The requisition's applications the user may see, narrowed by the filters.

    The cards share ``requisition`` (with its level's expected certifications, prefetched
    here unless ``requisition_detail`` did): ``_cards`` attaches it instead of joining it
    again per row.
    """
    prefetch_related_objects([requisition], "level__expected_certifications")
    apps = (
        applications_visible_to(user)
        .filter(requisition=requisition)
        .select_related("candidate", "disposition_reason")
        .defer(*CANDIDATE_BULK)
        .prefetch_related(
            Prefetch("candidate__certifications", queryset=Certification.objects.only("id", "name"))
        )
    )
    if filters.text:
        apps = apps.filter(
            Q(candidate__full_name__icontains=filters.text)
            | Q(candidate__email__icontains=filters.text)
        )
    if filters.source:
        apps = apps.filter(candidate__source=filters.source)
    if filters.fit in (FITS, WARNS):
        fits = fit_condition(requisition, rungs)
        apps = apps.filter(fits if filters.fit == FITS else ~fits)
    return apps


def fit_condition(requisition: Requisition, rungs: Sequence[rules.LevelRung]) -> Q:
    """Level fit as a condition on the candidate, the same rule as ``rules.level_fit``.

    Fits: the years suggest the requisition's level (inside its range, and inside no
    higher level's range) and, when the level expects certifications, the candidate
    holds one of them.
    """
    level = requisition.level
    own = [r for r in rungs if r.code == level.code]
    if not own:
        return Q(pk__in=[])
    condition = _years_in(own[0])
    for rung in rungs:
        if rung.min_years > own[0].min_years:
            condition &= ~_years_in(rung)
    expected = [c.pk for c in level.expected_certifications.all()]
    if expected:
        held = Candidate.certifications.through.objects.filter(
            candidate_id=OuterRef("candidate_id"), certification_id__in=expected
        )
        condition &= Q(Exists(held))
    return condition


def cursor_for(application: Application) -> str:
    entered = application.stage_entered_at - EPOCH
    micros = (entered.days * 86_400 + entered.seconds) * 1_000_000 + entered.microseconds
    return f"{micros}.{application.pk}"


def parse_cursor(value: str) -> tuple[datetime.datetime, int]:
    """``(stage_entered_at, id)`` from a cursor; ValueError when it is not one."""
    micros, _, pk = value.partition(".")
    return EPOCH + datetime.timedelta(microseconds=int(micros)), int(pk)


def _years_in(rung: rules.LevelRung) -> Q:
    years = Q(candidate__years_experience__gte=rung.min_years)
    if rung.max_years is not None:
        years &= Q(candidate__years_experience__lt=rung.max_years)
    return years


def _cards(
    apps: QuerySet[Application], rungs: Sequence[rules.LevelRung], requisition: Requisition
) -> list[Application]:
    cards = list(_with_status(apps))
    for card in cards:
        card.requisition = requisition
    attach_level_fit(cards, rungs=rungs)
    today = timezone.now()
    for card in cards:
        card.days_in_stage = (today - card.stage_entered_at).days
    return cards


def _with_status(apps: QuerySet[Application]) -> QuerySet[Application]:
    """Interview and scorecard status per card, as subqueries of the card query."""
    now = timezone.now()
    interviews = Interview.objects.filter(application=OuterRef("pk")).order_by()
    panel = Interview.interviewers.through.objects.filter(
        interview__application=OuterRef("pk"), interview__starts_at__lt=now
    )
    scorecards = Scorecard.objects.filter(interview__application=OuterRef("pk"))
    return apps.annotate(
        next_interview_at=Subquery(
            interviews.filter(starts_at__gte=now).order_by("starts_at").values("starts_at")[:1]
        ),
        interview_count=_count(interviews, "application"),
        scorecards_due=_count(panel, "interview__application"),
        scorecards_done=_count(scorecards, "interview__application"),
    )


def _count(rows: QuerySet, group: str) -> Coalesce:
    counted = rows.order_by().values(group).annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def recent_changes(user, requisition: Requisition, *, limit: int) -> list[StageChange]:
    """The newest stage changes of the requisition's applications the user sees: one query."""
    visible = applications_visible_to(user).filter(requisition=requisition)
    # The newest ids first, then their rows with what they show: the joins are made for
    # ``limit`` rows, not for every change of the requisition before the sort.
    newest = (
        StageChange.objects.filter(application__in=visible.values("pk"))
        .order_by("-at", "-id")
        .values("pk")[:limit]
    )
    return list(
        StageChange.objects.filter(pk__in=newest)
        .select_related("actor", "reason", "application__candidate")
        .defer("application__candidate__notes", "application__candidate__search_document")
        .order_by("-at", "-id")[:limit]
    )
