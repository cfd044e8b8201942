"""Two submits of the same scorecard at once: one wins, the other hears "already submitted"."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from core import access
from core.errors import Conflict
from hiring.models import Scorecard
from hiring.services.interviews import scorecard_submit


@pytest.fixture(autouse=True)
def groups(transactional_db):
    # An earlier transactional test flushes the tables, groups from migrations included.
    for name in access.ALL_GROUPS:
        Group.objects.get_or_create(name=name)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_submits_record_one_scorecard(require_postgres, interviewer, interview_world):
    world = interview_world
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit(recommendation: str) -> None:
        try:
            barrier.wait(timeout=10)
            scorecard_submit(
                interview=world.interview,
                interviewer=interviewer,
                actor=interviewer,
                model_development=3,
                data_engineering=3,
                collaboration=3,
                research_infrastructure=3,
                recommendation=recommendation,
            )
            outcomes.append("saved")
        except Conflict as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(r,)) for r in ("yes", "no")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["already_submitted", "saved"]
    assert Scorecard.objects.filter(interviewer=interviewer).count() == 1
