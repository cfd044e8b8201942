import time

import pytest

from core.models import WorkerHeartbeat
from core.services import worker_heartbeat_record


def _wait_for(predicate, seconds: float = 15.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.django_db(transaction=True)
def test_record_heartbeat_runs_on_a_real_worker_through_the_broker(live_worker):
    app, _ = live_worker
    assert not WorkerHeartbeat.objects.exists()

    app.tasks["core.tasks.record_heartbeat"].delay()

    assert _wait_for(WorkerHeartbeat.objects.exists)
    assert WorkerHeartbeat.objects.count() == 1


@pytest.mark.django_db
def test_worker_heartbeat_record_twice_keeps_one_row_with_the_later_time():
    first = worker_heartbeat_record(hostname="w1@host")
    second = worker_heartbeat_record(hostname="w1@host")

    assert WorkerHeartbeat.objects.count() == 1
    assert second.pk == first.pk
    assert second.seen_at >= first.seen_at


def test_record_heartbeat_is_scheduled_by_beat(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["worker-heartbeat"]

    assert schedule == {"task": "core.tasks.record_heartbeat", "schedule": 60.0}


def test_record_heartbeat_is_registered_on_the_project_app():
    from config.celery import app

    app.loader.import_default_modules()

    assert "core.tasks.record_heartbeat" in app.tasks
