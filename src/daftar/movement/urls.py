"""The desk and movement screens, mounted at the site root.

The note edit/delete screens are here too because their addresses (/notes/<pk>/…) sit at the
root; their views belong to daftar.files.
"""

from django.urls import URLPattern, path

from daftar.files import note_views
from daftar.movement import views

urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("posts/search/", views.post_search_view, name="post-search"),
    path("files/<int:pk>/send/", views.file_send, name="file-send"),
    path("files/<int:pk>/return/", views.file_return, name="file-return"),
    path("files/<int:pk>/pull-back/", views.file_pull_back, name="file-pull-back"),
    path("notes/<int:pk>/edit/", note_views.note_edit, name="note-edit"),
    path("notes/<int:pk>/delete/", note_views.note_delete, name="note-delete"),
]
