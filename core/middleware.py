"""No /api/ response is ever an HTML error page.

DRF views answer their own errors through ``core.api.exception_handler``. This
middleware covers the rest of an /api/ request: an exception DRF does not
handle or a non-DRF view raises (``process_exception``), and an error page
Django built for an exception raised outside any view, in another middleware
or by the URL resolver (``__call__``). Each becomes the API's JSON error shape:
a database outage 503, a body over the limit 413, an unknown URL 404, and an
unexpected exception 500, logged with its traceback. With ``DEBUG`` on,
unexpected exceptions keep Django's debug page. Pages (not /api/) are untouched.
"""

from __future__ import annotations

import sys
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.signals import got_request_exception
from django.http import JsonResponse
from django.utils.log import log_response
from rest_framework.response import Response as DrfResponse

from core.api import (
    DATABASE_UNAVAILABLE,
    error_body,
    is_database_outage,
    log_suspicious_request,
    suspicious_request_error,
)

API_PREFIX = "/api/"
SERVER_ERROR = "Something went wrong on our side; it has been logged."
# The code of an error page Django built, by status; others use the status phrase.
PAGE_CODES = {
    400: "bad_request",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    500: "server_error",
}
# Headers of an error page that still mean something on its JSON version.
KEPT_HEADERS = ("Allow", "WWW-Authenticate", "Retry-After")
_EXCEPTION_ATTR = "_api_uncaught_exception"


def is_api(request) -> bool:
    return request is not None and request.path_info.startswith(API_PREFIX)


def _remember_uncaught_exception(sender, request=None, **kwargs) -> None:
    """Django signals an exception it turns into a 500 page: keep it for ``__call__``."""
    if is_api(request):
        setattr(request, _EXCEPTION_ATTR, sys.exc_info()[1])


got_request_exception.connect(_remember_uncaught_exception, dispatch_uid="core.api_errors")


class ApiErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not is_api(request) or not _is_error_page(response):
            return response
        exc = getattr(request, _EXCEPTION_ATTR, None)
        if exc is not None:
            return self._for_exception(request, exc, logged=True) or response
        if settings.DEBUG and response.status_code >= 500:
            return response
        status = response.status_code
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Error"
        code = PAGE_CODES.get(status, phrase.lower().replace(" ", "_").replace("-", "_"))
        answer = JsonResponse(error_body(f"{phrase}.", code), status=status)
        for header in KEPT_HEADERS:
            if header in response:
                answer[header] = response[header]
        answer._has_been_logged = True  # Django logged the page it built.
        return answer

    def process_exception(self, request, exception):
        """An exception from a view (DRF re-raises those its handler leaves alone)."""
        if not is_api(request):
            return None
        return self._for_exception(request, exception, logged=False)

    def _for_exception(self, request, exc, *, logged: bool):
        """The JSON answer to ``exc``; None leaves it to Django (unexpected, with DEBUG on).

        ``logged``: Django already logged the exception (with its traceback).
        """
        if isinstance(exc, SuspiciousOperation):
            status, body = suspicious_request_error(exc)
            if not logged:
                log_suspicious_request(exc, request, status)
            response = JsonResponse(body, status=status)
            message = "Bad Request: %s"
        elif is_database_outage(exc):
            body = error_body(DATABASE_UNAVAILABLE, "database_unavailable")
            response = JsonResponse(body, status=503)
            message = "Database unavailable: %s"
        elif settings.DEBUG:
            return None
        else:
            response = JsonResponse(error_body(SERVER_ERROR, "server_error"), status=500)
            message = "Internal Server Error: %s"
        if logged:
            response._has_been_logged = True
        else:
            log_response(message, request.path, response=response, request=request, exception=exc)
        return response


def _is_error_page(response) -> bool:
    """An error response Django or a plain view built, not JSON and not DRF's own."""
    return (
        response.status_code >= 400
        and not isinstance(response, DrfResponse)
        and not response.get("Content-Type", "").startswith("application/json")
    )
