"""Fault-test fixtures: a private redis-server per test module (stoppable, restartable)."""

from __future__ import annotations

import pytest

from tests.reliability.procs import private_redis


@pytest.fixture(scope="module")
def redis_server():
    with private_redis() as server:
        yield server


@pytest.fixture
def role_data(request, transactional_db):
    """The guide's role data, committed: inside one transaction, as its bulk restore inserts
    rows before the rows they point at (checks deferred to commit)."""
    from django.db import transaction

    with transaction.atomic():
        request.getfixturevalue("guide")


@pytest.fixture
def control(redis_server, monkeypatch):
    """A Celery app on the private broker, to send tasks and control commands to workers."""
    from celery import Celery

    # Celery prefers CELERY_BROKER_URL from the environment (the test run's shared Redis).
    monkeypatch.setenv("CELERY_BROKER_URL", redis_server.url())
    app = Celery("reliability", set_as_current=False, fixups=[])
    app.conf.update(
        broker_url=redis_server.url(),
        broker_connection_retry_on_startup=False,
        task_ignore_result=True,
    )
    with app.connection_for_write() as connection:
        assert f":{redis_server.port}/" in connection.as_uri(), "not the private broker"
    yield app
    app.close()
