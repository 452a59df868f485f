"""File screens, under /files/. Sending and the post picker live in daftar.movement.urls."""

from django.urls import URLPattern, path

from daftar.files import access_views, export_views, note_views, page_views, views

urlpatterns: list[URLPattern] = [
    path("new/", views.file_new, name="file-new"),
    path("track/", views.file_track, name="file-track"),
    path("<int:pk>/", views.file_detail, name="file-detail"),
    path("<int:pk>/notes/", note_views.note_add, name="note-add"),
    path("<int:pk>/park/", views.file_park, name="file-park"),
    path("<int:pk>/unpark/", views.file_unpark, name="file-unpark"),
    path("<int:pk>/close/", views.file_close, name="file-close"),
    path("<int:pk>/reopen/", views.file_reopen, name="file-reopen"),
    path("<int:pk>/grade/", access_views.grade_change, name="file-grade"),
    path("<int:pk>/shares/", access_views.share_add, name="file-share"),
    path(
        "<int:pk>/shares/<int:share_id>/revoke/",
        access_views.share_revoke,
        name="file-share-revoke",
    ),
    path("<int:pk>/export.pdf", export_views.file_export_view, name="file-export"),
    path("<int:pk>/release/", export_views.file_release, name="file-release"),
    path("<int:pk>/pages/<int:number>/", page_views.file_page_view, name="file-page"),
    path("<int:pk>/pages/<int:number>/copy/", page_views.file_page_copy, name="file-page-copy"),
    path("<int:pk>/copy-choices/", page_views.file_copy_choices, name="file-copy-choices"),
    path("<int:pk>/pages/<int:number>/image/", page_views.file_page_image, name="file-page-image"),
    path(
        "<int:pk>/pages/<int:number>/original/",
        page_views.file_page_original,
        name="file-page-original",
    ),
]
