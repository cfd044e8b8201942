"""Styled error pages that keep the site's navigation: 403, 404, 405, 500 and 503.

Django renders ``403.html``, ``404.html`` and ``400.html`` itself (with the request, so
the navigation shows). Two gaps are closed here: a 405 from ``require_POST`` and the like
has an empty body, and with ``DEBUG`` on a 404 is Django's technical page. The
middleware swaps both for the styled page on pages (never on /api/, which answers JSON,
see ``core.middleware``). ``server_error`` renders ``500.html`` with the navigation when
it can, and without it when the failure is in what the navigation needs.
"""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from core.api import is_database_outage
from core.middleware import is_api

logger = logging.getLogger(__name__)


class ErrorPageMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_api(request) or not _is_html(response):
            return response
        if response.status_code == 405 and not response.content:
            return _styled(request, response, "405.html")
        if response.status_code == 404 and settings.DEBUG and not getattr(response, "styled", 0):
            return _styled(request, response, "404.html")
        return response


@requires_csrf_token
def server_error(request, template_name: str = "500.html"):
    """Django's handler500, called with the exception in ``sys.exc_info()``: a database
    outage (down, restarting, unreachable) is a 503 page that says to retry, not a 500."""
    status = 500
    if is_database_outage(sys.exc_info()[1]):
        template_name, status = "503.html", 503
    try:
        response = render(request, template_name, status=status)
    except Exception:  # the navigation needs the database, which may be what failed
        logger.exception("The styled %s page failed; answering the plain one", status)
        response = HttpResponseServerError(loader.get_template(template_name).render())
        response.status_code = status
    if status == 503:
        response["Retry-After"] = "5"
    return response


def csrf_failure(request, reason: str = ""):
    """A form posted without a valid CSRF token: the styled 403 page that says what to do
    (``CSRF_FAILURE_VIEW``); the API answers its own JSON 403 (DRF's session check)."""
    logger.warning("CSRF check failed on %s: %s", request.path, reason)
    return render(request, "403_csrf.html", status=403)


def _styled(request, original, template: str):
    response = render(request, template, status=original.status_code)
    response.styled = True
    if original.has_header("Allow"):
        response["Allow"] = original["Allow"]
    return response


def _is_html(response) -> bool:
    return response.get("Content-Type", "").startswith("text/html")
