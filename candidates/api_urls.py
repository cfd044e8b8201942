from django.urls import path
from rest_framework.routers import SimpleRouter

from candidates.api import CandidateViewSet, DocumentDownloadView, DocumentView

router = SimpleRouter()
router.register("candidates", CandidateViewSet, basename="candidate")

urlpatterns = [
    path("documents/<int:pk>/", DocumentView.as_view(), name="candidate-document"),
    path(
        "documents/<int:pk>/download/",
        DocumentDownloadView.as_view(),
        name="candidate-document-download",
    ),
    *router.urls,
]
