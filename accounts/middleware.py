"""Per-request sign-in rules: session limits, and the two-factor requirement on pages.

Neither adds a query to a request: both read the session the authentication middleware
loads anyway, and the two-factor rule runs only with REQUIRE_2FA_FOR_ADMINS on.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from accounts import sessions, two_factor
from core.api import error_body
from core.middleware import is_api


class SessionLimitsMiddleware:
    """Ends a session idle for SESSION_IDLE_SECONDS or older than SESSION_MAX_SECONDS.

    A page goes to the sign-in page with a message; the API answers 401 in its JSON
    error shape (a request that also carries a token goes on, signed out of the session).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ending = sessions.check(request.session)
        if ending is None:
            return self.get_response(request)
        logout(request)
        text = sessions.ending_message(ending)
        if is_api(request):
            if "HTTP_AUTHORIZATION" in request.META:
                return self.get_response(request)
            return JsonResponse(error_body(text, "session_expired"), status=401)
        messages.info(request, text)
        if request.method != "GET":  # a form post cannot be replayed after signing in
            return redirect(settings.LOGIN_URL)
        return redirect_to_login(request.get_full_path())


# Pages an admin who must enrol can still reach: the account area, signing in and out,
# and files that pages load.
OPEN_PREFIXES = ("/account/", "/login/", "/logout/", "/static/", "/healthz", "/favicon")


class TwoFactorRequiredMiddleware:
    """With REQUIRE_2FA_FOR_ADMINS on, sends compensation admins and superusers whose
    session is not verified to the two-factor page, from every page (the admin included).
    The API refuses their session itself (accounts.authentication)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.REQUIRE_2FA_FOR_ADMINS
            and not is_api(request)
            and not request.path_info.startswith(OPEN_PREFIXES)
            and request.user.is_authenticated
            and not two_factor.satisfied(request.user)
        ):
            return self._to_two_factor(request)
        return self.get_response(request)

    def _to_two_factor(self, request):
        if not two_factor.is_verified(request.user) and two_factor.confirmed_device(request.user):
            messages.info(request, "Enter a code from your authenticator app to continue.")
        else:
            messages.info(
                request,
                "Your account must use two-factor sign-in: set it up to continue.",
            )
        target = reverse("accounts:two-factor")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)
