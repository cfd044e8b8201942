"""Many rows in a handful of INSERTs, for the query-count tests.

The services write one row (and its history) at a time: right for behaviour
tests, slow for "the same number of queries at 3 rows as at 30". These
builders write the same shapes with ``bulk_create``: candidates with skills and
certifications, applications with their stage history (and a reason when
rejected or withdrawn), interviews with their panel and scorecards. They skip
the services' checks and the django-simple-history rows, so use them only
where a test reads the rows back.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable, Sequence

from django.db import models
from django.utils import timezone

from candidates.models import Candidate
from hiring.models import (
    Application,
    DispositionReason,
    Interview,
    Requisition,
    Scorecard,
    StageChange,
)
from hiring.stages import DISPOSITIONS, Stage
from tests.candidates.factories import CandidateFactory
from tests.hiring.interview_world import SOON, InterviewFactory, ScorecardFactory

#: Where bulk applications end up, in turn: every column of the board but hired.
SPREAD = (
    Stage.APPLIED,
    Stage.SCREEN,
    Stage.INTERVIEW,
    Stage.OFFER,
    Stage.REJECTED,
    Stage.WITHDRAWN,
)
#: The moves that lead to each stage (the first one is the application itself).
PATHS = {
    Stage.SOURCED: (Stage.SOURCED,),
    Stage.APPLIED: (Stage.APPLIED,),
    Stage.SCREEN: (Stage.APPLIED, Stage.SCREEN),
    Stage.INTERVIEW: (Stage.APPLIED, Stage.SCREEN, Stage.INTERVIEW),
    Stage.OFFER: (Stage.APPLIED, Stage.SCREEN, Stage.INTERVIEW, Stage.OFFER),
    Stage.HIRED: (Stage.APPLIED, Stage.SCREEN, Stage.INTERVIEW, Stage.OFFER, Stage.HIRED),
    Stage.REJECTED: (Stage.APPLIED, Stage.SCREEN, Stage.REJECTED),
    Stage.WITHDRAWN: (Stage.APPLIED, Stage.WITHDRAWN),
}


def link(relation, rows: Iterable[models.Model], targets: Iterable[models.Model]) -> None:
    """Add every target to every row's many-to-many ``relation`` (e.g. ``Candidate.skills``)."""
    field = relation.field
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    targets = list(targets)
    relation.through.objects.bulk_create(
        relation.through(**{f"{source}_id": row.pk, f"{target}_id": other.pk})
        for row in rows
        for other in targets
    )


def candidates(
    count: int,
    *,
    skills: Sequence[models.Model] = (),
    certifications: Sequence[models.Model] = (),
    **fields,
) -> list[Candidate]:
    """``count`` factory candidates; every one holds all ``skills`` and ``certifications``."""
    rows = Candidate.objects.bulk_create(CandidateFactory.build_batch(count, **fields))
    link(Candidate.skills, rows, skills)
    link(Candidate.certifications, rows, certifications)
    return rows


def requisitions(count: int, *, like: Requisition, **fields) -> list[Requisition]:
    """``count`` copies of ``like`` (same track, level, zone, band and posted range)."""
    copied = {
        f.attname: getattr(like, f.attname)
        for f in Requisition._meta.concrete_fields
        if not f.primary_key
    }
    start = Requisition.objects.count()
    return Requisition.objects.bulk_create(
        Requisition(**{**copied, "title": f"{like.title} #{start + n}", **fields})
        for n in range(count)
    )


def applications(
    pairs: Iterable[tuple[Requisition, Candidate]],
    *,
    actor,
    stages: Sequence[str] = SPREAD,
) -> list[Application]:
    """One application per (requisition, candidate) pair, its stage taken from ``stages`` in
    turn, with one ``StageChange`` per move that led there (by ``actor``, an hour apart, the
    last one with a reason when it is rejected or withdrawn)."""
    reasons = {stage: _reason(stage) for stage in DISPOSITIONS}
    now = timezone.now()
    rows, paths = [], []
    for (requisition, candidate), stage in zip(pairs, itertools.cycle(stages), strict=False):
        path = PATHS[stage]
        rows.append(
            Application(
                candidate=candidate,
                requisition=requisition,
                stage=stage,
                stage_entered_at=now,
                disposition_reason=reasons.get(stage),
                created_by=actor,
            )
        )
        paths.append(path)
    rows = Application.objects.bulk_create(rows)
    StageChange.objects.bulk_create(
        StageChange(
            application=app,
            from_stage=path[step - 1] if step else "",
            to_stage=to_stage,
            actor=actor,
            at=now - datetime.timedelta(hours=len(path) - 1 - step),
            reason=reasons.get(to_stage),
        )
        for app, path in zip(rows, paths, strict=True)
        for step, to_stage in enumerate(path)
    )
    return rows


def interviews(
    apps: Iterable[Application],
    *,
    panel: Sequence,
    scored_by: Sequence = (),
    actor=None,
) -> list[Interview]:
    """One upcoming interview per application (a minute apart), with ``panel`` on it and a
    scorecard from each of ``scored_by``."""
    start = timezone.now() + SOON
    rows = Interview.objects.bulk_create(
        InterviewFactory.build(
            application=app, starts_at=start + datetime.timedelta(minutes=n), created_by=actor
        )
        for n, app in enumerate(apps)
    )
    link(Interview.interviewers, rows, panel)
    Scorecard.objects.bulk_create(
        ScorecardFactory.build(interview=interview, interviewer=person)
        for interview in rows
        for person in scored_by
    )
    return rows


def interviewed(
    requisition: Requisition, count: int, *, actor, panel: Sequence, scored_by: Sequence = ()
) -> list[Interview]:
    """``count`` new candidates at interview on ``requisition``, with one interview each."""
    apps = applications(
        ((requisition, person) for person in candidates(count)),
        actor=actor,
        stages=[Stage.INTERVIEW],
    )
    return interviews(apps, panel=panel, scored_by=scored_by, actor=actor)


def _reason(stage: str) -> DispositionReason:
    # get_or_create: a transactional test's flush empties the migration-seeded catalogue.
    return DispositionReason.objects.get_or_create(
        applies_to=stage, code="other", defaults={"label": "Other"}
    )[0]
