from django.urls import path

from core.api_views import ObtainTokenView

urlpatterns = [path("token/", ObtainTokenView.as_view(), name="api-token")]
