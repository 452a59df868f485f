"""The receipt page's share panel: sharing a receipt read-only with another post
(receipts/shares.py), with the same views as the file page's (files/share_views.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from daftar.files.share_views import SharePage, share_views
from daftar.receipts.shares import receipt_share, receipt_share_revoke
from daftar.receipts.views import action_failed

share_add, share_revoke = share_views(
    SharePage(
        share=receipt_share,
        revoke=receipt_share_revoke,
        id_name="receipt_id",
        page="receipt-detail",
        failed=action_failed,
        ended=gettext_lazy("%(post)s can no longer read this receipt."),
    )
)
