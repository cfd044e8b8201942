from django.urls import path

from candidates import views

app_name = "candidates"
urlpatterns = [
    path("", views.candidate_list, name="list"),
    path("new/", views.candidate_new, name="create"),
    path("import/", views.candidate_import, name="import"),
    path("import/template.csv", views.import_template, name="import-template"),
    path("<int:pk>/", views.candidate_detail, name="detail"),
    path("<int:pk>/edit/", views.candidate_edit, name="edit"),
    path("<int:pk>/documents/", views.candidate_document_upload, name="document-upload"),
    path("<int:pk>/erase/", views.candidate_erase, name="erase"),
    path("<int:pk>/retention/", views.retention_extend, name="retention-extend"),
    path("retention/", views.retention_due, name="retention"),
    path("documents/<int:pk>/delete/", views.document_remove, name="document-delete"),
    path("documents/<int:pk>/download/", views.document_download, name="document-download"),
]
