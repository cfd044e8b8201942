from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerSplitView

from accounts import views as accounts_views
from accounts.api import TwoFactorTokenView
from core import views as core_views
from core.api_views import SchemaView
from core.csp_report import csp_report
from core.views import access_log, healthz, home

api_v1 = [
    # The token endpoint under the sign-in policy (a code with two-factor on), then core's.
    path("auth/token/", TwoFactorTokenView.as_view(), name="api-token"),
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
    path(settings.CSP_REPORT_PATH.strip("/") + "/", csp_report, name="csp-report"),
    path("login/", accounts_views.SignInView.as_view(), name="login"),
    path("login/code/", accounts_views.sign_in_code, name="sign-in-code"),
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
    path("account/", include("accounts.urls")),
    path("access-log/", access_log, name="access-log"),
    path("admin/", admin.site.urls),
    path("roles/", include("roles.urls")),
    path("candidates/", include("candidates.urls")),
    path("hiring/", include("hiring.urls")),
    path("offers/", include("offers.urls")),
    path("careers/", include("hiring.views.careers")),
    path("reports/", include("reports.urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SchemaView.as_view(), name="schema"),
    # The split view serves its start-up script from its own URL (?script): no inline script.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
]

admin.site.site_header = "Hiring pipeline administration"
admin.site.site_title = "Hiring pipeline"

# 403, 404 and 400 render templates/<code>.html with the request (the navigation shows);
# the 500 page tries the same and falls back to a plain render (core.error_pages).
handler500 = "core.error_pages.server_error"
