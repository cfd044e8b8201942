"""The API token endpoint under the sign-in policy: with two-factor sign-in on, a password
alone yields no token; an admin who must enrol gets none until they have."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from rest_framework.test import APIClient

from accounts import signin, two_factor
from tests.accounts.conftest import code_for, enrolled
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/token/"


def ask(username: str, **extra):
    return APIClient().post(URL, {"username": username, "password": PASSWORD, **extra})


def test_without_two_factor_the_password_is_enough(recruiter):
    answer = ask("recruiter")
    assert answer.status_code == 200
    assert answer.json()["token"]


def test_with_two_factor_on_the_password_alone_is_refused_and_names_the_field(recruiter):
    enrolled(recruiter)
    answer = ask("recruiter")
    assert answer.status_code == 400
    body = answer.json()
    assert (body["code"], body["errors"]["otp"]) == ("otp_required", [signin.CODE_NEEDED])


def test_the_right_code_yields_a_token_that_works(recruiter):
    device = enrolled(recruiter)
    answer = ask("recruiter", otp=code_for(device))
    assert answer.status_code == 200
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {answer.json()['token']}")
    assert client.get("/api/v1/auth/me/").json()["username"] == "recruiter"


def test_a_wrong_code_is_refused_and_counts_toward_the_lockout(recruiter, lockout_on):
    enrolled(recruiter)
    answer = ask("recruiter", otp="000000")
    assert answer.status_code == 400
    assert answer.json()["errors"]["otp"] == [two_factor.WRONG_CODE]
    assert AccessAttempt.objects.get(username="recruiter").failures_since_start == 1


def test_an_admin_who_must_enrol_gets_no_token_until_they_have(comp_admin, settings):
    settings.REQUIRE_2FA_FOR_ADMINS = True
    refused = ask("comp_admin")
    assert refused.status_code == 403
    assert refused.json()["code"] == "two_factor_required"
    device = enrolled(comp_admin)
    assert ask("comp_admin", otp=code_for(device)).status_code == 200
