"""Pipeline reads for pages and the API, each a fixed number of queries.

Every read takes the requesting user and starts from what they may see
(``hiring.permissions``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, JSONObject
from django.utils import timezone

from core import access
from hiring import rules
from hiring.models import (
    Application,
    Interview,
    Requisition,
    Stage,
    StageChange,
)
from hiring.permissions import applications_visible_to, requisitions_visible_to
from hiring.stages import ACTIVE as ACTIVE_STAGES
from roles.models import Certification, Level, MarketFigure, SalaryBand
from roles.pricing import Range
from roles.selectors import band_for, price_version

# The guide's time split across work areas, as MarketFigure keys in guide order.
TIME_SPLIT_KEYS = (
    ("time-model-development", "Model development and deployment"),
    ("time-data-engineering", "Data engineering"),
    ("time-collaboration", "Collaboration"),
    ("time-research-infrastructure", "Research and infrastructure"),
)


def requisition_list(
    *, user, filters: dict | None = None, search: str = ""
) -> QuerySet[Requisition]:
    filters = filters or {}
    qs = requisitions_visible_to(user).select_related("track", "level", "zone", "hiring_manager")
    for name, lookup in (
        ("status", "status"),
        ("track", "track__slug"),
        ("level", "level__code"),
        ("zone", "zone__slug"),
    ):
        if filters.get(name):
            qs = qs.filter(**{lookup: filters[name]})
    if search:
        qs = qs.filter(Q(title__icontains=search) | Q(track__name__icontains=search))
    # A correlated subquery, not a join + GROUP BY: PostgreSQL evaluates it only
    # for the rows of the page after ORDER BY/LIMIT, so the list costs the same
    # at 300,000 applications as at 300 (make bench).
    active = (
        Application.objects.filter(requisition=OuterRef("pk"), stage__in=ACTIVE_STAGES)
        .order_by()
        .values("requisition")
        .annotate(n=Count("id"))
        .values("n")
    )
    return qs.annotate(active_count=Coalesce(Subquery(active), 0)).order_by("-created_at", "-id")


def with_stage_counts(qs: QuerySet[Requisition]) -> QuerySet[Requisition]:
    """Annotate ``stage_count_map``, ``{stage: applications}`` for every stage, from a
    correlated subquery: counted only for the rows the page keeps (after ORDER BY and
    LIMIT), where a join and GROUP BY counted every application of every row first."""
    counts = (
        Application.objects.filter(requisition=OuterRef("pk"))
        .order_by()
        .values("requisition")
        .annotate(map=JSONObject(**{s.value: Count("stage", filter=Q(stage=s)) for s in Stage}))
        .values("map")
    )
    return qs.annotate(stage_count_map=Subquery(counts))


def my_requisitions(*, user) -> list[Requisition]:
    """The dashboard's requisitions: the ones I manage, recruit for or created, newest first."""
    visible = requisitions_visible_to(user).select_related("track", "level", "zone")
    mine = visible.filter(Q(hiring_manager=user) | Q(recruiter=user) | Q(created_by=user))
    mine = mine.exclude(status=Requisition.Status.CANCELLED).order_by("-created_at", "-id")
    rows = list(with_stage_counts(mine)[:20])
    for row in rows:
        found = row.stage_count_map or {}
        row.stage_counts = [(s.label, found.get(s.value, 0)) for s in Stage]
    return rows


def upcoming_interviews(*, user, limit: int = 10) -> list[Interview]:
    return list(
        Interview.objects.filter(interviewers=user, starts_at__gte=timezone.now())
        .select_related("application__candidate", "application__requisition")
        .order_by("starts_at")[:limit]
    )


def recent_activity(*, user, limit: int = 15) -> list[StageChange]:
    changes = StageChange.objects.all()
    if not access.sees_all_candidates(user):  # else every change: no subquery to plan
        changes = changes.filter(application__in=applications_visible_to(user))
    return list(
        changes.select_related(
            "application__candidate", "application__requisition", "actor", "reason"
        ).order_by("-at", "-id")[:limit]
    )


def requisition_detail(*, user, pk: int) -> Requisition:
    """The requisition if visible (raises Requisition.DoesNotExist otherwise)."""
    return (
        requisitions_visible_to(user)
        .select_related(
            "track",
            "level",
            "zone",
            "hiring_manager",
            "recruiter",
            # The band's name (its __str__) reads its track and level.
            "band__source",
            "band__track",
            "band__level",
        )
        .prefetch_related("level__expected_certifications")
        .get(pk=pk)
    )


def application_list(*, user) -> QuerySet[Application]:
    return (
        applications_visible_to(user)
        .select_related("candidate", "requisition__level", "disposition_reason")
        .prefetch_related(
            Prefetch(
                "candidate__certifications", queryset=Certification.objects.only("id", "name")
            ),
        )
    )


def attach_level_fit(
    applications: Sequence[Application], rungs: Sequence[rules.LevelRung] | None = None
) -> None:
    """Set ``app.level_fit`` on each application, none per row.

    Without ``rungs``: one query, for the ladder and every level's expected certifications
    (``level_ladder``). With ``rungs`` (the board, which filters on them too): no query, and
    ``requisition__level__expected_certifications`` must be prefetched. Either way
    ``candidate__certifications`` must be prefetched.
    """
    expected = None
    if rungs is None:
        ladder = level_ladder()
        rungs, expected = ladder.rungs, ladder.expected
    for app in applications:
        level = app.requisition.level
        names = (
            [c.name for c in level.expected_certifications.all()]
            if expected is None
            else expected.get(level.pk, [])
        )
        years = app.candidate.years_experience
        app.level_fit = rules.level_fit(
            years=years,
            suggested_level=rules.suggest_level(years, rungs),
            requisition_level=level.code,
            expected_certifications=names,
            held_certifications=[c.name for c in app.candidate.certifications.all()],
        )


def level_rungs() -> list[rules.LevelRung]:
    return [
        rules.LevelRung(code, low, high)
        for code, low, high in Level.objects.values_list("code", "min_years", "max_years")
    ]


@dataclass(frozen=True)
class Ladder:
    rungs: list[rules.LevelRung]
    #: Level pk → the names of the certifications it expects.
    expected: dict[int, list[str]]


def level_ladder() -> Ladder:
    """The level rungs and each level's expected certifications in one query (a left join:
    one row per level and expected certification)."""
    rungs: list[rules.LevelRung] = []
    expected: dict[int, list[str]] = {}
    rows = Level.objects.order_by("min_years", "pk").values_list(
        "pk", "code", "min_years", "max_years", "expected_certifications__name"
    )
    for pk, code, low, high, name in rows:
        if pk not in expected:
            rungs.append(rules.LevelRung(code, low, high))
            expected[pk] = []
        if name is not None:
            expected[pk].append(name)
    return Ladder(rungs, expected)


def stage_history(*, application_ids: Iterable[int]) -> QuerySet[StageChange]:
    return StageChange.objects.filter(application_id__in=list(application_ids)).select_related(
        "actor", "reason", "application__candidate"
    )


def time_split() -> list[rules.TimeShare]:
    """The guide's time split, in guide order; a missing figure is left out."""
    figures = {
        f.key: f for f in MarketFigure.objects.filter(key__in=[k for k, _ in TIME_SPLIT_KEYS])
    }
    return [
        rules.TimeShare(label=label, low=figures[key].value_low, high=figures[key].value_high)
        for key, label in TIME_SPLIT_KEYS
        if key in figures
    ]


def job_description(requisition: Requisition, *, include_pay: bool) -> rules.JobDescription:
    """The generated job description; without its pay section for those who may not see pay."""
    level = requisition.level
    jd = rules.job_description(
        title=requisition.title,
        track_name=requisition.track.name,
        level_code=level.code,
        level_title=level.title,
        level_summary=level.summary,
        years_label=level.years_label,
        time_split=time_split(),
        expected_certifications=[c.name for c in level.expected_certifications.all()],
        remote_policy=requisition.remote_policy,
        zone_name=requisition.zone.name,
        posted_min=requisition.posted_min,
        posted_max=requisition.posted_max,
        currency=requisition.currency,
    )
    if include_pay:
        return jd
    return rules.JobDescription(
        title=jd.title, sections=tuple(sec for sec in jd.sections if sec[0] != rules.PAY_HEADING)
    )


def follow_up(requisition: Requisition) -> list[Application]:
    if requisition.status != Requisition.Status.FILLED:
        return []
    return list(
        requisition.applications.filter(stage__in=ACTIVE_STAGES)
        .select_related("candidate")
        .order_by("candidate__full_name", "id")
    )


@dataclass(frozen=True)
class BandChange:
    """The band version a requisition was priced under, and the version that replaced it.

    ``new_band`` is None when the old version was closed with nothing after it;
    ``new_posted`` is the posted range the new version would give (premiums applied).
    """

    old_band: SalaryBand
    new_band: SalaryBand | None
    new_posted: Range | None


def superseded_band(requisition: Requisition) -> BandChange | None:
    """A flag for a requisition whose band version got a newer one (``effective_to`` set).

    No query when the version is still open (the band comes with ``requisition_detail``);
    otherwise the version in effect from the later of today and the old version's end.
    """
    old = requisition.band
    if old is None or old.effective_to is None:
        return None
    on = max(timezone.localdate(), old.effective_to)
    new = band_for(track=requisition.track, level=requisition.level, on=on)
    if new is not None and new.pk == old.pk:
        return None
    posted = None
    if new is not None:
        posted = price_version(band=new, track=requisition.track, zone=requisition.zone).adjusted
    return BandChange(old_band=old, new_band=new, new_posted=posted)
