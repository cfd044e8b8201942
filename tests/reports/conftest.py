"""Reports fixtures: a small world built once per module, and a real worker on Redis."""

from __future__ import annotations

import uuid

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections

from tests.conftest import built_once, make_cast
from tests.reports.world import build_world


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        yield build_world(make_cast())


@pytest.fixture
def world(module_world, db):
    return module_world


def start_report_worker(broker_url: str, *, concurrency: int = 3):
    """A started thread worker on its own queue (see tests/core/conftest.py ``live_worker``),
    as a context manager yielding (app, hostname)."""
    queue = f"test-reports-{uuid.uuid4().hex}"
    hostname = f"{queue}@localhost"
    app = Celery("reports-test", set_as_current=False, fixups=[])
    app.conf.update(
        broker_url=broker_url,
        broker_transport_options={"visibility_timeout": 3600},
        broker_connection_retry_on_startup=False,
        task_default_queue=queue,
        task_ignore_result=True,
        worker_hijack_root_logger=False,
        worker_prefetch_multiplier=1,
    )
    import core.tasks  # noqa: F401 - registers the shared tasks on the test app
    import reports.tasks  # noqa: F401

    return (
        start_worker(
            app,
            pool="threads",
            concurrency=concurrency,
            perform_ping_check=False,
            hostname=hostname,
            shutdown_timeout=10,
        ),
        app,
        hostname,
    )


def close_worker_connections(**kwargs) -> None:
    """Runs in the worker's thread: its connections would outlive the test database."""
    connections.close_all()


def connect_cleanup() -> None:
    task_postrun.connect(close_worker_connections)


def disconnect_cleanup() -> None:
    task_postrun.disconnect(close_worker_connections)


def wake_to_stop(app, hostname: str) -> None:
    """Ask the worker to stop now and wake its loop with a ping (it waits up to 2 s)."""
    from celery.worker import state

    state.should_terminate = 0
    app.control.ping(destination=[hostname], timeout=0.05)
