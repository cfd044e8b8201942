"""Two-factor sign-in with time-based codes (django-otp's TOTP devices).

Every user may enrol one authenticator app. With REQUIRE_2FA_FOR_ADMINS on, compensation
admins and superusers must: until their session is verified with a code, pages send them
to enrolment, the API refuses their session and the admin site does not open.
Who did what is logged (logger ``accounts``, with the time); the device keeps its
created_at and last_used_at.
"""

from __future__ import annotations

import logging
from base64 import b32encode
from dataclasses import dataclass
from enum import StrEnum

import segno
from django.conf import settings
from django.db import transaction
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from core import access
from core.errors import DomainError, PermissionDenied

log = logging.getLogger("accounts")

DEVICE_NAME = "Authenticator app"
ENROL_KEY = "accounts_two_factor_key"


class Outcome(StrEnum):
    OK = "ok"
    WRONG = "wrong"
    THROTTLED = "throttled"


WRONG_CODE = (
    "That code is not right. Enter the 6-digit code your authenticator app shows now "
    "(check that your phone sets its clock automatically)."
)
THROTTLED = "Too many wrong codes in a row: wait a few seconds before the next try."


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    secret: str
    qr_svg: str


def is_required(user) -> bool:
    """Compensation admins and superusers, when REQUIRE_2FA_FOR_ADMINS is on."""
    return bool(settings.REQUIRE_2FA_FOR_ADMINS) and access.is_compensation_admin(user)


def is_verified(user) -> bool:
    """This session was confirmed with a code (django_otp.middleware.OTPMiddleware)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def satisfied(user) -> bool:
    """The user may go on: two-factor is not required of them, or this session is verified."""
    return not is_required(user) or is_verified(user)


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def enrolment_start(*, request, user) -> Enrolment:
    """The secret to scan, kept in the session (the same on every visit) until a code
    confirms it: nothing is stored for a user who never finishes."""
    key = request.session.get(ENROL_KEY)
    if not isinstance(key, str) or not key:
        key = default_key()
        request.session[ENROL_KEY] = key
    device = TOTPDevice(user=user, name=DEVICE_NAME, key=key, confirmed=False)
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4, title="QR code for your authenticator app"
    )
    return Enrolment(device=device, secret=_grouped_secret(device), qr_svg=svg)


def enrolment_confirm(*, request, user, code: str) -> Outcome:
    """Turns two-factor on with the first right code (replacing any older device), and
    verifies this session."""
    key = request.session.get(ENROL_KEY)
    if not isinstance(key, str) or not key:
        raise DomainError("Start again: open the two-factor page to get a new QR code.")
    device = TOTPDevice(user=user, name=DEVICE_NAME, key=key, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == device.digits and totp.verify(int(code), 1)):
        return Outcome.WRONG
    device.last_t = totp.t()  # this code cannot be used again to sign in
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device.save()
    del request.session[ENROL_KEY]
    otp_login(request, device)
    log.info("two-factor enabled: user=%s (id %s)", user.get_username(), user.pk)
    return Outcome.OK


def disable(*, user, code: str) -> Outcome:
    """Turns two-factor off, with a current code; refused where it is required."""
    if is_required(user):
        raise PermissionDenied(
            "Two-factor sign-in is required for compensation admins and superusers: "
            "it cannot be turned off."
        )
    device = confirmed_device(user)
    if device is None:
        raise DomainError("Two-factor sign-in is not on.")
    outcome = check_code(device, code)
    if outcome is Outcome.OK:
        TOTPDevice.objects.filter(user=user).delete()
        log.info("two-factor disabled: user=%s (id %s)", user.get_username(), user.pk)
    return outcome


def verify_session(*, request, user, code: str) -> Outcome:
    """Confirms the current session with a code from the user's device."""
    device = confirmed_device(user)
    if device is None:
        raise DomainError("Two-factor sign-in is not on.")
    outcome = check_code(device, code)
    if outcome is Outcome.OK:
        otp_login(request, device)
    return outcome


def check_code(device: TOTPDevice, code: str) -> Outcome:
    """One try against the device, under its row lock (django-otp's own back-off applies:
    1, 2, 4 ... seconds between tries after wrong codes)."""
    code = "".join(code.split())
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, _ = locked.verify_is_allowed()
        if not allowed:
            return Outcome.THROTTLED
        if not (code.isdigit() and len(code) == locked.digits):
            locked.throttle_increment(commit=True)
            return Outcome.WRONG
        return Outcome.OK if locked.verify_token(code) else Outcome.WRONG


def outcome_message(outcome: Outcome) -> str:
    return THROTTLED if outcome is Outcome.THROTTLED else WRONG_CODE


def _grouped_secret(device: TOTPDevice) -> str:
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
