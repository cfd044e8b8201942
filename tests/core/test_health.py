import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_broker_and_live_worker(client, admin_user, live_worker, broker):
    _, hostname = live_worker
    client.force_login(admin_user)

    response = client.get("/healthz")

    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["database"] == {"ok": True, "vendor": body["database"]["vendor"]}
    assert body["database"]["vendor"] in {"sqlite", "postgresql"}
    assert body["broker"]["ok"] is True
    assert body["broker"]["transport"] == broker
    assert hostname in body["broker"]["workers"]
    assert body["worker"]["ok"] is True


def test_healthz_is_degraded_when_no_worker_answers(client, comp_admin, settings, tmp_path):
    from tests.core.conftest import _filesystem_options

    client.force_login(comp_admin)  # staff: the details
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = _filesystem_options(tmp_path / "idle")

    response = client.get("/healthz")

    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "degraded"
    assert body["database"]["ok"] is True
    assert body["broker"] == {"ok": True, "transport": "filesystem", "workers": []}
    assert body["worker"] == {"ok": False, "count": 0}


def test_healthz_is_degraded_when_broker_is_unreachable(client, admin_user, settings):
    client.force_login(admin_user)
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}

    response = client.get("/healthz")

    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "degraded"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is False
    assert body["broker"]["transport"] == "redis"
    assert body["broker"]["workers"] == []
    assert body["broker"]["error"]
    assert body["worker"] == {"ok": False, "count": 0}


def test_healthz_needs_no_sign_in_and_is_never_cached(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]


def test_healthz_refuses_post(client):
    response = client.post("/healthz")

    assert response.status_code == 405


HEALTHY = {
    "status": "ok",
    "database": {"ok": True, "vendor": "postgresql"},
    "broker": {"ok": True, "transport": "redis", "workers": ["celery@web-7f9c"]},
    "worker": {"ok": True, "count": 1},
}


@pytest.mark.parametrize("who", [None, "recruiter", "hiring_manager"])
def test_healthz_gives_anonymous_and_non_staff_callers_the_status_only(
    client, who, request, monkeypatch
):
    monkeypatch.setattr("core.views.overall_status", lambda: (True, dict(HEALTHY)))
    if who:
        client.force_login(request.getfixturevalue(who))

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}  # no host names, vendors or transports


def test_healthz_gives_staff_the_details(client, comp_admin, monkeypatch):
    monkeypatch.setattr("core.views.overall_status", lambda: (True, dict(HEALTHY)))
    client.force_login(comp_admin)

    assert client.get("/healthz").json() == HEALTHY


def test_healthz_status_only_when_degraded(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "degraded"}
