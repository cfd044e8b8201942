from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.health import overall_status


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
