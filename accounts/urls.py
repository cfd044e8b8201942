from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="account"),
    path("two-factor/", views.two_factor_page, name="two-factor"),
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
]
