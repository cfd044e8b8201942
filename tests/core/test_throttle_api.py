"""API throttling: per user, per address for anonymous callers, a stricter rate on the token
endpoint, counted in the cache every process shares; over a rate, a 429 with Retry-After."""

import os
import subprocess
import sys
import time
import uuid
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from rest_framework.test import APIClient

from config.settings import env_rate
from core import throttle
from core.api_throttling import parse_rate
from tests.conftest import PASSWORD, api_client_for

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
ME_URL = "/api/v1/auth/me/"
#: 30 s into a minute: the window ends in 30 s.
NOW = 1_800_000_000.0 + 30


def rates(settings, **scopes) -> None:
    settings.API_THROTTLE_RATES = {"user": "1000/day", "anon": "1000/day", "token": "1000/day"}
    settings.API_THROTTLE_RATES.update(scopes)


def throttled(response, retry_after: int) -> bool:
    return (
        response.status_code == 429
        and response["Retry-After"] == str(retry_after)
        and response.json()
        == {
            "detail": f"Request was throttled. Expected available in {retry_after} seconds.",
            "code": "throttled",
            "errors": {},
        }
    )


@mock.patch("core.throttle.time.time", return_value=NOW)
def test_a_signed_in_user_over_the_rate_gets_429_until_the_window_ends(
    clock, settings, recruiter, outsider
):
    rates(settings, user="2/minute")
    client = api_client_for(recruiter)

    statuses = [client.get(ME_URL).status_code for _ in range(2)]
    response = client.get(ME_URL)

    assert statuses == [200, 200]
    assert throttled(response, retry_after=30)
    assert api_client_for(outsider).get(ME_URL).status_code == 200  # per user
    clock.return_value = NOW + 30  # the next window
    assert client.get(ME_URL).status_code == 200


@mock.patch("core.throttle.time.time", return_value=NOW)
def test_anonymous_callers_are_counted_per_address_never_per_forwarded_header(clock, settings):
    rates(settings, anon="2/hour")
    here, there = APIClient(REMOTE_ADDR="198.51.100.7"), APIClient(REMOTE_ADDR="198.51.100.8")

    statuses = [here.post(TOKEN_URL, {}).status_code for _ in range(2)]
    spoofed = here.post(TOKEN_URL, {}, HTTP_X_FORWARDED_FOR="203.0.113.99")

    assert statuses == [400, 400]
    assert throttled(spoofed, retry_after=3600 - 30)
    assert there.post(TOKEN_URL, {}).status_code == 400


@mock.patch("core.throttle.time.time", return_value=NOW)
def test_the_token_endpoint_has_its_own_stricter_rate(clock, settings, recruiter):
    rates(settings, token="1/minute")
    client = APIClient()
    credentials = {"username": "recruiter", "password": PASSWORD}

    first = client.post(TOKEN_URL, credentials)
    second = client.post(TOKEN_URL, credentials)  # even with the right password

    assert first.status_code == 200
    assert throttled(second, retry_after=30)
    assert api_client_for(recruiter).get(ME_URL).status_code == 200  # the rest of the API


@pytest.mark.parametrize("rate", ["lots", "10", "10/fortnight", "/minute", "ten/minute"])
def test_a_malformed_rate_refuses_to_start(monkeypatch, rate):
    monkeypatch.setenv("API_THROTTLE_USER", rate)

    with pytest.raises(ImproperlyConfigured, match="API_THROTTLE_USER must look like"):
        env_rate("API_THROTTLE_USER", "300/minute")


def test_the_default_rates_are_per_minute(monkeypatch):
    monkeypatch.delenv("API_THROTTLE_TOKEN", raising=False)

    assert env_rate("API_THROTTLE_TOKEN", "10/minute") == "10/minute"
    assert parse_rate("10/minute") == (10, 60)
    assert parse_rate("2/day") == (2, 86400)


def test_with_the_cache_unreachable_requests_are_served_uncounted_never_a_500(settings, recruiter):
    """Redis (the shared cache) down must not take the API down with it: the rates go
    uncounted meanwhile (tests/reliability stops a real Redis under two web servers)."""
    import redis

    rates(settings, user="1/minute")
    client = api_client_for(recruiter)
    # The warning is watched at the logger itself: a live Celery worker earlier in the same
    # test process may have reset the root logger's level and handlers, which caplog reads.
    with (
        mock.patch.object(throttle.cache, "add", side_effect=redis.ConnectionError("down")),
        mock.patch.object(throttle.logger, "warning", wraps=throttle.logger.warning) as warned,
    ):
        statuses = [client.get(ME_URL).status_code for _ in range(3)]

    assert statuses == [200, 200, 200]
    assert warned.call_count == 3
    assert warned.call_args.args[0].startswith("Throttle counters unavailable (cache unreachable)")


@pytest.mark.redis
def test_the_rate_is_shared_with_another_process_through_redis(settings, require_redis):
    """Another process spends the address's allowance; this one is then refused."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": require_redis,
        }
    }
    rates(settings, anon="3/day")
    address = f"test-{uuid.uuid4().hex}"  # a counter no other run shares
    script = (
        "from django.test import Client; "
        f"client = Client(REMOTE_ADDR={address!r}); "
        f"print(*[client.post({TOKEN_URL!r}, {{}}).status_code for _ in range(3)])"
    )
    env = {
        "CACHE_URL": require_redis,
        "API_THROTTLE_ANON": "3/day",
        "API_THROTTLE_TOKEN": "1000/day",
    }

    try:
        other = subprocess.run(
            [sys.executable, "manage.py", "shell", "--verbosity", "0", "-c", script],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=120,
            cwd=django_settings.BASE_DIR,
        )
        response = APIClient(REMOTE_ADDR=address).post(TOKEN_URL, {})
    finally:  # the shared Redis keeps nothing of this run
        day = int(time.time() // 86400)
        cache.delete_many(
            [f"{throttle._name(scope, address)}:{day}" for scope in ("anon", "token")]
        )

    assert other.stdout.split() == ["400", "400", "400"], other.stderr
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 86400


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "6.6.6.6", "10.0.0.1"),  # no proxy trusted: the peer, whatever the header says
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # what our proxy saw, not the client's claim
        (2, "6.6.6.6, 203.0.113.9, 10.1.1.1", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.1"),  # fewer entries than proxies: the peer
    ],
)
def test_one_client_address_for_every_check_behind_trusted_proxies(
    settings, proxies, forwarded, expected
):
    from django.test import RequestFactory

    from accounts.lockout import client_ip
    from core.throttle import client_address

    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == client_ip(request) == expected
