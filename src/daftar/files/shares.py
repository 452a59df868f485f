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

from daftar.files.models import FileShare
from daftar.files.selectors import file_for_actor
from daftar.files.share_rules import ShareKind, Wording, share_end, share_make, shares_live
from daftar.org.models import User


def _wording() -> Wording:
    return Wording(
        not_permitted=_("You are not permitted to share files."),
        not_holder=_("Only the post that holds the file can share it."),
        same_post=_("The file is already with this post."),
        no_reason=_("Say why the file is shared."),
        not_revoker=_("Only the post that holds the file or made the share can end it."),
    )


FILE_SHARES = ShareKind(model=FileShare, field="file", find=file_for_actor, wording=_wording)


@transaction.atomic(durable=True)
def file_share(
    *, actor: User, file_id: int, post_id: int, until: dt.date, reason: str
) -> FileShare:
    """Let the holders of ``post_id`` read the file until ``until`` (inclusive)."""
    return share_make(
        FILE_SHARES, actor=actor, item_id=file_id, post_id=post_id, until=until, reason=reason
    )


@transaction.atomic(durable=True)
def file_share_revoke(*, actor: User, file_id: int, share_id: int) -> FileShare:
    """End a share now. The post holding the file, or the one that made the share, may."""
    return share_end(FILE_SHARES, actor=actor, item_id=file_id, share_id=share_id)


def shares_of(file_id: int) -> QuerySet[FileShare]:
    """The live shares of a file (not revoked, not yet ended), soonest ending first."""
    return shares_live(FILE_SHARES, file_id)
