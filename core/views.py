from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core import api_tokens, audit
from core.errors import NotFound
from core.forms import AccessLogFilterForm
from core.health import overall_status

ACCESS_LOG_PAGE = 50


@never_cache
@require_GET
def healthz(request):
    """Public on purpose (load balancers, monitoring): the status for anyone, the details
    (database vendor, broker transport, worker host names, errors) for signed-in staff only.
    """
    healthy, body = overall_status()
    if not (request.user.is_authenticated and request.user.is_staff):
        body = {"status": body["status"]}
    return JsonResponse(body, status=200 if healthy else 503)


@login_required
def home(request):
    return redirect("hiring:dashboard")


@never_cache
@login_required
@require_GET
def access_log(request):
    """The access log (compensation admins, superusers): filters, newest first, keyset pages."""
    if not audit.may_read_log(request.user):
        raise PermissionDenied("Only compensation admins read the access log.")
    form = AccessLogFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        context = {"form": form, "events": [], "retention_days": _retention_days()}
        return render(request, "core/access_log.html", context, status=400)
    filters = form.filters() if form.is_bound else {}
    before = form.cleaned_data.get("before") if form.is_bound else None
    rows, older = audit.events(**filters, before=before, limit=ACCESS_LOG_PAGE)
    context = {
        "form": form,
        "events": rows,
        "newest_query": urlencode(_as_query(filters)),
        "older_query": urlencode({**_as_query(filters), "before": older}) if older else "",
        "is_older_page": bool(before),
        "retention_days": _retention_days(),
    }
    return render(request, "core/access_log.html", context)


def _as_query(filters: dict) -> dict:
    return {name: str(value) for name, value in filters.items()}


def _retention_days() -> int:
    return settings.ACCESS_LOG_RETENTION_DAYS


@login_required
@require_GET
def api_tokens_page(request):
    """The signed-in user's API tokens that still work, each revocable (never the keys)."""
    tokens = [
        {
            "id": api_tokens.token_id(token),
            "starts_with": token.token_key[:8],
            "created": token.created,
            "expiry": token.expiry,
        }
        for token in api_tokens.tokens_of(request.user)
    ]
    return render(request, "core/api_tokens.html", {"tokens": tokens})


@login_required
@require_POST
def api_token_revoke(request, token_id: str):
    try:
        api_tokens.token_revoke(user=request.user, token_id=token_id)
    except NotFound as exc:  # someone else's id reads exactly as a missing one
        messages.error(request, exc.message)
    else:
        messages.success(request, "Token revoked: it no longer signs anything in.")
    return redirect("account-tokens")


@login_required
@require_POST
def api_tokens_revoke_all(request):
    count = api_tokens.tokens_revoke_all(user=request.user, reason="revoked on the tokens page")
    messages.success(request, f"{count} token(s) revoked.")
    return redirect("account-tokens")
