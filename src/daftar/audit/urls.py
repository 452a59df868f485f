"""Auditor screens, under /audit/."""

from django.urls import URLPattern, path

from daftar.audit import views

urlpatterns: list[URLPattern] = [
    path("", views.trail_list, name="audit-trail"),
    path("export.csv", views.trail_export, name="audit-export"),
]
