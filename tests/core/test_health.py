import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_broker_and_live_worker(client, live_worker, broker):
    _, hostname = live_worker

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


def test_healthz_is_degraded_when_no_worker_answers(client, settings, tmp_path):
    from tests.core.conftest import _filesystem_options

    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = _filesystem_options(tmp_path / "idle")

    response = client.get("/healthz")

    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "degraded"
    assert body["database"]["ok"] is True
    assert body["broker"] == {"ok": True, "transport": "filesystem", "workers": []}
    assert body["worker"] == {"ok": False, "count": 0}


def test_healthz_is_degraded_when_broker_is_unreachable(client, settings):
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
