from django.urls import URLPattern, path

from daftar.files import api, note_api

urlpatterns: list[URLPattern] = [
    path("files/", api.FileListApi.as_view(), name="api-files"),
    path("files/<int:file_id>/", api.FileDetailApi.as_view(), name="api-file"),
    path("files/<int:file_id>/notes/", note_api.FileNotesApi.as_view(), name="api-file-notes"),
    path("files/<int:file_id>/park/", api.FileParkApi.as_view(), name="api-file-park"),
    path("files/<int:file_id>/unpark/", api.FileUnparkApi.as_view(), name="api-file-unpark"),
    path("files/<int:file_id>/close/", api.FileCloseApi.as_view(), name="api-file-close"),
    path("files/<int:file_id>/reopen/", api.FileReopenApi.as_view(), name="api-file-reopen"),
    path("notes/<int:note_id>/", note_api.NoteApi.as_view(), name="api-note"),
]
