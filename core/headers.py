"""Response headers every answer of the application carries (docs/security.md).

``Permissions-Policy`` switches off browser features no page uses. ``Cache-Control:
no-store`` goes on every response this middleware sees: everything but the static files,
which WhiteNoise answers before any middleware here runs. The rule is deliberately the
simplest correct one: a signed-in page, an API answer (session or token), a download or an
error page may all carry candidate data, and the few public pages (sign-in, careers) lose
nothing by not being cached. The Content-Security-Policy itself is django-csp's middleware.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.cache import add_never_cache_headers


class SecurityHeadersMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.PERMISSIONS_POLICY
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        add_never_cache_headers(response)
        return response
