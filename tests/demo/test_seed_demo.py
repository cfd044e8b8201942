"""`manage.py seed_demo`: the demo company and the deterministic volume set."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from bench.__main__ import bench_database_name
from candidates.models import Candidate
from core import access
from hiring.models import (
    Application,
    DispositionReason,
    Interview,
    Requisition,
    Scorecard,
    Stage,
    StageChange,
)
from offers.models import DeclineReason, Offer
from offers.states import OPEN_STATUSES, OfferStatus

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


def test_without_a_reason_catalogue_applications_stay_in_active_stages():
    DispositionReason.objects.all().delete()

    seed(**SMALL)

    assert Application.objects.count() == 120
    assert not Application.objects.filter(stage__in=[Stage.REJECTED, Stage.WITHDRAWN]).exists()
    assert DispositionReason.objects.count() == 0


def test_same_seed_gives_the_same_data_and_another_seed_differs():
    sizes = {"candidates": 40, "requisitions": 5, "applications": 60, "seed": 7}
    seed(**sizes)
    first = snapshot()
    delete_seeded_rows()

    seed(**sizes)
    second = snapshot()
    delete_seeded_rows()
    seed(**{**sizes, "seed": 8})
    other = snapshot()

    assert second == first
    assert len(first["applications"]) == 60
    assert first["offers"]  # the offers are part of what a seed decides
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


def test_a_weak_demo_password_is_refused_and_nothing_saved(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "1")

    with pytest.raises(CommandError) as refused:
        seed(candidates=5, requisitions=4, applications=5)

    assert str(refused.value) == (
        "The password for demo-admin is refused: This password is too short. It must contain "
        "at least 8 characters. This password is too common. This password is entirely numeric. "
        "Choose a stronger DEMO_PASSWORD, or leave it unset for random ones."
    )
    assert User.objects.count() == 0
    assert Candidate.objects.count() == 0


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
