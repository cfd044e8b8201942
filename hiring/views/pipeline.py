"""Pages: dashboard, requisitions, board, job description (pipeline work)."""

from django.urls import path
from django.views.generic import TemplateView

urlpatterns = [path("", TemplateView.as_view(template_name="base.html"), name="dashboard")]
