"""Sharing a file read-only with another post, for a reason and until a date.

A share is the need-to-know exception: the holders of the post it names may read the file
(``files_visible`` honours live shares) but never act on it, because every action still needs
custody. Only a person whose post holds the file now, with the ``files.share_file``
permission, shares it; each share and each revocation is an audit event.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from daftar.audit.services import event_record
from daftar.files.models import FileShare
from daftar.files.selectors import file_for_actor
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


def _wording() -> Wording:
    return Wording(
        not_permitted=_("You are not permitted to share files."),
        not_holder=_("Only the post that holds the file can share it."),
        same_post=_("The file is already with this post."),
        no_reason=_("Say why the file is shared."),
        not_revoker=_("Only the post that holds the file or made the share can end it."),
    )


@transaction.atomic(durable=True)
def file_share(
    *, actor: User, file_id: int, post_id: int, until: dt.date, reason: str
) -> FileShare:
    """Let the holders of ``post_id`` read the file until ``until`` (inclusive)."""
    check_sharer(actor, _wording())
    file = file_for_actor(actor, file_id, for_update=True)
    checked = share_checked(
        held=post_ids_held(actor),
        holder_id=file.holder_id,
        grade=file.classification,
        post_id=post_id,
        until=until,
        reason=reason,
        wording=_wording(),
    )
    share = FileShare.objects.create(
        file=file,
        post=checked.post,
        reason=checked.reason,
        until=until,
        shared_by=actor,
        shared_from=file.holder,
        shared_at=clock.now(),
    )
    event_record(
        actor=actor,
        post=file.holder,
        action="file.share",
        obj=file,
        after={"share": share.pk, "post": share.post.code, "until": until, "reason": share.reason},
    )
    return share


@transaction.atomic(durable=True)
def file_share_revoke(*, actor: User, file_id: int, share_id: int) -> FileShare:
    """End a share now. The post holding the file, or the one that made the share, may."""
    file = file_for_actor(actor, file_id, for_update=True)
    share = (
        FileShare.objects.select_for_update()
        .filter(pk=share_id, file=file, revoked_at__isnull=True)
        .select_related("post")
        .first()
    )
    if share is None:
        raise NotFound(_("No such share, or it has already ended."))
    held = post_ids_held(actor)
    check_revoker(
        held=held, holder_id=file.holder_id, shared_from_id=share.shared_from_id, wording=_wording()
    )
    share.revoked_at = clock.now()
    share.revoked_by = actor
    share.save(update_fields=["revoked_at", "revoked_by"])
    event_record(
        actor=actor,
        post=file.holder if file.holder_id in held else share.shared_from,
        action="file.share_revoke",
        obj=file,
        before={"share": share.pk, "post": share.post.code, "until": share.until},
    )
    return share


def shares_of(file_id: int) -> QuerySet[FileShare]:
    """The live shares of a file (not revoked, not yet ended), soonest ending first."""
    return (
        FileShare.objects.filter(live_shares(), file_id=file_id)
        .select_related("post", "shared_by")
        .order_by("until", "id")
    )
