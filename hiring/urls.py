from hiring.views import adding, applications, board, interviews, pipeline

app_name = "hiring"
urlpatterns = [
    *pipeline.urlpatterns,
    *board.urlpatterns,
    *applications.urlpatterns,
    *interviews.urlpatterns,
    *adding.urlpatterns,
]
