"""A Celery worker killed with SIGKILL in the middle of a report: another finishes it.

Two real worker processes (``celery worker --pool solo``, as compose runs them) share a
private redis-server and the test database. The first takes the run and is slowed down
(``REPORTS_TEST_ROW_DELAY``, read only by the progress callback); it is killed with
SIGKILL, its whole process group, while it writes. Its PostgreSQL connection closes with
it, and with it the run's liveness lock (reports.liveness): the sweep that beat runs
finds a running run nobody holds and re-enqueues it, and the second worker takes it over
at once (not after the 31-minute stale-claim limit). One file in storage, every row once.
"""

from __future__ import annotations

import io

from django.core.files.storage import FileSystemStorage

from reports import liveness
from reports.filters import Scope
from reports.kinds import Format
from reports.models import ReportRun
from reports.selectors import build_report
from reports.writers import write
from tests.conftest import make_cast
from tests.reliability.procs import (
    START_TIMEOUT,
    database_url,
    service_env,
    started,
    wait_for_worker,
    wait_until,
    worker_args,
)
from tests.reports.world import build_world


def test_a_worker_killed_mid_report_is_replaced_one_file_every_row_once(
    require_postgres, transactional_db, redis_server, control, tmp_path
):
    cast = make_cast()
    build_world(cast)
    run = ReportRun.objects.create(
        kind="pipeline", format=Format.CSV, filters={}, requested_by=cast["admin"]
    )
    private = tmp_path / "private"
    env = service_env(
        tmp_path,
        DATABASE_URL=database_url(),
        CELERY_BROKER_URL=redis_server.url(),
        PRIVATE_MEDIA_ROOT=str(private),
    )
    first = worker_args("first", {**env, "REPORTS_TEST_ROW_DELAY": "2"}, tmp_path / "first.log")
    # The second serves only the default queue until the first is dead: the run is the first's.
    second = worker_args("second", env, tmp_path / "second.log", queues="celery")

    with started(first, second) as (worker, spare):
        wait_for_worker(worker)
        wait_for_worker(spare)
        control.send_task("reports.tasks.generate_report", args=[run.pk], queue="reports")
        writing = wait_until(lambda: _state(run) == ("running", 1) and _progress(run) >= 5)
        assert writing, worker.output()[-3000:]

        worker.kill()  # SIGKILL, mid-report
        # PostgreSQL ends the dead worker's session, and its lock, as the socket closes.
        assert wait_until(lambda: run.pk not in liveness.held_run_ids(), 10)
        replies = control.control.add_consumer(
            "reports", destination=["second@reliability"], reply=True, timeout=5
        )
        assert replies, spare.output()[-3000:]
        control.send_task("reports.tasks.sweep", queue="celery")  # as beat does
        done = wait_until(lambda: _state(run)[0] in {"succeeded", "failed"}, START_TIMEOUT)
        assert done, spare.output()[-3000:]

    run.refresh_from_db()
    assert (run.status, run.attempts, run.error) == ("succeeded", 2, "")
    storage = FileSystemStorage(location=private)
    folders = storage.listdir("reports")[0]
    files = [f"reports/{d}/{name}" for d in folders for name in storage.listdir(f"reports/{d}")[1]]
    assert files == [run.storage_name]  # one file: the killed worker stored none
    content = storage.open(run.storage_name).read()
    # Every row once, as one uninterrupted run writes it (but for the minute it names).
    assert _undated(content) == _undated(_expected(run))


def _state(run) -> tuple[str, int]:
    return tuple(ReportRun.objects.filter(pk=run.pk).values_list("status", "attempts").get())


def _progress(run) -> int:
    return ReportRun.objects.filter(pk=run.pk).values_list("progress", flat=True).get()


def _expected(run) -> bytes:
    handle = io.BytesIO()
    write(
        build_report(run.kind, Scope(user=run.requested_by, filters=run.filters)),
        run.format,
        handle,
        lambda rows: None,
    )
    return handle.getvalue()


def _undated(content: bytes) -> list[bytes]:
    return [line for line in content.splitlines() if not line.startswith(b"Generated ")]
