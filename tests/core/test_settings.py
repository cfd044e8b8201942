"""Settings are read from the environment: each case reads the settings file again under an
environment of its own (a refused environment raises while the file is read, which is what
stops ``manage.py`` and every server from starting), and the cases that start Django
(``check --deploy``) run ``manage.py`` in a fresh process."""

import importlib.util
import json
import os
import secrets
import subprocess
import sys
from types import ModuleType
from unittest import mock

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MANAGE = str(settings.BASE_DIR / "manage.py")
SETTINGS_FILE = settings.BASE_DIR / "config" / "settings.py"
SERVICE_VARIABLES = (
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "SECRET_KEY",
    "DJANGO_ENV",
    "DEBUG",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_SSL_REDIRECT",
    "VAR_DIR",
    # Set by the browser tests in this process (Playwright's loop): not a deployment's.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "CACHE_URL",
    "CACHE_DIR",
)


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
    return subprocess.run(
        [sys.executable, MANAGE, *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.BASE_DIR,
    )


def load_settings(**env: str) -> ModuleType:
    """The settings module as a fresh process reads it with ``env`` (and none of this test
    process's service variables): ``config/settings.py`` run again, in a module of its own,
    with that environment in place. Only the settings file is read again; starting Django
    (``manage.py check``) needs a process of its own (``run_manage``)."""
    base = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
    spec = importlib.util.spec_from_file_location("settings_under_test", SETTINGS_FILE)
    module = importlib.util.module_from_spec(spec)
    with mock.patch.dict(os.environ, {**base, **env}, clear=True):
        spec.loader.exec_module(module)
    return module


def as_json(value):
    """``value`` as JSON would carry it (tuples become lists, durations need converting)."""
    return json.loads(json.dumps(value))


def production_env(tmp_path) -> dict:
    return {
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "example.com",
        "VAR_DIR": str(tmp_path),
    }


def settings_as_json(tmp_path, **env) -> dict:
    s = load_settings(VAR_DIR=str(tmp_path), **env)
    return as_json(
        {
            "db": s.DATABASES["default"]["ENGINE"],
            "db_name": str(s.DATABASES["default"]["NAME"]),
            "broker": s.CELERY_BROKER_URL,
            "options": s.CELERY_BROKER_TRANSPORT_OPTIONS,
            "debug": s.DEBUG,
            "hosts": s.ALLOWED_HOSTS,
            "csrf": s.CSRF_TRUSTED_ORIGINS,
        }
    )


def test_production_refuses_to_start_without_secret_key(tmp_path):
    with pytest.raises(ImproperlyConfigured, match=r"^SECRET_KEY must be set when DJANGO_ENV"):
        load_settings(DJANGO_ENV="production", VAR_DIR=str(tmp_path))


def test_production_refuses_a_secret_key_shorter_than_50_characters(tmp_path):
    with pytest.raises(
        ImproperlyConfigured, match="SECRET_KEY must be at least 50 characters"
    ) as e:
        load_settings(**{**production_env(tmp_path), "SECRET_KEY": "x" * 49})

    assert "(it has 49)" in str(e.value)


def test_sign_in_settings_come_from_the_environment(tmp_path):
    def sign_in(s) -> dict:
        return as_json(
            {
                "2fa": s.REQUIRE_2FA_FOR_ADMINS, "idle": s.SESSION_IDLE_SECONDS,
                "max": s.SESSION_MAX_SECONDS, "cookie": s.SESSION_COOKIE_AGE,
                "failures": s.AXES_FAILURE_LIMIT,
                "cool_off": s.AXES_COOLOFF_TIME.total_seconds(),
                "per": s.AXES_LOCKOUT_PARAMETERS,
            }
        )  # fmt: skip

    production = load_settings(**production_env(tmp_path))
    configured = load_settings(
        VAR_DIR=str(tmp_path),
        REQUIRE_2FA_FOR_ADMINS="on",
        SESSION_IDLE_SECONDS="600",
        SESSION_MAX_SECONDS="3600",
        AXES_FAILURE_LIMIT="3",
        AXES_COOLOFF_MINUTES="30",
    )

    per = [["username", "ip_address"]]
    assert sign_in(production) == {
        "2fa": True, "idle": 7200, "max": 43200, "cookie": 43200, "failures": 5,
        "cool_off": 900.0, "per": per,
    }  # fmt: skip
    assert sign_in(configured) == {
        "2fa": True, "idle": 600, "max": 3600, "cookie": 3600, "failures": 3,
        "cool_off": 1800.0, "per": per,
    }  # fmt: skip


def test_unknown_django_env_is_refused(tmp_path):
    with pytest.raises(ImproperlyConfigured, match=r"^DJANGO_ENV must be 'development' or 'prod"):
        load_settings(DJANGO_ENV="staging", VAR_DIR=str(tmp_path))


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **production_env(tmp_path))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_development_check_deploy_does_warn_so_the_test_above_means_something(tmp_path):
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", VAR_DIR=str(tmp_path))

    assert result.returncode != 0
    assert "security.W018" in result.stderr  # DEBUG on


def test_defaults_are_sqlite_and_the_filesystem_broker_under_var(tmp_path):
    values = settings_as_json(tmp_path)

    assert values["db"] == "django.db.backends.sqlite3"
    assert values["db_name"] == str(tmp_path / "db.sqlite3")
    assert values["broker"] == "filesystem://"
    assert values["options"]["data_folder_in"] == str(tmp_path / "broker" / "out")
    assert values["options"]["control_folder"] == str(tmp_path / "broker" / "control")
    assert values["debug"] is True


def test_var_folders_are_created_at_startup(tmp_path):
    var = tmp_path / "fresh"

    settings_as_json(var)

    assert (var / "broker" / "out").is_dir()
    assert (var / "broker" / "control").is_dir()
    assert (var / "private").is_dir()


def test_service_urls_come_from_the_environment(tmp_path):
    values = settings_as_json(
        tmp_path,
        DATABASE_URL="postgres://app:pw@db.internal:5432/hiring",
        CELERY_BROKER_URL="redis://redis.internal:6379/0",
        ALLOWED_HOSTS="hiring.example.com, www.example.com",
        CSRF_TRUSTED_ORIGINS="https://hiring.example.com",
        DEBUG="false",
    )

    assert values["db"] == "django.db.backends.postgresql"
    assert values["db_name"] == "hiring"
    assert values["broker"] == "redis://redis.internal:6379/0"
    assert values["options"] == {"visibility_timeout": 3600}
    assert values["hosts"] == ["hiring.example.com", "www.example.com"]
    assert values["csrf"] == ["https://hiring.example.com"]
    assert values["debug"] is False


def test_the_cache_is_files_by_default_and_redis_when_configured_never_process_memory(tmp_path):
    """The throttle counters live there: every process must see the same counts."""
    default = load_settings(VAR_DIR=str(tmp_path)).CACHES["default"]
    redis = load_settings(VAR_DIR=str(tmp_path), CACHE_URL="redis://cache:6379/1").CACHES["default"]

    assert as_json(default) == {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(tmp_path / "cache"),
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
    assert as_json(redis) == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache:6379/1",
    }
