"""Draft screens, under /drafts/ (docs/drafting.md)."""

from django.urls import URLPattern, path

from daftar.drafting import template_views, views

urlpatterns: list[URLPattern] = [
    path("file/<int:pk>/new/", views.draft_new, name="draft-new"),
    path("<int:pk>/", views.draft_detail, name="draft-detail"),
    path("<int:pk>/edit/", views.draft_edit, name="draft-edit"),
    path("<int:pk>/approve/", views.draft_approve, name="draft-approve"),
    path("<int:pk>/cancel/", views.draft_cancel, name="draft-cancel"),
    path("<int:pk>/compare/", views.draft_compare, name="draft-compare"),
    path("<int:pk>/preview/", views.draft_preview, name="draft-preview"),
    path("posts/", views.organisation_posts, name="draft-posts"),
    path("templates/", template_views.letter_templates, name="letter-templates"),
    path(
        "templates/preview/", template_views.letter_template_preview, name="letter-template-preview"
    ),
]
