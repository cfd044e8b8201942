from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report_index, name="index"),
    path("<int:pk>/download/", views.report_download, name="download"),
    path("<int:pk>/retry/", views.report_retry_view, name="retry"),
]
