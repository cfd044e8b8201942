"""`seed_demo`'s volume set: sizes, stage histories, reasons, ranges, interviews.

The seed runs once for the module (these tests only read); each test still rolls back
its own writes.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from candidates.models import Candidate
from hiring import rules, stages
from hiring.models import (
    Application,
    Interview,
    Requisition,
    Scorecard,
    Stage,
    StageChange,
)
from roles.selectors import priced_band
from tests.conftest import built_once
from tests.demo.test_seed_demo import DEMO_USERNAMES, SMALL, seed

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def seeded(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        seed(**SMALL)
        yield


def test_volume_run_creates_exactly_the_sizes_asked():
    assert Candidate.objects.count() == 50
    assert Requisition.objects.count() == 5
    assert Application.objects.count() == 120
    pairs = set(Application.objects.values_list("candidate_id", "requisition_id"))
    assert len(pairs) == 120
    emails = list(Candidate.objects.values_list("email", flat=True))
    assert len(set(emails)) == 50
    assert all(re.fullmatch(r"[a-z-]+\.[a-z-]+\.\d+@seed7\.example\.com", e) for e in emails)
    assert sorted(User.objects.values_list("username", flat=True)) == DEMO_USERNAMES
    assert Candidate.objects.filter(portfolio_url="", notes="").count() == 50  # model defaults


def test_every_application_has_a_stage_history_ending_at_its_stage():
    recruiter = User.objects.get(username="demo-recruiter")

    changes_per_app = Counter()
    for app in Application.objects.prefetch_related("stage_changes"):
        changes = sorted(app.stage_changes.all(), key=lambda c: (c.at, c.id))
        changes_per_app[app.pk] = len(changes)
        assert changes[0].from_stage == ""
        assert changes[0].to_stage in stages.START
        for before, after in itertools.pairwise(changes):
            assert after.from_stage == before.to_stage
            assert after.at > before.at
            if after.to_stage == Stage.HIRED:  # only accepting an offer hires
                check = rules.check_hire(from_stage=after.from_stage)
            else:
                check = rules.check_move(
                    from_stage=after.from_stage,
                    to_stage=after.to_stage,
                    has_reason=after.reason_id is not None,
                    note="",
                )
            assert check.allowed, check.problem
        assert changes[-1].to_stage == app.stage
        assert changes[-1].at == app.stage_entered_at
        assert {c.actor_id for c in changes} == {recruiter.pk}
    assert len(changes_per_app) == 120
    assert 1.5 <= sum(changes_per_app.values()) / 120 <= 3.5  # a sane volume per application


def test_rejected_and_withdrawn_applications_have_a_reason_for_their_stage():
    finals = Application.objects.filter(stage__in=[Stage.REJECTED, Stage.WITHDRAWN])
    assert finals.exists()
    for app in finals.select_related("disposition_reason"):
        assert app.disposition_reason.applies_to == app.stage
        last = app.stage_changes.order_by("-at", "-id").first()
        assert last.reason_id == app.disposition_reason_id
    active = Application.objects.exclude(stage__in=[Stage.REJECTED, Stage.WITHDRAWN])
    assert not active.filter(disposition_reason__isnull=False).exists()
    assert not StageChange.objects.filter(
        reason__isnull=False, to_stage__in=[s for s in Stage.values if s not in rules.DISPOSITIONS]
    ).exists()


def test_posted_ranges_are_exactly_the_priced_band_and_unpriced_tracks_stay_drafts():
    for req in Requisition.objects.select_related("track", "level", "zone"):
        priced = priced_band(track=req.track, level=req.level, zone=req.zone)
        if priced is None:
            assert (req.status, req.band_id, req.posted_min, req.posted_max) == (
                Requisition.Status.DRAFT,
                None,
                None,
                None,
            )
            assert not req.applications.exists()
        else:
            assert req.band_id == priced.band.pk
            assert (req.posted_min, req.posted_max) == (priced.adjusted.low, priced.adjusted.high)
            assert req.status != Requisition.Status.DRAFT


def test_interviews_cover_applications_that_reached_the_interview_stage():
    interviewer = User.objects.get(username="demo-interviewer")

    reached = set(
        StageChange.objects.filter(to_stage=Stage.INTERVIEW).values_list(
            "application_id", flat=True
        )
    )
    assert reached
    assert set(Interview.objects.values_list("application_id", flat=True)) == reached
    assert Interview.objects.count() == len(reached)
    entered = dict(
        StageChange.objects.filter(to_stage=Stage.INTERVIEW).values_list("application_id", "at")
    )
    now = timezone.now()
    for interview in Interview.objects.select_related("application").prefetch_related(
        "interviewers", "scorecards"
    ):
        panel = {u.pk for u in interview.interviewers.all()}
        cards = interview.scorecards.all()
        assert interviewer.pk in panel
        assert interview.starts_at > entered[interview.application_id]
        if interview.starts_at > now:  # upcoming: no feedback yet
            assert list(cards) == []
            assert interview.application.stage == Stage.INTERVIEW
        else:
            assert {card.interviewer_id for card in cards} == panel
            assert all(interview.starts_at < card.submitted_at <= now for card in cards)
    ratings = Scorecard.objects.values_list(
        "model_development", "data_engineering", "collaboration", "research_infrastructure"
    )
    assert all(1 <= r <= 4 for row in ratings for r in row)


def test_bulk_inserts_keep_past_dates_and_leave_the_models_untouched():
    newest = Candidate.objects.order_by("-created_at").first().created_at
    oldest_app = Application.objects.order_by("created_at").first()
    assert newest < oldest_app.created_at
    assert Candidate._meta.get_field("created_at").auto_now_add is True
    assert Candidate._meta.get_field("updated_at").auto_now is True
    assert Scorecard._meta.get_field("submitted_at").auto_now_add is True
