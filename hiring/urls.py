from hiring.views import adding, applications, interviews, pipeline

app_name = "hiring"
urlpatterns = [
    *pipeline.urlpatterns,
    *applications.urlpatterns,
    *interviews.urlpatterns,
    *adding.urlpatterns,
]
