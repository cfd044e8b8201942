"""`manage.py seed_demo`: the demo company and the deterministic volume set."""

from __future__ import annotations

import io
import itertools
import re
from collections import Counter

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from bench.__main__ import bench_database_name
from candidates.models import Candidate
from core import access
from hiring import rules, stages
from hiring.models import (
    Application,
    DispositionReason,
    Interview,
    Requisition,
    Scorecard,
    Stage,
    StageChange,
)
from offers.models import DeclineReason, Offer, OfferApproval, OfferEvent
from offers.states import OPEN_STATUSES, OfferStatus
from roles.selectors import priced_band

SMALL = {"candidates": 50, "requisitions": 5, "applications": 120, "seed": 7}
pytestmark = pytest.mark.django_db

DEMO_USERNAMES = ["demo-admin", "demo-comp", "demo-interviewer", "demo-manager", "demo-recruiter"]


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def snapshot() -> dict:
    """What a seed decides, without primary keys or wall-clock times."""
    apps = Application.objects.select_related("candidate", "requisition").order_by(
        "candidate__email", "requisition__title"
    )
    return {
        "candidates": list(
            Candidate.objects.order_by("email").values_list(
                "email", "full_name", "city", "years_experience", "search_document"
            )
        ),
        "requisitions": list(
            Requisition.objects.order_by("title").values_list(
                "title", "status", "posted_min", "posted_max", "headcount"
            )
        ),
        "applications": [
            (
                a.candidate.email,
                a.requisition.title,
                [c.to_stage for c in a.stage_changes.order_by("at", "id")],
            )
            for a in apps
        ],
        "offers": [
            (
                o.application.candidate.email,
                o.application.requisition.title,
                o.status,
                o.base_salary,
                o.sign_on_bonus,
                o.equity,
                o.justification,
                o.decline_reason_id,
                o.recommendation,
                [(e.kind, e.actor_id, e.data) for e in o.events.all()],
                [(a.role, a.approver_id) for a in o.approvals.all()],
            )
            for o in Offer.objects.select_related(
                "application__candidate", "application__requisition"
            )
            .prefetch_related("events", "approvals")
            .order_by("application__candidate__email", "application__requisition__title")
        ],
    }


def delete_seeded_rows() -> None:
    Offer.objects.all().delete()  # approvals and events cascade
    Application.objects.all().delete()  # stage changes, interviews, scorecards cascade
    Candidate.objects.all().delete()
    Requisition.objects.all().delete()


def test_volume_run_creates_exactly_the_sizes_asked():
    seed(**SMALL)

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
    seed(**SMALL)
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
    seed(**SMALL)

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


def test_without_a_reason_catalogue_applications_stay_in_active_stages():
    DispositionReason.objects.all().delete()

    seed(**SMALL)

    assert Application.objects.count() == 120
    assert not Application.objects.filter(stage__in=[Stage.REJECTED, Stage.WITHDRAWN]).exists()
    assert DispositionReason.objects.count() == 0


def test_posted_ranges_are_exactly_the_priced_band_and_unpriced_tracks_stay_drafts():
    seed(**SMALL)

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


def test_hires_never_exceed_headcount_and_a_full_requisition_is_filled():
    seed(candidates=300, requisitions=12, applications=900, seed=3)

    for req in Requisition.objects.all():
        hires = req.applications.filter(stage=Stage.HIRED).count()
        assert hires <= req.headcount
        assert (req.status == Requisition.Status.FILLED) == (hires == req.headcount)
    assert Application.objects.filter(stage=Stage.HIRED).exists()


def test_interviews_cover_applications_that_reached_the_interview_stage():
    seed(**SMALL)
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


def test_same_seed_gives_the_same_data_and_another_seed_differs():
    seed(**SMALL)
    first = snapshot()
    delete_seeded_rows()

    seed(**SMALL)
    second = snapshot()
    delete_seeded_rows()
    seed(**{**SMALL, "seed": 8})
    other = snapshot()

    assert second == first
    assert len(first["applications"]) == 120
    assert {e for e, *_ in other["candidates"]}.isdisjoint({e for e, *_ in first["candidates"]})


def test_demo_run_creates_one_user_per_role_with_the_printed_password(monkeypatch, client):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-123")

    output = seed()

    expected_groups = {
        "demo-admin": [],
        "demo-comp": [access.COMPENSATION_ADMINS],
        "demo-recruiter": [access.RECRUITERS],
        "demo-manager": [access.HIRING_MANAGERS],
        "demo-interviewer": [access.INTERVIEWERS],
    }
    for username, groups in expected_groups.items():
        user = User.objects.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == groups
        assert user.is_superuser == (username == "demo-admin")
        assert user.is_staff == (username in ("demo-admin", "demo-comp"))
        assert re.search(rf"^  {username} .*demo-pass-123$", output, re.M)
    assert client.login(username="demo-recruiter", password="demo-pass-123")
    assert Requisition.objects.count() == 20
    assert Candidate.objects.count() == 300
    assert Application.objects.count() == 360
    assert set(Application.objects.values_list("stage", flat=True)) == set(Stage.values)
    assert Interview.objects.exists()
    assert Scorecard.objects.exists()


def test_random_passwords_are_printed_once_and_work(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)

    output = seed(candidates=10, requisitions=4, applications=10)

    printed = dict(re.findall(r"^  (demo-[a-z]+) +[a-z ]+?  +(\S+)$", output, re.M))
    assert sorted(printed) == DEMO_USERNAMES
    assert len(set(printed.values())) == 5
    for username, password in printed.items():
        assert User.objects.get(username=username).check_password(password)


def test_second_run_changes_nothing_and_says_so():
    seed(**SMALL)
    counts = [m.objects.count() for m in (User, Candidate, Requisition, Application, StageChange)]

    output = seed(**SMALL)

    assert "already in this database (50 candidates): nothing done" in output
    assert [
        m.objects.count() for m in (User, Candidate, Requisition, Application, StageChange)
    ] == counts


def test_existing_demo_users_keep_their_password(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "first-password-1")
    seed(candidates=5, requisitions=4, applications=5, seed=1)
    monkeypatch.setenv("DEMO_PASSWORD", "second-password-2")

    output = seed(candidates=5, requisitions=4, applications=5, seed=2)

    assert "second-password-2" not in output
    assert "already existed, password unchanged" in output
    assert User.objects.get(username="demo-recruiter").check_password("first-password-1")
    assert Candidate.objects.count() == 10
    assert User.objects.filter(username__startswith="demo-").count() == 5


def test_more_applications_than_unique_pairs_is_refused_and_nothing_saved():
    with pytest.raises(CommandError, match=r"--applications 50 cannot be unique"):
        seed(candidates=2, requisitions=2, applications=50, seed=5)

    assert Candidate.objects.count() == 0
    assert Requisition.objects.count() == 0
    assert User.objects.count() == 0


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--candidates", "-5", "argument --candidates: must be a whole number, 0 or more"),
        ("--applications", "many", "argument --applications: must be a whole number, 0 or more"),
        ("--batch-size", "0", "argument --batch-size: must be a whole number, 1 or more"),
    ],
)
def test_bad_sizes_name_the_option(option, value, message):
    with pytest.raises(CommandError, match=message):
        call_command("seed_demo", option, value, stdout=io.StringIO())

    assert Candidate.objects.count() == 0


def test_bulk_inserts_keep_past_dates_and_leave_the_models_untouched():
    seed(**SMALL)

    newest = Candidate.objects.order_by("-created_at").first().created_at
    oldest_app = Application.objects.order_by("created_at").first()
    assert newest < oldest_app.created_at
    assert Candidate._meta.get_field("created_at").auto_now_add is True
    assert Candidate._meta.get_field("updated_at").auto_now is True
    assert Scorecard._meta.get_field("submitted_at").auto_now_add is True


def test_bench_uses_a_separate_database_name():
    assert bench_database_name("postgres://postgres@127.0.0.1:5432/hiring") == "hiring_bench"
    assert bench_database_name("postgres://u@h/hiring_bench") == "hiring_bench"
    assert bench_database_name("postgres://u@h") == "postgres_bench"


# --- offers -----------------------------------------------------------------------------


def test_the_demo_company_has_offers_in_every_state():
    seed()

    assert set(Offer.objects.values_list("status", flat=True)) == set(OfferStatus.values)
    assert not Offer.objects.exclude(application__stage__in=[Stage.OFFER, Stage.HIRED]).exists()
    declined = Offer.objects.filter(status=OfferStatus.DECLINED)
    assert declined.exists()
    assert not declined.filter(decline_reason__isnull=True).exists()
    assert {o.decline_reason.code for o in declined.select_related("decline_reason")} <= set(
        DeclineReason.objects.values_list("code", flat=True)
    )
    today = timezone.localdate()
    assert all(o.expires_on < today for o in Offer.objects.filter(status=OfferStatus.EXPIRED))
    assert all(o.expires_on >= today for o in Offer.objects.filter(status__in=OPEN_STATUSES))


def test_every_hired_application_has_exactly_one_accepted_offer():
    seed(candidates=300, requisitions=12, applications=900, seed=3)

    hired = Application.objects.filter(stage=Stage.HIRED)
    assert hired.exists()
    for app in hired.prefetch_related("offers", "stage_changes"):
        accepted = [o for o in app.offers.all() if o.status == OfferStatus.ACCEPTED]
        assert len(accepted) == 1
        hire = next(c for c in app.stage_changes.all() if c.to_stage == Stage.HIRED)
        assert accepted[0].decided_at <= hire.at
    accepted_apps = Offer.objects.filter(status=OfferStatus.ACCEPTED).values_list(
        "application_id", flat=True
    )
    assert set(accepted_apps) == set(hired.values_list("pk", flat=True))
    assert not Offer.objects.filter(
        application__stage=Stage.OFFER, status=OfferStatus.ACCEPTED
    ).exists()


def test_no_application_has_two_open_offers():
    seed(candidates=300, requisitions=12, applications=900, seed=3)

    open_per_app = Counter(
        Offer.objects.filter(status__in=OPEN_STATUSES).values_list("application_id", flat=True)
    )
    assert open_per_app
    assert max(open_per_app.values()) == 1


def test_offers_are_pinned_to_the_requisition_band_and_outside_it_only_with_approval():
    seed(candidates=300, requisitions=12, applications=900, seed=3)
    comp = User.objects.get(username="demo-comp")
    recruiter = User.objects.get(username="demo-recruiter")

    offers = Offer.objects.select_related("application__requisition").prefetch_related("approvals")
    assert offers.exists()
    outside = 0
    for offer in offers:
        requisition = offer.application.requisition
        assert offer.band_id == requisition.band_id is not None
        assert offer.currency == requisition.currency
        assert offer.created_by_id == recruiter.pk
        assert offer.round == 1
        assert offer.recommendation["adjusted_band"] == {
            "min": int(offer.adjusted_min),
            "max": int(offer.adjusted_max),
        }
        approvals = {(a.role, a.approver_id) for a in offer.approvals.all()}
        if offer.inside_band:
            assert offer.base_salary == offer.recommendation["recommended_base"]
            assert OfferApproval.Role.COMPENSATION_ADMIN not in {r for r, _ in approvals}
        else:
            outside += 1
            assert offer.justification
            assert (OfferApproval.Role.COMPENSATION_ADMIN, comp.pk) in approvals
        if offer.status not in (OfferStatus.DRAFT, OfferStatus.PENDING_APPROVAL) and (
            offer.status != OfferStatus.RESCINDED or approvals
        ):
            assert (OfferApproval.Role.HIRING_MANAGER, requisition.hiring_manager_id) in approvals
    assert outside


def test_approvals_are_never_by_the_drafter_and_events_are_in_time_order():
    seed(candidates=300, requisitions=12, applications=900, seed=3)

    offers = Offer.objects.select_related("application").prefetch_related("approvals", "events")
    now = timezone.now()
    for offer in offers:
        assert all(a.approver_id != offer.created_by_id for a in offer.approvals.all())
        events = list(offer.events.all())
        kinds = [e.kind for e in events]
        assert kinds[0] == OfferEvent.Kind.CREATED
        assert events[0].at == offer.created_at
        assert events[0].at >= offer.application.created_at
        assert all(b.at > a.at for a, b in itertools.pairwise(events))
        assert events[-1].at <= now
        approved = [e for e in events if e.kind == OfferEvent.Kind.APPROVED]
        assert len(approved) == offer.approvals.count()
        if offer.status in (OfferStatus.ACCEPTED, OfferStatus.DECLINED, OfferStatus.RESCINDED):
            assert kinds[-1] == offer.status
            assert offer.decided_at == events[-1].at
        elif offer.status == OfferStatus.EXPIRED:
            assert kinds[-1] == OfferEvent.Kind.EXPIRED
            assert events[-1].actor_id is None
        else:
            assert offer.decided_at is None
        if OfferEvent.Kind.SENT in kinds:
            assert offer.sent_at == events[kinds.index(OfferEvent.Kind.SENT)].at
        assert offer.expires_on <= offer.start_date
