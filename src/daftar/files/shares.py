"""Sharing a file read-only with another post, for a reason and until a date.

A share is the need-to-know exception: the holders of the post it names may read the file
(``files_visible`` honours live shares) but never act on it, because every action still needs
custody. Only a person whose post holds the file now, with the ``files.share_file``
permission, shares it; each share and each revocation is an audit event.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from daftar.audit.services import event_record
from daftar.files.models import FileShare
from daftar.files.selectors import file_for_actor
from daftar.lib import clock
from daftar.lib.errors import InvalidInput, NotFound
from daftar.org.clearance import refuse_unless_cleared
from daftar.org.models import Post, User
from daftar.org.selectors import post_ids_held

SHARE_MAX_DAYS = 365
SHARE_PERMISSION = "files.share_file"


def _check_sharer(actor: User) -> None:
    if not actor.has_perm(SHARE_PERMISSION):
        raise PermissionDenied(_("You are not permitted to share files."))


def _check_until(until: dt.date) -> None:
    today = clock.now().date()
    if until < today:
        raise InvalidInput(_("The end date of a share cannot be in the past."))
    if until > today + dt.timedelta(days=SHARE_MAX_DAYS):
        raise InvalidInput(
            _("A share can last at most %(days)s days; share again when it ends.")
            % {"days": SHARE_MAX_DAYS}
        )


@transaction.atomic(durable=True)
def file_share(
    *, actor: User, file_id: int, post_id: int, until: dt.date, reason: str
) -> FileShare:
    """Let the holders of ``post_id`` read the file until ``until`` (inclusive)."""
    _check_sharer(actor)
    file = file_for_actor(actor, file_id, for_update=True)
    if file.holder_id not in post_ids_held(actor):
        raise InvalidInput(_("Only the post that holds the file can share it."))
    post = Post.objects.filter(pk=post_id, is_active=True).first()
    if post is None:
        raise InvalidInput(_("No such post to share with."))
    if post.pk == file.holder_id:
        raise InvalidInput(_("The file is already with this post."))
    if not reason.strip():
        raise InvalidInput(_("Say why the file is shared."))
    _check_until(until)
    refuse_unless_cleared(post, file.classification, vacant_ok=False)
    share = FileShare.objects.create(
        file=file,
        post=post,
        reason=reason.strip()[:500],
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
        after={"share": share.pk, "post": post.code, "until": until, "reason": share.reason},
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
    if file.holder_id not in held and share.shared_from_id not in held:
        raise InvalidInput(_("Only the post that holds the file or made the share can end it."))
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
        FileShare.objects.filter(
            file_id=file_id, revoked_at__isnull=True, until__gte=clock.now().date()
        )
        .select_related("post", "shared_by")
        .order_by("until", "id")
    )
