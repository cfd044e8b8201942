"""Request bodies over their path's limit are refused by their Content-Length, unread.

Django refuses an oversized form only as it parses it, and never limits uploaded files:
a 50 MB "résumé" used to be streamed to a temporary file before the document check refused
it. This middleware answers 413 from the ``Content-Length`` header alone, before any
middleware or view reads the body: the API's JSON error shape on /api/, the styled page
otherwise. A view that takes a candidate document is marked with ``@accepts_documents`` and
may receive the document limit plus ``UPLOAD_BODY_MARGIN_BYTES`` (the form around the file);
every other request at most ``DATA_UPLOAD_MAX_MEMORY_SIZE``. A body without a
Content-Length (chunked) or with a false one is bounded by what WSGI servers and Django do
with it: the server reads no more than the header says, and Django's own limit
(``DATA_UPLOAD_MAX_MEMORY_SIZE``, ``RequestDataTooBig``) stops form data as it is read.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve

from core.api import error_body
from core.limits import DOCUMENT_MAX_BYTES, DOCUMENT_MAX_MB
from core.middleware import is_api

logger = logging.getLogger(__name__)


def accepts_documents(view):
    """Mark a view (function, class or DRF action) as one that takes a candidate document."""
    view.accepts_documents = True
    return view


def body_limit(request) -> int:
    """The most bytes a request to this path may send."""
    general = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if _takes_documents(request):
        return max(general, DOCUMENT_MAX_BYTES + settings.UPLOAD_BODY_MARGIN_BYTES)
    return general


class BodyLimitMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        length = _content_length(request)
        # The limit costs a URL resolution, so only bodies over the smaller limit pay for it.
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            limit = body_limit(request)
            if length > limit:
                return _too_large(request, length, limit)
        return self.get_response(request)


def _content_length(request) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:  # Django treats a malformed length as none; so do we
        return 0


def _takes_documents(request) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    view = match.func
    if getattr(view, "accepts_documents", False):
        return True
    view_class = getattr(view, "cls", None) or getattr(view, "view_class", None)
    if view_class is None:
        return False
    actions = getattr(view, "actions", None)  # a DRF viewset: the method's action
    if actions:
        handler = getattr(view_class, actions.get(request.method.lower(), ""), None)
        return bool(getattr(handler, "accepts_documents", False))
    return bool(getattr(view_class, "accepts_documents", False))


def _too_large(request, length: int, limit: int):
    logger.warning(
        "Request body refused unread: %s %s declares %s bytes, the limit is %s",
        request.method,
        request.path,
        length,
        limit,
    )
    detail = f"The request body is larger than the {limit:,} bytes this address accepts."
    if is_api(request):
        return JsonResponse(error_body(detail, "request_too_large"), status=413)
    text = (
        f"{detail} Choose a smaller file (documents: at most {DOCUMENT_MAX_MB} MB) and try again."
    )
    context = {"error_code": 413, "error_title": "This is too large to send", "error_text": text}
    return render(request, "_error.html", context, status=413)
