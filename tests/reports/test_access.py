"""Who may request, see and download reports: every role, on the API and on the pages."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import services
from reports.models import ReportDownload, ReportRun
from tests.access_events import logged
from tests.conftest import PASSWORD, api_client_for

pytestmark = pytest.mark.django_db

ROLES = (
    "admin",
    "comp_admin",
    "recruiter",
    "hiring_manager",
    "interviewer",
    "outsider",
    "anonymous",
)
REQUESTERS = ("admin", "comp_admin", "recruiter", "hiring_manager")
#: What each role gets for the recruiter's run: compensation admins see every run.
SEES_RECRUITERS_RUN = {
    "admin": 200,
    "comp_admin": 200,
    "recruiter": 200,
    "hiring_manager": 404,
    "interviewer": 403,
    "outsider": 403,
    "anonymous": 401,
}
URL = "/api/v1/reports/"


@pytest.fixture(scope="module")
def module_run(module_world, django_db_blocker, tmp_path_factory):
    """The recruiter's finished run, generated once for the module (inside its world)."""
    storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path_factory.mktemp("private"))},
    }
    with (
        django_db_blocker.unblock(),
        override_settings(STORAGES={**settings.STORAGES, "default": storage}),
    ):
        run = services.report_request(
            actor=module_world.cast["recruiter"], kind="sources", fmt="csv"
        )
        services.report_generate(run.pk)
        yield ReportRun.objects.get(pk=run.pk)


@pytest.fixture
def recruiters_run(module_run, db) -> ReportRun:
    return module_run


@pytest.fixture
def world(module_world, module_run, db):
    module_world.run = module_run
    return module_world


def page_client(client, user):
    if user is not None:
        assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.mark.parametrize("role", ROLES)
def test_requesting_a_report_through_the_api(world, role):
    response = api_client_for(world.cast[role]).post(
        URL, {"kind": "pipeline", "format": "xlsx", "filters": {}}, format="json"
    )
    if role in REQUESTERS:
        assert response.status_code == 202
        body = response.json()
        run = ReportRun.objects.latest("pk")
        assert (body["id"], body["status"], body["progress"]) == (run.pk, "queued", 0)
        assert body["url"] == f"{URL}{run.pk}/"
        assert run.requested_by == world.cast[role]
        query = "kind=pipeline format=xlsx filters={}"
        assert exports(world) == [(role, "export", "api", "report", str(run.pk), query, None)]
    else:
        assert response.status_code == (401 if role == "anonymous" else 403)
        assert set(response.json()) >= {"detail", "code", "errors"}
        assert not ReportRun.objects.exclude(pk=world.run.pk).exists()
        assert exports(world) == []


@pytest.mark.parametrize("role", ROLES)
def test_reading_the_recruiters_run_through_the_api(world, recruiters_run, role):
    response = api_client_for(world.cast[role]).get(f"{URL}{recruiters_run.pk}/")
    assert response.status_code == SEES_RECRUITERS_RUN[role]
    if response.status_code == 200:
        body = response.json()
        assert (body["status"], body["progress"], body["row_count"]) == (
            "succeeded",
            100,
            1,
        )  # every candidate came from LinkedIn
        assert body["download_url"] == f"{URL}{recruiters_run.pk}/download/"


@pytest.mark.parametrize("role", ROLES)
def test_downloading_the_recruiters_run_through_the_api(world, recruiters_run, role):
    response = api_client_for(world.cast[role]).get(f"{URL}{recruiters_run.pk}/download/")
    assert response.status_code == SEES_RECRUITERS_RUN[role]
    if response.status_code == 200:
        assert _attachment(response, recruiters_run)
        assert ReportDownload.objects.get().user == world.cast[role]
        # Also in the access log, with the file's row count.
        path, pk = f"{URL}{recruiters_run.pk}/download/", str(recruiters_run.pk)
        assert downloads() == [(role, "download", "api", "report", pk, path, 1)]
    else:
        assert response.json()["code"]
        assert not ReportDownload.objects.exists()
        assert downloads() == []


@pytest.mark.parametrize("role", ROLES)
def test_downloading_the_recruiters_run_from_the_page(world, recruiters_run, role, client):
    url = reverse("reports:download", args=[recruiters_run.pk])
    response = page_client(client, world.cast[role]).get(url)
    expected = {401: 302}.get(SEES_RECRUITERS_RUN[role], SEES_RECRUITERS_RUN[role])
    assert response.status_code == expected
    if expected == 200:
        assert _attachment(response, recruiters_run)
        assert ReportDownload.objects.get().user == world.cast[role]
        pk = str(recruiters_run.pk)
        assert downloads() == [(role, "download", "page", "report", pk, url, 1)]
    else:
        assert not ReportDownload.objects.exists()
        assert downloads() == []


@pytest.mark.parametrize("role", ROLES)
def test_the_reports_page_by_role(world, role, client):
    response = page_client(client, world.cast[role]).get(reverse("reports:index"))
    if role in REQUESTERS:
        assert response.status_code == 200
        kinds = [value for value, _label in response.context["form"].fields["kind"].choices]
        exports = role != "hiring_manager"
        assert ("candidate-export" in kinds) is exports
    else:
        assert response.status_code == (302 if role == "anonymous" else 403)


def test_a_run_not_ready_cannot_be_downloaded(world):
    run = services.report_request(actor=world.cast["recruiter"], kind="sources", fmt="csv")
    response = api_client_for(world.cast["recruiter"]).get(f"{URL}{run.pk}/download/")
    assert response.status_code == 409
    assert response.json()["detail"] == "This report is queued, not ready to download."
    assert not ReportDownload.objects.exists()


@pytest.mark.parametrize(
    "body, field",
    [
        ({"kind": "pipeline"}, "format"),
        ({"kind": "payroll", "format": "csv"}, "kind"),
        ({"kind": "pipeline", "format": "exe"}, "format"),
        ({"kind": "pipeline", "format": "csv", "filters": {"date_to": "31/12/2026"}}, "date_to"),
        ({"kind": "pipeline", "format": "csv", "filters": {"zone": -4}}, "zone"),
        ({"kind": "candidate-export", "format": "json", "filters": {}}, "candidate"),
    ],
)
def test_bad_input_answers_400_naming_the_field_and_creates_no_run(world, body, field):
    response = api_client_for(world.cast["recruiter"]).post(URL, body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not ReportRun.objects.exclude(pk=world.run.pk).exists()


def test_a_filter_naming_a_requisition_the_manager_does_not_manage_answers_400(world):
    response = api_client_for(world.cast["hiring_manager"]).post(
        URL,
        {"kind": "pipeline", "format": "csv", "filters": {"requisition": world.other.pk}},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "requisition": [f"No requisition with id {world.other.pk} that you can report on."]
    }
    assert not ReportRun.objects.exclude(pk=world.run.pk).exists()


def test_a_manager_naming_a_recruiter_answers_400(world):
    response = api_client_for(world.cast["hiring_manager"]).post(
        URL,
        {"kind": "pipeline", "format": "csv", "filters": {"recruiter": world.cast["recruiter"].pk}},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["recruiter"]


def test_the_list_shows_a_recruiter_only_their_runs_in_a_fixed_number_of_queries(world):
    def listed(count: int) -> tuple[list[int], int]:
        for _ in range(count):
            services.report_request(actor=world.cast["recruiter"], kind="aging", fmt="csv")
        client = api_client_for(world.cast["recruiter"])
        client.get(URL)  # the token row and caches
        with CaptureQueriesContext(connection) as queries:
            body = client.get(URL).json()
        return [run["requested_by"] for run in body["results"]], len(queries)

    services.report_request(actor=world.cast["other_recruiter"], kind="aging", fmt="csv")
    few, few_queries = listed(2)
    many, many_queries = listed(6)
    assert set(few) == set(many) == {"recruiter"}
    assert len(many) == 9  # with the module's own run
    assert few_queries == many_queries


def test_the_page_requests_a_run_and_shows_a_bad_date_on_its_field(world, client):
    page_client(client, world.cast["recruiter"])
    url = reverse("reports:index")
    response = client.post(url, {"kind": "aging", "format": "pdf", "date_from": "not a date"})
    assert response.status_code == 400
    assert response.context["form"].errors["date_from"] == ["Enter a valid date."]
    assert not ReportRun.objects.exclude(pk=world.run.pk).exists()
    response = client.post(url, {"kind": "aging", "format": "pdf", "track": world.track_id})
    assert response.status_code == 302
    run = ReportRun.objects.latest("pk")
    assert (run.kind, run.format, run.filters) == ("aging", "pdf", {"track": world.track_id})
    # The refused request exported nothing; the queued one is an export with its filters.
    query = f'kind=aging format=pdf filters={{"track": {world.track_id}}}'
    assert exports(world) == [("recruiter", "export", "page", "report", str(run.pk), query, None)]


def test_a_failed_run_shows_its_error_and_a_retry_queues_a_new_run(world, client):
    run = services.report_request(actor=world.cast["recruiter"], kind="aging", fmt="csv")
    ReportRun.objects.filter(pk=run.pk).update(status="failed", error="The disk is full.")
    page_client(client, world.cast["recruiter"])
    page = client.get(reverse("reports:index")).content.decode()
    assert "The disk is full." in page
    assert "static/js/reports.js" in page or "/js/reports.js" in page
    response = client.post(reverse("reports:retry", args=[run.pk]))
    assert response.status_code == 302
    again = ReportRun.objects.get(retry_of=run, status="queued")
    # The first request came from no page (the worker channel), the retry from the page.
    assert [(e[2], e[4]) for e in exports(world)] == [
        ("worker", str(run.pk)),
        ("page", str(again.pk)),
    ]


@pytest.mark.parametrize(
    "role, shown", [("recruiter", True), ("hiring_manager", True), ("interviewer", False)]
)
def test_the_dashboard_draws_the_funnel_for_those_who_report(world, role, client, shown):
    page = page_client(client, world.cast[role]).get(reverse("hiring:dashboard")).content.decode()
    assert ('id="pipeline-charts"' in page) is shown
    if shown:
        assert "<svg" in page and "Funnel: applications that reached each stage" in page


@pytest.mark.parametrize(
    "role, requisition, shown",
    [("hiring_manager", "mine", True), ("recruiter", "other", True), ("comp_admin", "mine", True)],
)
def test_the_requisition_page_draws_its_funnel_and_days_in_stage(
    world, role, requisition, shown, client
):
    target = getattr(world, requisition)
    url = reverse("hiring:requisition-detail", args=[target.pk])
    page = page_client(client, world.cast[role]).get(url).content.decode()
    assert ('id="requisition-charts"' in page) is shown
    assert "Median days in each stage" in page
    assert 'aria-label="Funnel: applications that reached each stage: Sourced: 0; Applied: ' in page


def _attachment(response, run) -> bool:
    disposition = response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    return (
        disposition.startswith("attachment; filename=")
        and f"report-{run.pk}-sources-" in disposition
        and response["X-Content-Type-Options"] == "nosniff"
        and content.startswith(b"\xef\xbb\xbf")
    )


def exports(world) -> list[tuple]:
    """The access log's export events, without the module run's (made before each test)."""
    return [e for e in logged() if e[1] == "export" and e[4] != str(world.run.pk)]


def downloads() -> list[tuple]:
    return [e for e in logged() if e[1] == "download"]
