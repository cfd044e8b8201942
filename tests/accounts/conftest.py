from __future__ import annotations

import datetime
import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


@pytest.fixture
def lockout_on(settings):
    """The lockout as configured (5 failures, 15 minutes), which tests elsewhere turn off."""
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the user's app shows now (or ``steps_ahead`` 30-second steps later: a code
    is accepted once, and the next step's is within the accepted drift)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
