from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.health import broker_status, database_status


@never_cache
@require_GET
def healthz(request):
    database = database_status()
    broker = broker_status()
    ok = database["ok"] and broker["ok"]
    body = {"status": "ok" if ok else "degraded", "database": database, "broker": broker}
    return JsonResponse(body, status=200 if ok else 503)


@login_required
def home(request):
    return redirect("hiring:dashboard")
