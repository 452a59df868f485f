from django.urls import URLPattern, path

from daftar.movement import api

urlpatterns: list[URLPattern] = [
    path("files/track/", api.FileTrackApi.as_view(), name="api-file-track"),
    path("files/<int:file_id>/send/", api.FileSendApi.as_view(), name="api-file-send"),
    path("files/<int:file_id>/return/", api.FileReturnApi.as_view(), name="api-file-return"),
    path(
        "files/<int:file_id>/pull-back/", api.FilePullBackApi.as_view(), name="api-file-pull-back"
    ),
    path(
        "files/<int:file_id>/movements/",
        api.FileMovementsApi.as_view(),
        name="api-file-movements",
    ),
    path("posts/", api.PostSearchApi.as_view(), name="api-posts"),
    path("posts/<int:post_id>/inbox/", api.PostInboxApi.as_view(), name="api-post-inbox"),
]
