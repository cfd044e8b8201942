"""Generating reports in process: contents per kind, the claim, failures, safety, expiry."""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import json
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone
from openpyxl import load_workbook

from core.errors import DomainError, PermissionDenied
from core.models import AccessEvent, OutboundEmail
from reports import liveness, services
from reports.kinds import EMPTY_NOTE, neutralise
from reports.models import DigestSchedule, ReportDownload, ReportRun
from tests.conftest import wait_for
from tests.reports.world import FORMULA_NAME

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _storage(private_storage):
    return private_storage


def generated(user, kind, fmt, filters=None) -> tuple[ReportRun, bytes]:
    run = services.report_request(actor=user, kind=kind, fmt=fmt, filters=filters or {})
    assert services.report_generate(run.pk) == "succeeded"
    run.refresh_from_db()
    with default_storage.open(run.storage_name, "rb") as handle:
        return run, handle.read()


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def section(rows: list[list[str]], title: str) -> list[list[str]]:
    """The header and data rows of one CSV section."""
    start = rows.index([title]) + 1
    end = next((i for i in range(start, len(rows)) if not rows[i]), len(rows))
    return rows[start:end]


def test_pipeline_csv_counts_stages_per_requisition_and_overall(world):
    run, content = generated(world.cast["recruiter"], "pipeline", "csv")
    rows = csv_rows(content)
    table = section(rows, "Requisitions")
    header, data = table[0], table[1:]
    by_title = {row[1]: dict(zip(header, row, strict=True)) for row in data}
    mine = by_title["Senior AI engineer"]
    assert mine["Applications"] == "6"
    assert mine["Reached applied"] == "6"
    assert mine["Reached hired"] == "1"
    assert mine["Now in rejected"] == "1"
    assert mine["Applied to screen conversion"] == "0.8333"  # all but the applied one
    assert mine["Median days to hire"] == "0.1"  # the bulk moves are an hour apart
    overall = {row[0]: row for row in section(rows, "Overall by stage")[1:]}
    assert overall["Applied"][1:3] == ["10", "2"]
    assert run.row_count == 2 + 8
    assert run.progress == 100


def test_a_hiring_managers_pipeline_covers_only_their_requisitions(world):
    _run, content = generated(world.cast["hiring_manager"], "pipeline", "csv")
    titles = [row[1] for row in section(csv_rows(content), "Requisitions")[1:]]
    assert titles == ["Senior AI engineer"]


def test_offers_xlsx_has_typed_cells_a_frozen_header_and_one_sheet_per_section(world):
    _run, content = generated(world.cast["comp_admin"], "offers", "xlsx")
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Summary", "Offers", "Acceptance"]
    sheet = book["Offers"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    offers = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    assert len(offers) == 4
    declined = max(offers, key=lambda o: o["Base"])
    assert declined["Base"] == 240000
    assert declined["Compa-ratio"] == pytest.approx(1.37)
    assert declined["Position in band"] == pytest.approx(1.8)
    assert declined["Inside band"] == "no"
    assert declined["Approved outside band"] == "yes"
    assert declined["Premiums applied"] == "zone +5.0%"
    assert isinstance(declined["Created"], datetime.datetime)
    acceptance = {(r[0], r[1]): r for r in list(book["Acceptance"].iter_rows(values_only=True))[1:]}
    assert acceptance[("Level", "L3")][2:] == (4, 2, 2, pytest.approx(0.5), 2)


def test_formulas_are_neutralised_in_csv_and_xlsx(world):
    filters = {"candidate": world.formula_candidate_id}
    _run, content = generated(world.cast["recruiter"], "candidate-export", "csv", filters)
    profile = dict(section(csv_rows(content), "Profile")[1:])
    assert profile["Full name"] == "'" + FORMULA_NAME
    _run, content = generated(world.cast["recruiter"], "candidate-export", "xlsx", filters)
    cells = [
        c
        for row in load_workbook(io.BytesIO(content))["Profile"].iter_rows(values_only=True)
        for c in row
    ]
    assert "'" + FORMULA_NAME in cells
    assert FORMULA_NAME not in cells


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_neutralise_prefixes_every_formula_start(value):
    assert neutralise(value) == "'" + value
    assert neutralise("plain") == "plain"
    assert neutralise(-1) == -1


def test_an_empty_report_is_a_valid_file_that_says_so(world):
    filters = {"date_from": "2001-01-01", "date_to": "2001-01-02"}
    _run, content = generated(world.cast["recruiter"], "sources", "csv", filters)
    assert [EMPTY_NOTE] in csv_rows(content)
    _run, content = generated(world.cast["recruiter"], "pipeline", "json", filters)
    body = json.loads(content)
    assert body["sections"][0]["rows"] == []
    assert body["sections"][0]["note"] == EMPTY_NOTE


def test_a_run_claimed_twice_is_generated_once(world):
    run = services.report_request(actor=world.cast["recruiter"], kind="aging", fmt="csv")
    assert services.report_generate(run.pk) == "succeeded"
    assert services.report_generate(run.pk) == "skipped"
    run.refresh_from_db()
    assert (run.status, run.attempts) == ("succeeded", 1)
    assert len(default_storage.listdir("reports")[0]) == 1


def test_a_stale_running_run_is_taken_over(world):
    run = services.report_request(actor=world.cast["recruiter"], kind="aging", fmt="csv")
    long_ago = timezone.now() - services.STALE_CLAIM - datetime.timedelta(seconds=1)
    ReportRun.objects.filter(pk=run.pk).update(status="running", started_at=long_ago, attempts=1)
    assert services.report_generate(run.pk) == "succeeded"
    run.refresh_from_db()
    assert run.attempts == 2
    fresh = services.report_request(actor=world.cast["recruiter"], kind="aging", fmt="csv")
    ReportRun.objects.filter(pk=fresh.pk).update(status="running", started_at=timezone.now())
    with held_by_a_live_worker(fresh.pk):  # on SQLite the claim's age alone decides
        assert services.report_generate(fresh.pk) == "skipped"


def test_a_running_run_whose_worker_died_is_taken_over_at_once(world, require_postgres):
    """Nobody holds its liveness lock: the worker that claimed it a moment ago is gone."""
    run = services.report_request(actor=world.cast["recruiter"], kind="aging", fmt="csv")
    ReportRun.objects.filter(pk=run.pk).update(
        status="running", started_at=timezone.now(), attempts=1
    )
    with held_by_a_live_worker(run.pk):
        assert services.reports_sweep()["requeued"] == 0
    assert services.reports_sweep()["requeued"] == 1
    assert services.report_generate(run.pk) == "succeeded"
    run.refresh_from_db()
    assert (run.status, run.attempts) == ("succeeded", 2)


@contextlib.contextmanager
def held_by_a_live_worker(run_id: int):
    """Another connection (a live worker's) holds the run's liveness lock meanwhile; at the
    end that worker dies: its connection closes, and the lock goes with its session."""
    if connection.vendor != "postgresql":
        yield
        return
    import psycopg

    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(%s, %s)", [liveness.NAMESPACE, run_id])
        yield
    # The server ends a closed connection's session, and releases its locks, a moment after
    # the client has gone (the sweep, minutes later, never sees the gap; a test asking at
    # once can, on a busy machine): wait for the release, as the sweep would.
    released = wait_for(lambda: run_id not in liveness.held_run_ids(), 10, every=0.01)
    assert released, "the closed connection's lock was never released"


def test_a_failing_run_ends_failed_with_a_readable_message_and_retry_is_a_new_run(world):
    run = services.report_request(actor=world.cast["recruiter"], kind="sources", fmt="pdf")
    with mock.patch("reports.services.write", side_effect=ValueError("boom")):
        assert services.report_generate(run.pk) == "failed"
    run.refresh_from_db()
    assert run.status == "failed"
    assert run.error.startswith("The report could not be generated (ValueError).")
    assert run.storage_name == ""
    again = services.report_retry(actor=world.cast["recruiter"], run=run)
    assert (again.status, again.retry_of_id, again.kind) == ("queued", run.pk, "sources")


def test_the_band_review_marks_old_requisitions_and_compensation_declines(world):
    _run, content = generated(world.cast["comp_admin"], "aging", "csv")
    table = section(csv_rows(content), "Open requisitions")
    marked = {row[1]: (row[-2], row[-1]) for row in table[1:]}
    assert marked == {"Senior AI engineer": ("2", "yes"), "Hidden requisition": ("0", "no")}


def test_the_candidate_export_holds_everything_about_one_person(world):
    filters = {"candidate": world.formula_candidate_id}
    _run, content = generated(world.cast["comp_admin"], "candidate-export", "json", filters)
    body = json.loads(content)
    titles = [s["title"] for s in body["sections"]]
    assert titles == [
        "Profile",
        "Skills and certifications",
        "Documents",
        "Applications",
        "Stage history",
        "Interviews",
        "Scorecards",
        "Offers",
    ]
    applications = body["sections"][3]["rows"]
    assert [row[1] for row in applications] == ["Senior AI engineer"]


@pytest.mark.parametrize(
    "kind, fmt, filters, field",
    [
        ("nope", "csv", {}, "kind"),
        ("pipeline", "docx", {}, "format"),
        ("pipeline", "csv", {"date_from": "yesterday"}, "date_from"),
        ("pipeline", "csv", {"date_from": "2026-02-02", "date_to": "2026-01-01"}, "date_to"),
        ("pipeline", "csv", {"colour": "red"}, "colour"),
        ("pipeline", "csv", {"requisition": "abc"}, "requisition"),
        ("pipeline", "csv", {"track": 999999}, "track"),
        ("pipeline", "csv", "not an object", "filters"),
    ],
)
def test_bad_input_names_the_field_and_creates_no_run(world, kind, fmt, filters, field):
    with pytest.raises(DomainError) as info:
        services.report_request(actor=world.cast["recruiter"], kind=kind, fmt=fmt, filters=filters)
    assert field in info.value.errors
    assert not ReportRun.objects.exists()


def test_a_filter_naming_a_requisition_the_manager_may_not_see_is_refused(world):
    with pytest.raises(DomainError) as info:
        services.report_request(
            actor=world.cast["hiring_manager"],
            kind="pipeline",
            fmt="csv",
            filters={"requisition": world.other.pk},
        )
    assert info.value.status_code == 400
    assert list(info.value.errors) == ["requisition"]
    assert not ReportRun.objects.exists()


@pytest.mark.parametrize("role", ["interviewer", "outsider"])
def test_interviewers_and_users_in_no_group_may_not_request(world, role):
    with pytest.raises(PermissionDenied):
        services.report_request(actor=world.cast[role], kind="pipeline", fmt="csv")
    assert not ReportRun.objects.exists()


def test_a_manager_may_not_export_a_candidate(world):
    with pytest.raises(PermissionDenied):
        services.report_request(
            actor=world.cast["hiring_manager"],
            kind="candidate-export",
            fmt="json",
            filters={"candidate": world.formula_candidate_id},
        )


def test_expired_files_are_deleted_and_the_run_remembers(world):
    run, _content = generated(world.cast["recruiter"], "sources", "csv")
    name = run.storage_name
    assert services.reports_delete_expired(now=run.expires_at - datetime.timedelta(seconds=1)) == 0
    assert services.reports_delete_expired(now=run.expires_at + datetime.timedelta(seconds=1)) == 1
    run.refresh_from_db()
    assert (run.storage_name, run.file_deleted_at is not None) == ("", True)
    assert not default_storage.exists(name)


def test_downloading_records_who_when_and_which_run(world):
    run, _content = generated(world.cast["recruiter"], "sources", "csv")
    handle, filename, content_type = services.report_open_for_download(
        run=run, actor=world.cast["recruiter"]
    )
    handle.close()
    assert filename == f"report-{run.pk}-sources-{timezone.localdate().isoformat()}.csv"
    assert content_type == "text/csv; charset=utf-8"
    download = ReportDownload.objects.get()
    assert (download.run, download.user) == (run, world.cast["recruiter"])
    event = AccessEvent.objects.get(action="download")
    assert (event.actor, event.object_type, event.object_id, event.row_count) == (
        world.cast["recruiter"],
        "report",
        str(run.pk),
        run.row_count,
    )


def test_the_weekly_digests_go_out_once_on_their_day(world):
    DigestSchedule.objects.update(format="csv")
    monday_8am = timezone.make_aware(datetime.datetime(2026, 11, 30, 8, 0))
    assert services.digests_send_due(now=monday_8am) == ["band_review", "pipeline"]
    assert services.digests_send_due(now=monday_8am) == []
    recruiters = {"recruiter", "other_recruiter"}
    runs = ReportRun.objects.filter(kind="pipeline", notify=True)
    assert {r.requested_by.username for r in runs} == recruiters
    assert {r.filters["recruiter"] for r in runs} == {world.cast[n].pk for n in recruiters}
    email = OutboundEmail.objects.get(subject__startswith="Band review digest")
    assert email.subject == "Band review digest: 1 requisitions"
    assert "Senior AI engineer" in email.body
    # The pipeline digest mails each recruiter a link once their report is ready.
    run = runs.get(requested_by=world.cast["recruiter"])
    assert services.report_generate(run.pk) == "succeeded"
    ready = OutboundEmail.objects.get(subject="Your pipeline report is ready")
    assert f"/reports/{run.pk}/download/" in ready.body


def test_a_disabled_or_later_digest_does_not_go_out(world):
    DigestSchedule.objects.update(enabled=False)
    monday_8am = timezone.make_aware(datetime.datetime(2026, 11, 30, 8, 0))
    assert services.digests_send_due(now=monday_8am) == []
    DigestSchedule.objects.update(enabled=True, hour=9)
    assert services.digests_send_due(now=monday_8am) == []


def test_the_sweep_requeues_lost_runs_and_fails_those_out_of_attempts(
    world, django_capture_on_commit_callbacks
):
    user = world.cast["recruiter"]
    now = timezone.now()
    lost = ReportRun.objects.create(kind="aging", format="csv", requested_by=user)
    ReportRun.objects.filter(pk=lost.pk).update(created_at=now - datetime.timedelta(hours=1))
    dead = ReportRun.objects.create(
        kind="aging",
        format="csv",
        requested_by=user,
        status="running",
        started_at=now - datetime.timedelta(hours=1),
        attempts=services.MAX_ATTEMPTS,
    )
    with django_capture_on_commit_callbacks() as callbacks:
        assert services.reports_sweep(now=now) == {"deleted": 0, "requeued": 1}
    assert len(callbacks) == 1
    dead.refresh_from_db()
    assert dead.status == "failed"
    assert dead.error == "The worker was lost on every attempt; the report may be too large."


def test_only_compensation_admins_edit_digest_schedules_and_the_edit_is_recorded(world):
    schedule = DigestSchedule.objects.get(digest="pipeline")
    schedule.hour = 9
    with pytest.raises(PermissionDenied):
        services.digest_schedule_save(schedule=schedule, actor=world.cast["recruiter"])
    assert DigestSchedule.objects.get(pk=schedule.pk).hour == 7
    services.digest_schedule_save(schedule=schedule, actor=world.cast["comp_admin"])
    saved = DigestSchedule.objects.get(pk=schedule.pk)
    assert (saved.hour, saved.updated_by) == (9, world.cast["comp_admin"])
