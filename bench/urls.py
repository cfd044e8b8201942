"""The site's routes plus ``/bench/floor/``: a signed-in page that does nothing.

Its time is what any signed-in page costs before the page's own work (the middleware, the
session and the user, one connection to gunicorn): the floor the bench prints beside them.
Served only when ``DJANGO_SETTINGS_MODULE=bench.settings`` (the bench's own server). The
site's routes are included by name, as the settings name them.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import include, path

handler500 = "core.error_pages.server_error"  # as config.urls


@login_required
def floor(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/floor/", floor, name="bench-floor"), path("", include("config.urls"))]
