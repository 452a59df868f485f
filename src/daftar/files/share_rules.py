"""Read-only shares, whatever is shared (a file in files/shares.py, a receipt in
receipts/shares.py): who may share, with whom, why and for how long, who may end it, and the
one way a share is made and ended (``share_make`` / ``share_end`` with a ``ShareKind``). The
messages name the thing shared, so each kind brings its own wording.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar, cast

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from daftar.audit.services import event_record
from daftar.files.models import ShareBase
from daftar.lib import clock
from daftar.lib.errors import InvalidInput, NotFound
from daftar.org.clearance import refuse_unless_cleared
from daftar.org.models import Post, User
from daftar.org.selectors import post_ids_held

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
    holder_id: int | None,
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
    *, held: Collection[int], holder_id: int | None, shared_from_id: int, wording: Wording
) -> None:
    """Only the post that holds the paper now, or the one that made the share, ends it."""
    if holder_id not in held and shared_from_id not in held:
        raise InvalidInput(wording.not_revoker)


class Shareable(Protocol):
    """A paper that can be shared: a file or a receipt."""

    @property
    def pk(self) -> Any: ...
    @property
    def holder_id(self) -> int | None: ...
    @property
    def holder(self) -> Post | None: ...
    @property
    def classification(self) -> int: ...


S = TypeVar("S", bound=ShareBase)


@dataclass(frozen=True)
class ShareKind(Generic[S]):
    """One kind of paper that can be shared: where its shares are kept (``model``, whose
    foreign key to the paper is ``field``, also the prefix of the audit actions), the paper's
    access helper, and what the refusals call it."""

    model: type[S]
    field: str
    find: Callable[..., Shareable]  # (actor, id, for_update=True), NotFound when not seen
    wording: Callable[[], Wording]


def share_make(
    kind: ShareKind[S], *, actor: User, item_id: int, post_id: int, until: dt.date, reason: str
) -> S:
    """Let the holders of ``post_id`` read the paper until ``until`` (inclusive). Runs in the
    caller's durable transaction; writes ``<field>.share``."""
    wording = kind.wording()
    check_sharer(actor, wording)
    item = kind.find(actor, item_id, for_update=True)
    checked = share_checked(
        held=post_ids_held(actor),
        holder_id=item.holder_id,
        grade=item.classification,
        post_id=post_id,
        until=until,
        reason=reason,
        wording=wording,
    )
    share = kind.model._default_manager.create(
        **{kind.field: item},
        post=checked.post,
        reason=checked.reason,
        until=until,
        shared_by=actor,
        shared_from=item.holder,
        shared_at=clock.now(),
    )
    event_record(
        actor=actor,
        post=item.holder,
        action=f"{kind.field}.share",
        obj=cast(models.Model, item),
        after={
            "share": share.pk,
            "post": checked.post.code,
            "until": until,
            "reason": checked.reason,
        },
    )
    return share


def share_end(kind: ShareKind[S], *, actor: User, item_id: int, share_id: int) -> S:
    """End a share now: the post holding the paper, or the one that made the share, may.
    Runs in the caller's durable transaction; writes ``<field>.share_revoke``."""
    item = kind.find(actor, item_id, for_update=True)
    share = (
        kind.model._default_manager.select_for_update()
        .filter(pk=share_id, revoked_at__isnull=True, **{kind.field: item})
        .select_related("post")
        .first()
    )
    if share is None:
        raise NotFound(_("No such share, or it has already ended."))
    held = post_ids_held(actor)
    check_revoker(
        held=held,
        holder_id=item.holder_id,
        shared_from_id=share.shared_from_id,
        wording=kind.wording(),
    )
    share.revoked_at = clock.now()
    share.revoked_by = actor
    share.save(update_fields=["revoked_at", "revoked_by"])
    event_record(
        actor=actor,
        post=item.holder if item.holder_id in held else share.shared_from,
        action=f"{kind.field}.share_revoke",
        obj=cast(models.Model, item),
        before={"share": share.pk, "post": share.post.code, "until": share.until},
    )
    return share


def shares_live(kind: ShareKind[S], item_id: int) -> QuerySet[S]:
    """The live shares of one paper, soonest ending first."""
    return (
        kind.model._default_manager.filter(live_shares(), **{f"{kind.field}_id": item_id})
        .select_related("post", "shared_by")
        .order_by("until", "id")
    )
