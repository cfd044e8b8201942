"""Five failed sign-ins for one username from one address lock that pair for 15 minutes,
on the sign-in page, the admin and the API token endpoint, with one message that does not
say whether the username exists."""

from __future__ import annotations

import datetime
import re

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.contrib.auth import SESSION_KEY
from django.test import Client, RequestFactory
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts import lockout
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("lockout_on")]

MESSAGE = (
    "Too many failed sign-in attempts. Signing in with this username from your address is "
    "paused for 15 minutes; try again later."
)
TOKEN_URL = "/api/v1/auth/token/"


def fail_five_times(client, url: str, username: str) -> list:
    return [client.post(url, {"username": username, "password": "wrong"}) for _ in range(5)]


def test_the_page_locks_after_five_failures_and_refuses_the_right_password(recruiter):
    client = Client()

    answers = fail_five_times(client, "/login/", "recruiter")
    locked = client.post("/login/", {"username": "recruiter", "password": PASSWORD})

    assert [a.status_code for a in answers] == [200, 200, 200, 200, 429]
    assert "Please enter a correct username and password" in answers[0].content.decode()
    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"
    assert "accounts/locked_out.html" in [t.name for t in locked.templates]
    assert MESSAGE in locked.content.decode()
    assert SESSION_KEY not in client.session
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == (
        "recruiter",
        "127.0.0.1",
        5,
    )


def test_an_unknown_username_gets_the_same_answers(recruiter):
    known, unknown = Client(), Client()

    known_answers = fail_five_times(known, "/login/", "recruiter")
    unknown_answers = fail_five_times(unknown, "/login/", "nobody-by-this-name")

    def text(response) -> str:
        page = response.content.decode().replace("nobody-by-this-name", "recruiter")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)

    assert [a.status_code for a in unknown_answers] == [200, 200, 200, 200, 429]
    assert text(unknown_answers[0]) == text(known_answers[0])
    assert text(unknown_answers[4]) == text(known_answers[4])


def test_the_admin_login_locks_too(admin_user):
    client = Client()

    answers = fail_five_times(client, "/admin/login/", "admin")
    locked = client.post("/admin/login/", {"username": "admin", "password": PASSWORD})

    assert [a.status_code for a in answers] == [200, 200, 200, 200, 429]
    assert locked.status_code == 429
    assert MESSAGE in locked.content.decode()
    assert client.get("/admin/").status_code == 302  # still signed out


def test_the_token_endpoint_locks_with_the_json_error_shape(recruiter, settings):
    # Twelve posts from one address: past the token endpoint's own rate (tests/core).
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "token": "100/minute"}
    client = APIClient()

    answers = fail_five_times(client, TOKEN_URL, "recruiter")
    locked = client.post(TOKEN_URL, {"username": "recruiter", "password": PASSWORD})
    unknown = [
        client.post(TOKEN_URL, {"username": "nobody", "password": "wrong"}) for _ in range(5)
    ]

    assert [a.status_code for a in answers] == [400, 400, 400, 400, 429]
    assert locked.status_code == 429
    assert locked.json() == {"detail": MESSAGE, "code": "locked_out", "errors": {}}
    assert locked["Retry-After"] == "900"
    assert unknown[-1].json() == locked.json()
    assert not AuthToken.objects.filter(user=recruiter).exists()


def test_another_address_is_not_locked(recruiter):
    fail_five_times(Client(), "/login/", "recruiter")

    elsewhere = Client(REMOTE_ADDR="10.0.0.9").post(
        "/login/", {"username": "recruiter", "password": PASSWORD}
    )

    assert elsewhere.status_code == 302


def locked_since(minutes: int) -> None:
    """Five failures, ``minutes`` ago (attempt_time is set on insert, so moved after it)."""
    attempt = AccessAttempt.objects.create(
        username="recruiter", ip_address="127.0.0.1", user_agent="<unknown>", failures_since_start=5
    )
    AccessAttempt.objects.filter(pk=attempt.pk).update(
        attempt_time=timezone.now() - datetime.timedelta(minutes=minutes)
    )


def test_the_lock_holds_for_the_cool_off_then_lifts(recruiter):
    locked_since(14)
    still_locked = Client().post("/login/", {"username": "recruiter", "password": PASSWORD})
    AccessAttempt.objects.all().delete()
    locked_since(16)
    client = Client()

    answer = client.post("/login/", {"username": "recruiter", "password": PASSWORD})

    assert still_locked.status_code == 429
    assert answer.status_code == 302
    assert client.session[SESSION_KEY] == str(recruiter.pk)
    assert not AccessAttempt.objects.exists()  # expired attempts are cleared, success resets


def test_an_admin_reset_lifts_the_lock(recruiter):
    locked_since(1)
    client = Client()
    locked = client.post("/login/", {"username": "recruiter", "password": PASSWORD})

    reset(username="recruiter")
    answer = client.post("/login/", {"username": "recruiter", "password": PASSWORD})

    assert locked.status_code == 429
    assert answer.status_code == 302


def test_client_address_behind_trusted_proxies(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7, 10.0.0.1"
    )

    settings.TRUSTED_PROXY_COUNT = 0
    direct = lockout.client_ip(request)
    settings.TRUSTED_PROXY_COUNT = 2
    proxied = lockout.client_ip(request)

    assert (direct, proxied) == ("10.0.0.2", "203.0.113.7")
