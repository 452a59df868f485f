"""The training screens, mounted by ``daftar.adoption.urls`` at /programme/training/."""

from django.urls import path

from daftar.adoption import training_views as views

urlpatterns = [
    path("", views.training_list, name="training-list"),
    path("new/", views.training_new, name="training-new"),
    path("import/", views.training_upload, name="training-import"),
    path("template.csv", views.training_template, name="training-template"),
    path("<int:pk>/", views.training_detail, name="training-detail"),
]
