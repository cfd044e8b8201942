"""Every kind in every format, end to end through a real Celery worker on Redis.

One worker and one small world for the whole module: the fixture commits the
world (the worker's threads must see it), requests every (kind, format) run plus a
run enqueued twice and a run that fails, races two claims for one more run, waits,
reads every file back into memory, and then deletes every row it added (no flush:
the migration-seeded rows stay, so ordinary tests may follow in the same process).
The tests only read what it collected; they are ordinary tests, not transactional
ones (tests/conftest.py), because nothing here flushes the database.
"""

from __future__ import annotations

import csv
import io
import json
import threading
from dataclasses import dataclass

import pytest
from django.core.files.storage import default_storage
from django.db import connection, connections, transaction
from django.test import override_settings
from openpyxl import load_workbook
from pypdf import PdfReader

from config.celery import app as project_app
from reports import services, tasks
from reports.kinds import Format, Kind
from reports.models import ReportRun
from tests.conftest import FAST_HASHERS, make_cast, wait_for
from tests.reports.conftest import (
    connect_cleanup,
    disconnect_cleanup,
    start_report_worker,
    wake_to_stop,
)
from tests.reports.world import FORMULA_NAME, build_world

# Ordinary tests: they read what the module fixture collected (and make sure the test
# database exists when this module runs alone).
pytestmark = pytest.mark.django_db

CASES = [(kind, fmt) for kind in Kind.values for fmt in Format.values]
#: What each kind's file must say, whatever the format.
EXPECTED_TEXT = {
    "pipeline": ["Senior AI engineer", "Hidden requisition"],
    "offers": ["Market rate for this skill set."],
    "aging": ["Senior AI engineer"],
    "sources": ["LinkedIn"],
    "candidate-export": ["Senior AI engineer"],
}


@dataclass
class Outcome:
    status: str
    error: str
    row_count: int | None
    attempts: int
    content: bytes


@pytest.fixture(scope="module")
def outcomes(django_db_setup, django_db_blocker, tmp_path_factory):
    import redis

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:  # CI=true makes a missing service a failure
        pytest.fail(f"Redis is required for the reports worker tests: {exc}")
    storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path_factory.mktemp("private"))},
    }
    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=FAST_HASHERS,
            STORAGES={"default": storage, "staticfiles": _static()},
        ),
    ):
        marks = _pk_marks()
        try:
            yield _run_everything(url)
        finally:
            _delete_since(marks)


def _run_everything(url: str) -> dict:
    world = build_world(make_cast())
    recruiter = world.cast["recruiter"]
    worker, app, hostname = start_report_worker(url)
    connect_cleanup()
    try:
        with worker:
            runs = _request_everything(world, recruiter)
            ids = set(runs.values())
            assert wait_for(
                lambda: (
                    ReportRun.objects.filter(pk__in=ids, status__in=["succeeded", "failed"]).count()
                    == len(ids)
                ),
                seconds=60,
            ), list(ReportRun.objects.values_list("pk", "status", "error"))
            wake_to_stop(app, hostname)
    finally:
        disconnect_cleanup()
        # start_worker makes its app the process-wide current app; give it back.
        project_app.set_current()
        project_app.set_default()
    results = _collect(runs)
    results["race"], results["raced"] = _race(recruiter)
    return results


def _request_everything(world, recruiter) -> dict:
    runs = {}
    for kind, fmt in CASES:
        filters = {"candidate": world.formula_candidate_id} if kind == "candidate-export" else {}
        runs[(kind, fmt)] = services.report_request(
            actor=recruiter, kind=kind, fmt=fmt, filters=filters
        ).pk
    # The same run enqueued a second time (a redelivery): one file in the end.
    runs["twice"] = runs[("aging", "csv")]
    tasks.generate_report.delay(runs["twice"])
    # A run naming a candidate who is gone fails with a message.
    failing = ReportRun.objects.create(
        kind="candidate-export",
        format="json",
        filters={"candidate": 999_999},
        requested_by=recruiter,
    )
    tasks.generate_report.delay(failing.pk)
    runs["failing"] = failing.pk
    return runs


def _collect(runs: dict) -> dict:
    results = {}
    for key, pk in runs.items():
        run = ReportRun.objects.get(pk=pk)
        content = b""
        if run.storage_name:
            with default_storage.open(run.storage_name, "rb") as handle:
                content = handle.read()
        results[key] = Outcome(run.status, run.error, run.row_count, run.attempts, content)
    results["files"] = sum(len(files) for _d, _s, files in _walk("reports"))
    return results


def _race(user) -> tuple[list[str], Outcome]:
    """Two threads claim one run at once: one generates it, the other skips."""
    # Created directly: nothing is enqueued, the worker has stopped.
    run = ReportRun.objects.create(kind="sources", format="xlsx", requested_by=user)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def race() -> None:
        try:
            start.wait(timeout=5)
            outcomes.append(services.report_generate(run.pk))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=race) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    run.refresh_from_db()
    return sorted(outcomes), Outcome(run.status, run.error, run.row_count, run.attempts, b"")


@pytest.mark.parametrize("kind, fmt", CASES)
def test_every_kind_in_every_format_is_generated_by_the_worker(outcomes, kind, fmt):
    outcome = outcomes[(kind, fmt)]
    assert (outcome.status, outcome.error) == ("succeeded", "")
    text = READERS[fmt](outcome.content)
    for expected in EXPECTED_TEXT[kind]:
        assert expected in text
    if kind == "candidate-export" and fmt in ("csv", "xlsx"):
        assert "'" + FORMULA_NAME in text


def test_a_run_enqueued_twice_is_generated_once_with_one_file(outcomes):
    twice = outcomes["twice"]
    assert (twice.status, twice.attempts) == ("succeeded", 1)
    # One file per successful run: no second file from the redelivery.
    assert outcomes["files"] == len(CASES)


def test_a_failing_run_ends_failed_with_a_message(outcomes):
    failing = outcomes["failing"]
    assert failing.status == "failed"
    assert failing.error == "Something this report names no longer exists or is hidden."
    assert failing.content == b""


def test_two_workers_racing_for_one_run_produce_one_file(outcomes):
    assert outcomes["race"] == ["skipped", "succeeded"]
    raced = outcomes["raced"]
    assert (raced.status, raced.attempts) == ("succeeded", 1)


def test_reports_are_routed_to_their_own_queue():
    from config.celery import app

    route = app.amqp.router.route({}, "reports.tasks.generate_report")
    assert route["queue"].name == "reports"
    assert app.amqp.router.route({}, "core.tasks.send_email")["queue"].name == "celery"


def _csv_text(content: bytes) -> str:
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    return "\n".join("\t".join(row) for row in rows)


def _xlsx_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content), read_only=True)
    assert book.sheetnames[0] == "Summary"
    cells = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            cells += [str(value) for value in row if value is not None]
    return "\n".join(cells)


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    # Table cells wrap: compare words, not line breaks.
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _json_text(content: bytes) -> str:
    body = json.loads(content)
    assert set(body) == {"kind", "title", "generated_at", "filters", "sections", "summary"}
    return json.dumps(body, ensure_ascii=False)


READERS = {"csv": _csv_text, "xlsx": _xlsx_text, "pdf": _pdf_text, "json": _json_text}


def _walk(folder: str):
    if not default_storage.exists(folder):
        return
    stack = [folder]
    while stack:
        current = stack.pop()
        dirs, files = default_storage.listdir(current)
        yield current, dirs, files
        stack += [f"{current}/{d}" for d in dirs]


def _static() -> dict:
    from django.conf import settings

    return settings.STORAGES["staticfiles"]


def _pk_marks() -> dict[tuple[str, str], int]:
    """The highest integer primary key of every table: what was there before."""
    marks = {}
    with connection.cursor() as cursor:
        for table, column in _integer_pk_tables():
            cursor.execute(f'SELECT COALESCE(MAX("{column}"), 0) FROM "{table}"')
            marks[(table, column)] = cursor.fetchone()[0]
    return marks


def _delete_since(marks: dict[tuple[str, str], int]) -> None:
    """Delete every row added since ``marks`` (history rows too): no flush, the seeds stay.

    One transaction: the foreign keys are deferred, so the order of tables does not matter.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        for (table, column), mark in marks.items():
            cursor.execute(f'DELETE FROM "{table}" WHERE "{column}" > %s', [mark])


def _integer_pk_tables() -> list[tuple[str, str]]:
    from django.apps import apps

    return [
        (model._meta.db_table, model._meta.pk.column)
        for model in apps.get_models(include_auto_created=True)
        if model._meta.pk.get_internal_type().endswith("AutoField")
    ]
