from django.urls import path

from roles import views

app_name = "roles"
urlpatterns = [
    path("levels/", views.levels, name="levels"),
]
