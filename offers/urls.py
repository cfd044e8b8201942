from django.urls import path

from offers import views

app_name = "offers"
urlpatterns = [
    path("", views.offer_list, name="list"),
    path("new/", views.offer_create_view, name="create"),
    path("<int:pk>/", views.offer_detail, name="detail"),
    path("<int:pk>/edit/", views.offer_edit, name="edit"),
    path("<int:pk>/letter/", views.offer_letter, name="letter"),
    path("<int:pk>/letter.pdf", views.offer_letter_pdf, name="letter-pdf"),
    path("<int:pk>/<slug:action>/", views.offer_action, name="action"),
]
