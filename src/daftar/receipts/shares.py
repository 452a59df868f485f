"""Sharing a receipt read-only with another post, for a reason and until a date.

As for files (files/shares.py, rules in files/share_rules.py): the holders of the post a
share names may read the receipt (``receipts_visible`` honours live shares) but never act on
it, because every action needs custody. Only a person whose post holds the receipt now, with
the ``files.share_file`` permission, shares it; each share and revocation is an audit event.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from daftar.files.share_rules import ShareKind, Wording, share_end, share_make, shares_live
from daftar.org.models import User
from daftar.receipts.models import ReceiptShare
from daftar.receipts.selectors import receipt_for_actor


def _wording() -> Wording:
    return Wording(
        not_permitted=_("You are not permitted to share receipts."),
        not_holder=_("Only the post that holds the receipt can share it."),
        same_post=_("The receipt is already with this post."),
        no_reason=_("Say why the receipt is shared."),
        not_revoker=_("Only the post that holds the receipt or made the share can end it."),
    )


RECEIPT_SHARES = ShareKind(
    model=ReceiptShare, field="receipt", find=receipt_for_actor, wording=_wording
)


@transaction.atomic(durable=True)
def receipt_share(
    *, actor: User, receipt_id: int, post_id: int, until: dt.date, reason: str
) -> ReceiptShare:
    """Let the holders of ``post_id`` read the receipt until ``until`` (inclusive)."""
    return share_make(
        RECEIPT_SHARES,
        actor=actor,
        item_id=receipt_id,
        post_id=post_id,
        until=until,
        reason=reason,
    )


@transaction.atomic(durable=True)
def receipt_share_revoke(*, actor: User, receipt_id: int, share_id: int) -> ReceiptShare:
    """End a share now. The post holding the receipt, or the one that made the share, may."""
    return share_end(RECEIPT_SHARES, actor=actor, item_id=receipt_id, share_id=share_id)


def receipt_shares_of(receipt_id: int) -> QuerySet[ReceiptShare]:
    """The live shares of a receipt (not revoked, not yet ended), soonest ending first."""
    return shares_live(RECEIPT_SHARES, receipt_id)
