from django.urls import path

from core.api_views import (
    LogoutAllView,
    LogoutView,
    MeView,
    ObtainTokenView,
    TokenDetailView,
    TokenListView,
)

urlpatterns = [
    path("token/", ObtainTokenView.as_view(), name="api-token"),
    path("tokens/", TokenListView.as_view(), name="api-tokens"),
    path("tokens/<str:token_id>/", TokenDetailView.as_view(), name="api-token-detail"),
    path("logout/", LogoutView.as_view(), name="api-logout"),
    path("logoutall/", LogoutAllView.as_view(), name="api-logoutall"),
    path("me/", MeView.as_view(), name="api-me"),
]
