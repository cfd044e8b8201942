"""docker-compose.yml and the Dockerfile point at real code (no Docker engine needed)."""

import importlib
import shlex

import pytest
import yaml
from django.conf import settings
from django.core.management import get_commands

LONG_RUNNING = ("web", "worker", "beat", "db", "redis")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text())


def command_of(service: dict) -> list[str]:
    command = service["command"]
    if isinstance(command, str):
        return shlex.split(command)
    if command[:2] == ["sh", "-c"]:
        return shlex.split(command[2])
    return command


def manage_commands(words: list[str]) -> list[str]:
    return [words[i + 1] for i, word in enumerate(words) if word == "manage.py"]


def test_the_stack_has_web_worker_beat_postgresql_and_redis(compose):
    services = compose["services"]

    assert set(LONG_RUNNING) <= set(services)
    assert services["db"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"


def test_web_runs_gunicorn_on_the_real_wsgi_application(compose):
    words = command_of(compose["services"]["web"])
    module_name, attribute = words[1].split(":")

    assert words[0] == "gunicorn"
    assert callable(getattr(importlib.import_module(module_name), attribute))


@pytest.mark.parametrize("service, role", [("worker", "worker"), ("beat", "beat")])
def test_worker_and_beat_run_the_project_celery_app(compose, service, role):
    words = command_of(compose["services"][service])
    app_module = words[words.index("-A") + 1]

    assert words[0] == "celery"
    assert role in words
    assert importlib.import_module(app_module).celery_app.main == "hiring"


def test_every_manage_py_command_in_compose_exists(compose):
    named = [
        name
        for service in compose["services"].values()
        if "command" in service
        for name in manage_commands(command_of(service))
    ]
    named += manage_commands(compose["services"]["beat"]["healthcheck"]["test"])

    assert named == ["migrate", "load_guide", "check_heartbeat"]
    assert set(named) <= set(get_commands())


@pytest.mark.parametrize("name", LONG_RUNNING)
def test_every_long_running_service_has_a_health_check(compose, name):
    healthcheck = compose["services"][name]["healthcheck"]

    assert healthcheck["test"][0] in {"CMD", "CMD-SHELL"}
    assert healthcheck["interval"]
    assert healthcheck["retries"] >= 3


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_app_services_wait_for_healthy_services_and_the_migration(compose, name):
    depends_on = compose["services"][name]["depends_on"]

    assert depends_on == {
        "db": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
        "migrate": {"condition": "service_completed_successfully"},
    }


def test_migrate_runs_once_after_the_database_is_healthy(compose):
    migrate = compose["services"]["migrate"]

    assert migrate["restart"] == "no"
    assert migrate["depends_on"] == {"db": {"condition": "service_healthy"}}


@pytest.mark.parametrize("name", ["migrate", "web", "worker", "beat"])
def test_app_services_get_production_settings_and_the_services(compose, name):
    env = compose["services"][name]["environment"]

    assert env["DJANGO_ENV"] == "production"
    assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")
    assert env["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in env["DATABASE_URL"]
    assert env["CELERY_BROKER_URL"] == "redis://redis:6379/0"
    assert "ALLOWED_HOSTS" in env
    assert "CSRF_TRUSTED_ORIGINS" in env


def test_web_and_worker_share_the_private_documents_volume(compose):
    services = compose["services"]

    assert "private:/app/var/private" in services["web"]["volumes"]
    assert "private:/app/var/private" in services["worker"]["volumes"]
    assert "private" in compose["volumes"]


def test_dockerfile_is_slim_non_root_and_installs_with_the_lock():
    lines = (settings.BASE_DIR / "Dockerfile").read_text().splitlines()
    instructions = [line.split()[0] for line in lines if line and not line.startswith((" ", "#"))]

    assert "FROM python:3.11-slim" in lines
    assert "RUN pip install --constraint requirements.lock ." in lines
    assert "USER app" in lines
    assert instructions[-3:] == ["USER", "EXPOSE", "CMD"]
