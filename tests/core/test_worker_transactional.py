"""A task through a real broker to a real worker, which writes with its own connection.

Transactional tests live in files of their own (tests/conftest.py enforces it):
their flush would empty rows that ordinary tests on the same worker expect.
"""

import time

import pytest

from core.models import WorkerHeartbeat


def _wait_for(predicate, seconds: float = 15.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_record_heartbeat_runs_on_a_real_worker_through_the_broker(live_worker):
    app, _ = live_worker
    assert not WorkerHeartbeat.objects.exists()

    app.tasks["core.tasks.record_heartbeat"].delay()

    assert _wait_for(WorkerHeartbeat.objects.exists)
    assert WorkerHeartbeat.objects.count() == 1
