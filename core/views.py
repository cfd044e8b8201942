from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

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
