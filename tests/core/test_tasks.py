import pytest

from core.models import WorkerHeartbeat
from core.services import worker_heartbeat_record


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
