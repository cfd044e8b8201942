from hiring.views import applications, board, interviews, pipeline

app_name = "hiring"
urlpatterns = [
    *pipeline.urlpatterns,
    *board.urlpatterns,
    *applications.urlpatterns,
    *interviews.urlpatterns,
]
