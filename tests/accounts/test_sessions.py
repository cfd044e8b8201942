"""Sessions end after SESSION_IDLE_SECONDS idle and SESSION_MAX_SECONDS in all; a password
change ends the user's other sessions and keeps the current one."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.messages import get_messages
from django.test import Client

from accounts import sessions
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

HOUR = 3600


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def move_clocks(client: Client, *, signed_in_ago: int, last_seen_ago: int) -> None:
    session = client.session
    now = session[sessions.SIGNED_IN_AT]
    session[sessions.SIGNED_IN_AT] = now - signed_in_ago
    session[sessions.LAST_SEEN_AT] = now - last_seen_ago
    session.save()


def test_signing_in_starts_both_clocks(recruiter):
    client = signed_in(recruiter)

    session = client.session
    assert session[sessions.SIGNED_IN_AT] == session[sessions.LAST_SEEN_AT]
    assert client.get("/account/").status_code == 200


def test_a_session_idle_for_two_hours_lands_on_the_sign_in_page(recruiter):
    client = signed_in(recruiter)
    move_clocks(client, signed_in_ago=2 * HOUR, last_seen_ago=2 * HOUR)

    response = client.get("/candidates/")

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/candidates/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "You were signed out after 2 hours without activity. Sign in again to continue."
    ]
    assert SESSION_KEY not in client.session


def test_an_active_session_is_kept_and_its_last_seen_time_moves(recruiter):
    client = signed_in(recruiter)
    move_clocks(client, signed_in_ago=11 * HOUR, last_seen_ago=HOUR + 59 * 60)

    response = client.get("/account/")

    assert response.status_code == 200
    session = client.session
    # Stamped now (whole seconds): 11 hours after sign-in, plus the second that may tick
    # between moving the clocks and the request on a loaded machine.
    assert (
        11 * HOUR
        <= session[sessions.LAST_SEEN_AT] - session[sessions.SIGNED_IN_AT]
        <= 11 * HOUR + 5
    )


def test_a_session_ends_twelve_hours_after_sign_in_however_active(recruiter):
    client = signed_in(recruiter)
    move_clocks(client, signed_in_ago=12 * HOUR, last_seen_ago=0)

    response = client.get("/account/")

    assert response["Location"] == "/login/?next=/account/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Your session ended 12 hours after you signed in. Sign in again to continue."
    ]


def test_the_limits_come_from_the_settings(settings, recruiter):
    settings.SESSION_IDLE_SECONDS = 600
    client = signed_in(recruiter)
    move_clocks(client, signed_in_ago=601, last_seen_ago=601)

    assert client.get("/account/").status_code == 302


def test_the_api_answers_401_in_its_error_shape(recruiter):
    client = signed_in(recruiter)
    move_clocks(client, signed_in_ago=12 * HOUR, last_seen_ago=0)

    response = client.get("/api/v1/auth/me/")

    assert response.status_code == 401
    assert response.json() == {
        "detail": "Your session ended 12 hours after you signed in. Sign in again to continue.",
        "code": "session_expired",
        "errors": {},
    }
    assert client.get("/api/v1/auth/me/").json()["code"] == "not_authenticated"  # signed out


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(recruiter):
    here, elsewhere = signed_in(recruiter), signed_in(recruiter)
    new_password = "a-new-and-long-password-77"

    response = here.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )

    assert response.status_code == 302
    assert here.get("/account/").status_code == 200
    assert elsewhere.get("/account/")["Location"] == "/login/?next=/account/"
    recruiter.refresh_from_db()
    assert recruiter.check_password(new_password)


def test_a_weak_new_password_is_refused(recruiter):
    client = signed_in(recruiter)

    response = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )

    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    recruiter.refresh_from_db()
    assert recruiter.check_password(PASSWORD)
