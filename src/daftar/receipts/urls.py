"""Receipt screens, under /receipts/."""

from django.urls import URLPattern, path

from daftar.receipts import action_views, diary_views, share_views, views

urlpatterns: list[URLPattern] = [
    path("new/", diary_views.receipt_new, name="receipt-new"),
    path("track/", diary_views.receipt_track, name="receipt-track"),
    path("senders/search/", diary_views.sender_search_view, name="sender-search"),
    path("<int:pk>/", views.receipt_detail, name="receipt-detail"),
    path(
        "<int:pk>/documents/<int:document_id>/pages/<int:number>/",
        views.receipt_page_image,
        name="receipt-page-image",
    ),
    path(
        "<int:pk>/documents/<int:document_id>/original/",
        views.receipt_document_original,
        name="receipt-document-original",
    ),
    path("<int:pk>/send/", action_views.receipt_send, name="receipt-send"),
    path("<int:pk>/return/", action_views.receipt_return, name="receipt-return"),
    path("<int:pk>/pull-back/", action_views.receipt_pull_back, name="receipt-pull-back"),
    path("<int:pk>/close/", action_views.receipt_close, name="receipt-close"),
    path("<int:pk>/open-file/", action_views.receipt_open_file, name="receipt-open-file"),
    path("<int:pk>/put-on-file/", action_views.receipt_put_on, name="receipt-put-on-file"),
    path("<int:pk>/files/", action_views.file_choices, name="receipt-file-choices"),
    path("<int:pk>/shares/", share_views.share_add, name="receipt-share"),
    path(
        "<int:pk>/shares/<int:share_id>/revoke/",
        share_views.share_revoke,
        name="receipt-share-revoke",
    ),
    path("<int:pk>/release/", action_views.receipt_release, name="receipt-release"),
    path(
        "<int:pk>/acknowledgement/",
        action_views.receipt_acknowledgement,
        name="receipt-acknowledgement",
    ),
    path(
        "<int:pk>/acknowledgement/email/",
        action_views.receipt_acknowledge_email,
        name="receipt-acknowledge-email",
    ),
]
