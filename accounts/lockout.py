"""Sign-in lockout (django-axes): the answer a locked-out client gets, and the address
axes counts failures against.

Axes counts failed sign-ins per username and client address in the database (shared by
every process) and refuses ``authenticate(request=...)`` for that pair once
AXES_FAILURE_LIMIT is reached, for AXES_COOLOFF_TIME. Whatever called ``authenticate``
(the sign-in page, the admin, the API token endpoint) then gets this one answer: a page
or, under /api/, the API's JSON error shape. It never says whether the username exists.
"""

from __future__ import annotations

import math

from axes.helpers import get_cool_off
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from core import throttle
from core.api import error_body
from core.middleware import is_api

LOCKED_OUT_CODE = "locked_out"


def message() -> str:
    return (
        "Too many failed sign-in attempts. Signing in with this username from your address "
        f"is paused for {_minutes()} minutes; try again later."
    )


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: 429, with Retry-After, for pages and the API alike."""
    if is_api(request):
        response = JsonResponse(error_body(message(), LOCKED_OUT_CODE), status=429)
    else:
        context = {"message": message(), "minutes": _minutes()}
        response = render(request, "accounts/locked_out.html", context, status=429)
    response["Retry-After"] = str(_seconds())
    return response


def flag_wrapped_request(sender, request=None, **kwargs) -> None:
    """``user_locked_out`` receiver: a DRF view passes its own Request to ``authenticate``;
    axes flags that wrapper, and its middleware only sees the Django request inside it."""
    inner = getattr(request, "_request", None)
    if isinstance(inner, HttpRequest):
        inner.axes_locked_out = True
        inner.axes_credentials = getattr(request, "axes_credentials", None)


def client_ip(request: HttpRequest) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the address every check counts by (``core.throttle``)."""
    address = throttle.client_address(request)
    return None if address == "unknown" else address


def _seconds() -> int:
    cool_off = get_cool_off()
    return int(cool_off.total_seconds()) if cool_off else 0


def _minutes() -> int:
    return max(1, math.ceil(_seconds() / 60))
