from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core import api_tokens
from core.errors import NotFound
from core.health import overall_status


@never_cache
@require_GET
def healthz(request):
    """Public on purpose (load balancers, compose): reports states, never data."""
    healthy, body = overall_status()
    return JsonResponse(body, status=200 if healthy else 503)


@login_required
def home(request):
    return redirect("hiring:dashboard")


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
