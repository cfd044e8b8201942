"""Two-factor sign-in: enrol, sign in with a code, disable; required of compensation
admins and superusers on pages, the admin and the API when REQUIRE_2FA_FOR_ADMINS is on."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from tests.accounts.conftest import code_for, enrolled
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

URL = "/account/two-factor/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_enrolment_shows_a_qr_code_and_turns_on_with_the_right_code(recruiter):
    client = signed_in(recruiter)

    page = client.get(URL)
    device = page.context["enrolment"].device
    again = client.get(URL)
    wrong = client.post(URL, {"action": "confirm", "code": "000000"})
    nothing_stored = not TOTPDevice.objects.exists()
    right = client.post(URL, {"action": "confirm", "code": code_for(device)})

    html = page.content.decode()
    assert '<svg width="' in html and "QR code for your authenticator app" in html
    assert page.context["enrolment"].secret.replace(" ", "") in html.replace(" ", "")
    assert again.context["enrolment"].device.key == device.key  # the same until confirmed
    assert wrong.status_code == 400
    assert two_factor.WRONG_CODE in wrong.content.decode()
    assert nothing_stored
    assert right.status_code == 302
    stored = TOTPDevice.objects.get(user=recruiter)
    assert (stored.key, stored.confirmed) == (device.key, True)
    assert client.session[DEVICE_ID_SESSION_KEY] == stored.persistent_id


def test_sign_in_asks_for_the_code_after_the_password(recruiter):
    device = enrolled(recruiter)
    client = Client()

    password_step = client.post("/login/", {"username": "recruiter", "password": PASSWORD})
    signed_out_meanwhile = SESSION_KEY not in client.session
    code_step = client.post("/login/code/", {"code": code_for(device)})

    assert password_step["Location"] == "/login/code/"
    assert signed_out_meanwhile
    assert code_step["Location"] == "/"
    assert client.session[SESSION_KEY] == str(recruiter.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_a_wrong_code_signs_nobody_in_and_counts_toward_the_lockout(settings, recruiter):
    settings.AXES_ENABLED = True
    enrolled(recruiter)
    client = Client()
    client.post("/login/", {"username": "recruiter", "password": PASSWORD})

    response = client.post("/login/code/", {"code": "123456x"})

    assert response.status_code == 400
    assert two_factor.WRONG_CODE in response.content.decode()
    assert SESSION_KEY not in client.session
    assert AccessAttempt.objects.get(username="recruiter").failures_since_start == 1


def test_the_code_step_without_a_password_step_goes_back_to_sign_in(recruiter):
    response = Client().post("/login/code/", {"code": "123456"})

    assert response["Location"] == "/login/"


def test_disabling_needs_a_current_code(recruiter):
    device = enrolled(recruiter)
    client = signed_in(recruiter)

    refused = client.post(URL, {"action": "disable", "code": ""})
    done = client.post(URL, {"action": "disable", "code": code_for(device)})

    assert refused.status_code == 400
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=recruiter).exists()


@pytest.fixture
def required(settings):
    settings.REQUIRE_2FA_FOR_ADMINS = True


@pytest.mark.usefixtures("required")
@pytest.mark.parametrize("role", ["comp_admin", "admin"])
def test_unverified_admins_are_sent_to_enrolment_from_every_page(cast, role):
    client = signed_in(cast[role])

    page = client.get("/candidates/")
    admin = client.get("/admin/")
    api = client.get("/api/v1/auth/me/")

    assert page["Location"] == f"{URL}?next=%2Fcandidates%2F"
    assert admin["Location"] == f"{URL}?next=%2Fadmin%2F"
    assert api.status_code == 403
    assert api.json()["code"] == "two_factor_required"
    assert api.json()["detail"].startswith("Your account must use two-factor sign-in")
    assert client.get(URL).status_code == 200


@pytest.mark.usefixtures("required")
def test_a_verified_admin_gets_in_and_cannot_disable(comp_admin):
    device = enrolled(comp_admin)
    client = signed_in(comp_admin)

    verify = client.post(URL, {"action": "verify", "code": code_for(device), "next": "/admin/"})
    disable = client.post(URL, {"action": "disable", "code": code_for(device, steps_ahead=1)})

    assert verify["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/api/v1/auth/me/").status_code == 200
    assert disable.status_code == 400
    assert "cannot be turned off" in disable.content.decode()
    assert TOTPDevice.objects.filter(user=comp_admin, confirmed=True).exists()


@pytest.mark.usefixtures("required")
def test_others_are_not_held_and_the_rule_is_off_by_default(settings, recruiter, admin_user):
    recruiter_page = signed_in(recruiter).get("/account/")
    settings.REQUIRE_2FA_FOR_ADMINS = False
    admin_page = signed_in(admin_user).get("/admin/")

    assert recruiter_page.status_code == 200
    assert admin_page.status_code == 200


@pytest.mark.usefixtures("required")
def test_the_admin_opens_only_for_verified_sessions_of_any_staff(recruiter):
    recruiter.is_staff = True
    recruiter.save(update_fields=["is_staff"])
    client = signed_in(recruiter)

    index = client.get("/admin/")
    login = client.get(index["Location"])

    assert index["Location"] == "/admin/login/?next=/admin/"
    assert login["Location"] == f"{URL}?next=%2Fadmin%2F"
