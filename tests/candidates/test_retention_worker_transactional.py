"""The retention task on a real worker through Redis, with a fake clock (``as_of``).

The worker's threads use their own connections, so the rows are committed (a transactional
test, in a file of its own: tests/conftest.py). The live worker is tests/core's fixture.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

import candidates.tasks  # noqa: F401 - registers the task on the test worker's app
from candidates.models import Candidate
from core.models import AccessEvent
from hiring.stages import Stage
from tests.candidates.factories import CandidateFactory
from tests.conftest import make_user, wait_for
from tests.core.conftest import broker, live_worker  # noqa: F401 - the shared fixtures
from tests.hiring.factories import ApplicationFactory, RequisitionFactory


@pytest.mark.parametrize("broker", ["redis"], indirect=True)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_nightly_task_on_a_real_worker_erases_the_due_and_keeps_the_hired(live_worker):  # noqa: F811
    app, _ = live_worker
    today = timezone.localdate()
    due = CandidateFactory(full_name="Dana Due", retain_until=today + datetime.timedelta(days=20))
    later = CandidateFactory(
        full_name="Lou Later", retain_until=today + datetime.timedelta(days=90)
    )
    hired = CandidateFactory(full_name="Hana Hired", retain_until=today)
    requisition = RequisitionFactory(hiring_manager=make_user("manager"))
    ApplicationFactory(candidate=hired, requisition=requisition, stage=Stage.HIRED)
    as_of = today + datetime.timedelta(days=60)  # the clock two months on

    app.tasks["candidates.tasks.erase_due_candidates"].delay(as_of=as_of.isoformat())

    erased = Candidate.objects.filter(pk=due.pk, erased_at__isnull=False)
    assert wait_for(erased.exists, seconds=20)
    names = dict(Candidate.objects.values_list("pk", "full_name"))
    assert names == {
        due.pk: f"Erased candidate {due.pk}",
        later.pk: "Lou Later",
        hired.pk: "Hana Hired",
    }
    event = AccessEvent.objects.get(action="erase")
    assert (event.object_id, event.actor, event.channel) == (str(due.pk), None, "worker")
