"""A task through a real broker to a real worker, which writes with its own connection.

Transactional tests live in files of their own (tests/conftest.py enforces it):
their flush would empty rows that ordinary tests on the same worker expect.
"""

import pytest

from core.models import WorkerHeartbeat
from tests.conftest import wait_for


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_record_heartbeat_runs_on_a_real_worker_through_the_broker(live_worker):
    app, _ = live_worker
    assert not WorkerHeartbeat.objects.exists()

    app.tasks["core.tasks.record_heartbeat"].delay()

    assert wait_for(WorkerHeartbeat.objects.exists, seconds=15)
    assert WorkerHeartbeat.objects.count() == 1
