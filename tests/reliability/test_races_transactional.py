"""Two people acting on the same thing at the same moment, from two OS processes.

Two recruiters move the same application, then two compensation admins approve the same
offer: each person is a separate Python process (tests/reliability/racer.py) with its own
database connection, released by one start file the instant both are ready. One wins,
the other gets 409 in the API's error shape, and the history records one change.
tests/hiring/test_moves_transactional.py and tests/offers/test_approvals_transactional.py
run the same races with threads of one process.
"""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal as D

from django.conf import settings
from knox.models import AuthToken

from core import access
from hiring.models import StageChange
from offers.models import Offer, OfferApproval, OfferEvent
from offers.services import offer_submit
from tests.conftest import make_user
from tests.offers.test_offers_services import JUSTIFIED, at_offer_stage, draft
from tests.reliability.procs import START_TIMEOUT, database_url, service_env, wait_until


def token(user) -> str:
    return AuthToken.objects.create(user=user)[1]


def test_two_processes_moving_and_approving_at_once_one_wins_the_other_gets_409(
    require_postgres, role_data, recruiter, other_recruiter, hiring_manager, comp_admin, tmp_path
):
    application = at_offer_stage(
        recruiter=recruiter, hiring_manager=hiring_manager, stage="applied"
    )
    offer = draft(
        at_offer_stage(recruiter=recruiter, hiring_manager=hiring_manager),
        recruiter,
        base_salary=D("245000"),
        justification=JUSTIFIED,
    )
    offer_submit(offer=offer, actor=recruiter)
    second_admin = make_user("second_comp_admin", access.COMPENSATION_ADMINS)
    move = f"/api/v1/applications/{application.pk}/move/"
    approve = f"/api/v1/offers/{offer.pk}/approve/"
    people = [
        [(recruiter, move, "screen"), (comp_admin, approve, None)],
        [(other_recruiter, move, "interview"), (second_admin, approve, None)],
    ]

    answers = race(people, tmp_path)

    moves, approvals = sorted(a[0] for a in answers), sorted(a[1] for a in answers)
    assert moves == [[200, ""], [409, "conflict"]]
    assert approvals == [[200, ""], [409, "conflict"]]
    application.refresh_from_db()
    changes = StageChange.objects.filter(application=application).exclude(from_stage="")
    assert list(changes.values_list("from_stage", "to_stage")) == [("applied", application.stage)]
    assert list(OfferApproval.objects.filter(offer=offer).values_list("role", flat=True)) == [
        "compensation_admin"
    ]
    assert OfferEvent.objects.filter(offer=offer, kind="approved").count() == 1
    assert Offer.objects.get(pk=offer.pk).status == "pending_approval"


def race(people: list, folder) -> list:
    """Start one process per person; release each race when both are ready; their answers."""
    env = service_env(folder, DATABASE_URL=database_url())
    processes = []
    try:
        for n, acts in enumerate(people):
            plan = folder / f"plan-{n}.json"
            plan.write_text(
                json.dumps({"races": [_race(folder, n, i, *act) for i, act in enumerate(acts)]})
            )
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "tests.reliability.racer", str(plan)],
                    env=env,
                    cwd=settings.BASE_DIR,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
            )
        for i in range(len(people[0])):
            ready = [folder / f"ready-{n}-{i}" for n in range(len(people))]
            both = wait_until(
                lambda ready=ready: all(r.exists() for r in ready) or _any_exited(processes)
            )
            assert both and not _any_exited(processes), _outputs(processes)
            (folder / f"go-{i}").touch()
        results = [p.communicate(timeout=START_TIMEOUT) for p in processes]
    finally:
        for p in processes:
            if p.poll() is None:
                p.kill()
                p.wait()
    assert all(p.returncode == 0 for p in processes), results
    return [json.loads(out.strip().splitlines()[-1]) for out, _err in results]


def _race(folder, n: int, i: int, actor, url: str, to_stage: str | None) -> dict:
    body = {"to_stage": to_stage, "expected_stage": "applied"} if to_stage else {}
    return {
        "token": token(actor),
        "url": url,
        "body": body,
        "ready": str(folder / f"ready-{n}-{i}"),
        "go": str(folder / f"go-{i}"),
    }


def _any_exited(processes) -> bool:
    return any(p.poll() is not None for p in processes)


def _outputs(processes) -> str:
    return "\n".join((p.stderr.read() if p.poll() is not None else "(running)") for p in processes)
