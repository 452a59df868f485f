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

from daftar.audit.services import event_record
from daftar.files.share_rules import (
    Wording,
    check_revoker,
    check_sharer,
    live_shares,
    share_checked,
)
from daftar.lib import clock
from daftar.lib.errors import NotFound
from daftar.org.models import User
from daftar.org.selectors import post_ids_held
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


@transaction.atomic(durable=True)
def receipt_share(
    *, actor: User, receipt_id: int, post_id: int, until: dt.date, reason: str
) -> ReceiptShare:
    """Let the holders of ``post_id`` read the receipt until ``until`` (inclusive)."""
    check_sharer(actor, _wording())
    receipt = receipt_for_actor(actor, receipt_id, for_update=True)
    checked = share_checked(
        held=post_ids_held(actor),
        holder_id=receipt.holder_id,
        grade=receipt.classification,
        post_id=post_id,
        until=until,
        reason=reason,
        wording=_wording(),
    )
    share = ReceiptShare.objects.create(
        receipt=receipt,
        post=checked.post,
        reason=checked.reason,
        until=until,
        shared_by=actor,
        shared_from=receipt.holder,
        shared_at=clock.now(),
    )
    event_record(
        actor=actor,
        post=receipt.holder,
        action="receipt.share",
        obj=receipt,
        after={"share": share.pk, "post": share.post.code, "until": until, "reason": share.reason},
    )
    return share


@transaction.atomic(durable=True)
def receipt_share_revoke(*, actor: User, receipt_id: int, share_id: int) -> ReceiptShare:
    """End a share now. The post holding the receipt, or the one that made the share, may."""
    receipt = receipt_for_actor(actor, receipt_id, for_update=True)
    share = (
        ReceiptShare.objects.select_for_update()
        .filter(pk=share_id, receipt=receipt, revoked_at__isnull=True)
        .select_related("post")
        .first()
    )
    if share is None:
        raise NotFound(_("No such share, or it has already ended."))
    held = post_ids_held(actor)
    check_revoker(
        held=held,
        holder_id=receipt.holder_id,
        shared_from_id=share.shared_from_id,
        wording=_wording(),
    )
    share.revoked_at = clock.now()
    share.revoked_by = actor
    share.save(update_fields=["revoked_at", "revoked_by"])
    event_record(
        actor=actor,
        post=receipt.holder if receipt.holder_id in held else share.shared_from,
        action="receipt.share_revoke",
        obj=receipt,
        before={"share": share.pk, "post": share.post.code, "until": share.until},
    )
    return share


def receipt_shares_of(receipt_id: int) -> QuerySet[ReceiptShare]:
    """The live shares of a receipt (not revoked, not yet ended), soonest ending first."""
    return (
        ReceiptShare.objects.filter(live_shares(), receipt_id=receipt_id)
        .select_related("post", "shared_by")
        .order_by("until", "id")
    )
