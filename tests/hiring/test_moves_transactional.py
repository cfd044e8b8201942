"""Two people moving the same application at once, on real PostgreSQL row locks."""

import threading

import pytest
from django.db import connection

from core.errors import Conflict
from hiring.models import Application, StageChange
from hiring.services.applications import application_move
from tests.hiring.factories import apply_candidate, open_requisition


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_threads_moving_at_once_record_exactly_one_change(
    require_postgres, roles_data, recruiter, other_recruiter, hiring_manager
):
    req = open_requisition(actor=recruiter, hiring_manager=hiring_manager)
    app = apply_candidate(requisition=req, actor=recruiter)
    barrier = threading.Barrier(2)
    outcomes = []

    def worker(actor, to_stage):
        try:
            barrier.wait(timeout=10)
            application_move(
                application=Application.objects.get(pk=app.pk),
                to_stage=to_stage,
                expected_stage="applied",
                actor=actor,
            )
            outcomes.append("ok")
        except Conflict as exc:
            outcomes.append(("conflict", exc.extra["current_stage"]))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=worker, args=(recruiter, "screen")),
        threading.Thread(target=worker, args=(other_recruiter, "interview")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    app.refresh_from_db()
    assert sorted(map(str, outcomes)) == sorted(["ok", str(("conflict", app.stage))])
    assert StageChange.objects.filter(application=app).exclude(from_stage="").count() == 1
