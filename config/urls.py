from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core import views as core_views
from core.views import healthz, home

api_v1 = [
    path("auth/", include("core.api_urls")),
    path("", include("roles.api_urls")),
    path("", include("candidates.api_urls")),
    path("", include("hiring.api_urls")),
    path("", include("offers.api_urls")),
    path("", include("reports.api_urls")),
]

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/tokens/", core_views.api_tokens_page, name="account-tokens"),
    path(
        "account/tokens/<str:token_id>/revoke/",
        core_views.api_token_revoke,
        name="account-token-revoke",
    ),
    path(
        "account/tokens/revoke-all/",
        core_views.api_tokens_revoke_all,
        name="account-tokens-revoke-all",
    ),
    path("admin/", admin.site.urls),
    path("roles/", include("roles.urls")),
    path("candidates/", include("candidates.urls")),
    path("hiring/", include("hiring.urls")),
    path("offers/", include("offers.urls")),
    path("careers/", include("hiring.views.careers")),
    path("reports/", include("reports.urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]

admin.site.site_header = "Hiring pipeline administration"
admin.site.site_title = "Hiring pipeline"

# 403, 404 and 400 render templates/<code>.html with the request (the navigation shows);
# the 500 page tries the same and falls back to a plain render (core.error_pages).
handler500 = "core.error_pages.server_error"
