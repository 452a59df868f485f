"""The programme screens, under /programme/ (docs/adoption-screens.md); the training
screens, under /programme/training/, live in ``training_urls`` (the training part's own)."""

from django.urls import URLPattern, URLResolver, include, path

from daftar.adoption import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard, name="programme"),
    path("export.csv", views.programme_export, {"fmt": "csv"}, name="programme-csv"),
    path("export.xlsx", views.programme_export, {"fmt": "xlsx"}, name="programme-xlsx"),
    path("report.pdf", views.programme_export, {"fmt": "pdf"}, name="programme-pdf"),
    path("training/", include("daftar.adoption.training_urls")),
    path("<int:unit_id>/", views.organisation, name="programme-organisation"),
    path(
        "<int:unit_id>/export.csv",
        views.organisation_export,
        {"fmt": "csv"},
        name="programme-organisation-csv",
    ),
    path(
        "<int:unit_id>/export.xlsx",
        views.organisation_export,
        {"fmt": "xlsx"},
        name="programme-organisation-xlsx",
    ),
    path(
        "<int:unit_id>/report.pdf",
        views.organisation_export,
        {"fmt": "pdf"},
        name="programme-organisation-pdf",
    ),
]
