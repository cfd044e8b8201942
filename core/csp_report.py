"""Where browsers post Content-Security-Policy violations: each is logged at WARNING.

Both formats browsers send are read: the ``report-uri`` one (``application/csp-report``,
``{"csp-report": {...}}``) and the Reporting API's (``application/reports+json``, a list of
``{"type": "csp-violation", "body": {...}}``). Anyone may post here (a browser sends no
CSRF token), so the endpoint trusts nothing: the body is capped and read only up to the
cap, only a few known fields are logged, each cut short and stripped of control
characters, anything else is a 400, and one address may post ``CSP_REPORTS_PER_MINUTE``
reports (then 429, unlogged) so the log cannot be flooded. Never a 500.
"""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core import throttle

logger = logging.getLogger("csp.violations")

CONTENT_TYPES = {"application/csp-report", "application/reports+json", "application/json"}
# What a violation says, under both formats' names (report-uri's first).
FIELDS = {
    "document": ("document-uri", "documentURL"),
    "directive": ("effective-directive", "effectiveDirective", "violated-directive"),
    "blocked": ("blocked-uri", "blockedURL"),
    "source": ("source-file", "sourceFile"),
    "line": ("line-number", "lineNumber"),
    "sample": ("script-sample", "sample"),
}
MAX_FIELD = 300
MAX_REPORTS = 20


@csrf_exempt
@require_POST
def csp_report(request):
    content_type = request.content_type.lower()
    if content_type not in CONTENT_TYPES:
        return _plain("Expected a CSP violation report.", 415)
    address = throttle.client_address(request)
    if not throttle.allow(
        "csp-report", address, limit=settings.CSP_REPORTS_PER_MINUTE, window_seconds=60
    ):
        return _plain("Too many reports from this address; try again in a minute.", 429)
    limit = settings.CSP_REPORT_MAX_BYTES
    if _declared_length(request) > limit:
        return _plain("The report is too large.", 413)
    violations = _violations(request.read(limit + 1), limit)
    if violations is None:
        return _plain("Not a CSP violation report.", 400)
    for violation in violations:
        logger.warning("CSP violation: %s", _describe(violation))
    return HttpResponse(status=204)


def _plain(message: str, status: int) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _violations(raw: bytes, limit: int) -> list[dict] | None:
    """The reported violations, or None if this is not a report."""
    if len(raw) > limit:
        return None
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    if isinstance(data, dict) and isinstance(data.get("csp-report"), dict):
        bodies = [data["csp-report"]]
    elif isinstance(data, list) and data:
        bodies = [
            item["body"]
            for item in data[:MAX_REPORTS]
            if isinstance(item, dict)
            and item.get("type") == "csp-violation"
            and isinstance(item.get("body"), dict)
        ]
    else:
        return None
    return [_fields(body) for body in bodies] or None


def _describe(violation: dict) -> str:
    text = f"{violation['directive']} blocked {violation['blocked']} on {violation['document']}"
    if violation["line"]:
        text += f" at {violation['source'] or violation['document']}:{violation['line']}"
    if violation["sample"]:
        text += f" sample {violation['sample']}"
    return text


def _fields(body: dict) -> dict:
    return {field: _clean(_first(body, names)) for field, names in FIELDS.items()}


def _first(body: dict, names: tuple[str, ...]):
    return next((body[name] for name in names if body.get(name) not in (None, "")), "")


def _clean(value) -> str:
    """A printable, short rendering of what a client sent (never trusted for the log)."""
    if not isinstance(value, str | int | float):
        return "?"
    text = "".join(c if c.isprintable() else "?" for c in str(value))
    return text[:MAX_FIELD] + ("…" if len(text) > MAX_FIELD else "")
