from hiring.views import interviews, pipeline

app_name = "hiring"
urlpatterns = [*pipeline.urlpatterns, *interviews.urlpatterns]
