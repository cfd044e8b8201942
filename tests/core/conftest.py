"""A real Celery worker in a thread, on a private queue and broker location.

Each worker gets its own Celery app (so the project's app keeps its broker),
its own queue (so parallel test processes never take each other's tasks) and,
on the filesystem transport, its own folders under tmp_path.
"""

from __future__ import annotations

import uuid

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections


def _filesystem_options(root) -> dict:
    out, control = root / "out", root / "control"
    out.mkdir(parents=True)
    control.mkdir(parents=True)
    return {
        "data_folder_in": str(out),
        "data_folder_out": str(out),
        "control_folder": str(control),
        "store_processed": False,
        "polling_interval": 0.2,
    }


@pytest.fixture(params=["filesystem", "redis"])
def broker(request, settings, tmp_path, monkeypatch) -> str:
    """Points settings at a broker both /healthz and the test worker use.

    filesystem: private folders (the local default); redis: the configured
    Redis on CI, or TEST_REDIS_URL (skips locally without Redis, fails on CI).
    """
    if request.param == "redis":
        url = request.getfixturevalue("require_redis")
        # A worker waits at most 0.1 s on the queue before it looks for a shutdown request.
        options = {"visibility_timeout": 3600, "polling_interval": 0.1}
    else:
        url = "filesystem://"
        options = _filesystem_options(tmp_path / "broker")
    settings.CELERY_BROKER_URL = url
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = options
    # Celery reads CELERY_BROKER_URL from the environment before its own config.
    monkeypatch.setenv("CELERY_BROKER_URL", url)
    return request.param


@pytest.fixture
def live_worker(broker, settings):
    """A started worker on the `broker` settings; yields (app, hostname)."""
    from config.celery import app as project_app

    queue = f"test-{uuid.uuid4().hex}"
    hostname = f"{queue}@localhost"
    # No Django fixup: on worker start it closes every database connection of the
    # process, including the test's own (PostgreSQL); the worker's threads open their own.
    app = Celery("hiring-test", set_as_current=False, fixups=[])
    app.conf.update(
        broker_url=settings.CELERY_BROKER_URL,
        broker_transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        broker_connection_retry_on_startup=False,
        task_default_queue=queue,
        task_ignore_result=True,
        worker_hijack_root_logger=False,
    )
    import core.tasks  # noqa: F401 - registers the shared tasks on the test app

    task_postrun.connect(_close_worker_thread_connections)
    try:
        with start_worker(
            app, pool="threads", perform_ping_check=False, hostname=hostname, shutdown_timeout=10
        ) as worker:
            _check_for_shutdown_often(worker)
            yield app, hostname
            _ask_to_stop()
    finally:
        task_postrun.disconnect(_close_worker_thread_connections)
        # start_worker makes its app the process-wide current app; give it back.
        project_app.set_current()
        project_app.set_default()


def _check_for_shutdown_often(worker) -> None:
    """Celery's blocking loop waits up to 2 s for a message before it looks for a shutdown
    request, and a remote-control ping does not wake it on the filesystem transport: every
    test with a worker on it waited those 2 s at its end. The worker's own connection waits
    at most 0.1 s at a time instead (its loop then just goes round again)."""
    connection = worker.consumer.connection
    drain_events = connection.drain_events

    def drain_events_briefly(timeout=None, **kwargs):
        return drain_events(timeout=min(timeout or _LOOP_WAIT, _LOOP_WAIT), **kwargs)

    connection.drain_events = drain_events_briefly


_LOOP_WAIT = 0.1


def _ask_to_stop() -> None:
    """Ask the worker to stop now: its loop sees the request within ``_LOOP_WAIT``."""
    from celery.worker import state

    state.should_terminate = 0


def _close_worker_thread_connections(**kwargs) -> None:
    """Runs in the worker's thread: its connections would outlive the test database."""
    connections.close_all()
