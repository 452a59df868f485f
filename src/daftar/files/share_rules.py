"""The rules every read-only share follows, whatever it shares (a file in files/shares.py, a
receipt in receipts/shares.py): who may share, with whom, why and for how long, and who may
end it. The messages name the thing shared, so each caller brings its own wording.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from daftar.lib import clock
from daftar.lib.errors import InvalidInput
from daftar.org.clearance import refuse_unless_cleared
from daftar.org.models import Post, User

SHARE_MAX_DAYS = 365
SHARE_PERMISSION = "files.share_file"
REASON_MAX = 500


@dataclass(frozen=True)
class Wording:
    """What the refusals say about the thing shared (already translated)."""

    not_permitted: str
    not_holder: str
    same_post: str
    no_reason: str
    not_revoker: str


@dataclass(frozen=True)
class ShareRequest:
    """A share checked against the rules: the post it opens to and the cleaned reason."""

    post: Post
    reason: str


def live_shares() -> Q:
    """The shares in force today: not revoked, and the end date (inclusive) not passed."""
    return Q(revoked_at__isnull=True, until__gte=clock.now().date())


def check_sharer(actor: User, wording: Wording) -> None:
    if not actor.has_perm(SHARE_PERMISSION):
        raise PermissionDenied(wording.not_permitted)


def check_until(until: dt.date) -> None:
    today = clock.now().date()
    if until < today:
        raise InvalidInput(_("The end date of a share cannot be in the past."))
    if until > today + dt.timedelta(days=SHARE_MAX_DAYS):
        raise InvalidInput(
            _("A share can last at most %(days)s days; share again when it ends.")
            % {"days": SHARE_MAX_DAYS}
        )


def share_checked(
    *,
    held: Collection[int],
    holder_id: int,
    grade: int,
    post_id: int,
    until: dt.date,
    reason: str,
    wording: Wording,
) -> ShareRequest:
    """Check a share of a paper with ``holder_id`` and ``grade`` by a person holding the posts
    ``held``; raise InvalidInput with the first reason it cannot be made."""
    if holder_id not in held:
        raise InvalidInput(wording.not_holder)
    post = Post.objects.filter(pk=post_id, is_active=True).first()
    if post is None:
        raise InvalidInput(_("No such post to share with."))
    if post.pk == holder_id:
        raise InvalidInput(wording.same_post)
    if not reason.strip():
        raise InvalidInput(wording.no_reason)
    check_until(until)
    refuse_unless_cleared(post, grade, vacant_ok=False)
    return ShareRequest(post=post, reason=reason.strip()[:REASON_MAX])


def check_revoker(
    *, held: Collection[int], holder_id: int, shared_from_id: int, wording: Wording
) -> None:
    """Only the post that holds the paper now, or the one that made the share, ends it."""
    if holder_id not in held and shared_from_id not in held:
        raise InvalidInput(wording.not_revoker)
