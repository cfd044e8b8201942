from hiring.views import applications, interviews, pipeline

app_name = "hiring"
urlpatterns = [*pipeline.urlpatterns, *applications.urlpatterns, *interviews.urlpatterns]
