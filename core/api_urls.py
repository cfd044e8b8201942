from django.urls import path

from core.api_views import (
    LogoutAllView,
    LogoutView,
    MeView,
    TokenDetailView,
    TokenListView,
)

# The token endpoint (auth/token/) is mounted by config: core's ObtainTokenView under the
# accounts app's sign-in policy (accounts.api.TwoFactorTokenView).
urlpatterns = [
    path("tokens/", TokenListView.as_view(), name="api-tokens"),
    path("tokens/<str:token_id>/", TokenDetailView.as_view(), name="api-token-detail"),
    path("logout/", LogoutView.as_view(), name="api-logout"),
    path("logoutall/", LogoutAllView.as_view(), name="api-logoutall"),
    path("me/", MeView.as_view(), name="api-me"),
]
