"""Custody of receipts: sending, returning, pulling back, opening and closing. Each owns its
transaction and writes its audit event.

Custody works exactly as for files (docs/movement.md): one post holds a receipt; only a
person holding that post acts on it; the receipt row is locked first, so of two concurrent
sends one wins and the other hears Conflict; a sender may pull a receipt back only while the
receiver has not opened it.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from daftar.audit.services import event_record
from daftar.files.models import Priority
from daftar.lib import clock
from daftar.lib.errors import Conflict, InvalidInput
from daftar.org.clearance import refuse_unless_cleared
from daftar.org.models import Post, User
from daftar.org.selectors import chain_above, post_ids_held
from daftar.receipts.models import (
    Receipt,
    ReceiptAction,
    ReceiptMovement,
    ReceiptStatus,
)
from daftar.receipts.selectors import receipt_for_actor
from daftar.receipts.signals import receipt_opened


def _held_post(actor: User, receipt: Receipt) -> Post:
    """The post through which ``actor`` acts: it must be the holder. Acting opens the
    receipt (marks the send that brought it read), inside the caller's transaction."""
    if receipt.holder_id not in post_ids_held(actor):
        raise Conflict(
            _("This receipt is now with %(post)s, not with your post.") % {"post": receipt.holder}
        )
    if receipt.current_movement_id is not None and receipt.inbox_unread:
        now = clock.now()
        opened = ReceiptMovement.objects.filter(
            pk=receipt.current_movement_id, read_at__isnull=True
        ).update(read_at=now, read_by=actor)
        receipt.inbox_unread = False
        receipt.save(update_fields=["inbox_unread"])
        if opened:
            receipt_opened.send(Receipt, receipt=receipt, actor=actor, post=receipt.holder, at=now)
    return receipt.holder


def _action_between(from_post: Post, to_post: Post, current: ReceiptMovement | None) -> str:
    if current is not None and current.from_post_id == to_post.pk:
        return ReceiptAction.RETURN
    if to_post.pk in chain_above(from_post):
        return ReceiptAction.PUT_UP
    if from_post.pk in chain_above(to_post):
        return ReceiptAction.MARK_DOWN
    return ReceiptAction.SEND_ACROSS


def _post_to_send_to(post_id: int) -> Post:
    post = Post.objects.filter(pk=post_id).first()
    if post is None:
        raise InvalidInput(_("No such post to send to."))
    return post


def _move(
    actor: User,
    receipt: Receipt,
    *,
    to_post: Post,
    action: str | None,
    remarks: str,
    priority: int | None,
    due_on: dt.date | None,
) -> ReceiptMovement:
    from_post = _held_post(actor, receipt)
    if receipt.status == ReceiptStatus.CLOSED:
        raise Conflict(_("The receipt is closed; it cannot be sent."))
    if to_post.pk == from_post.pk:
        raise InvalidInput(_("The receipt is already with this post."))
    if not to_post.is_active:
        raise InvalidInput(_("%(post)s is no longer an active post.") % {"post": to_post})
    refuse_unless_cleared(to_post, receipt.classification)
    if priority is not None and priority not in Priority.values:
        raise InvalidInput(_("Unknown priority."))
    now = clock.now()
    if due_on is not None and due_on < now.date():
        raise InvalidInput(_("The due date is in the past."))
    current = receipt.current_movement
    movement = ReceiptMovement.objects.create(
        receipt=receipt,
        from_post=from_post,
        to_post=to_post,
        sent_by=actor,
        sent_at=now,
        action=action or _action_between(from_post, to_post, current),
        remarks=remarks.strip(),
        priority=receipt.priority if priority is None else priority,
        due_on=due_on,
        previous=current,
    )
    before = {"holder": from_post.code}
    receipt.holder = to_post
    receipt.current_movement = movement
    receipt.save(update_fields=["holder", "current_movement", *receipt.mirror_current(movement)])
    event_record(
        actor=actor,
        post=from_post,
        action=f"receipt.{movement.action}",
        obj=receipt,
        before=before,
        after={
            "holder": to_post.code,
            "movement": movement.pk,
            "remarks": movement.remarks,
            "priority": movement.priority,
            "due_on": due_on,
        },
    )
    return movement


@transaction.atomic(durable=True)
def receipt_send(
    *,
    actor: User,
    receipt_id: int,
    to_post_id: int,
    remarks: str = "",
    priority: int | None = None,
    due_on: dt.date | None = None,
) -> ReceiptMovement:
    """Send from the post holding the receipt to any post: mark it to the dealing hand, put
    it up, send it across, or redirect a misrouted receipt."""
    receipt = receipt_for_actor(actor, receipt_id, for_update=True)
    return _move(
        actor,
        receipt,
        to_post=_post_to_send_to(to_post_id),
        action=None,
        remarks=remarks,
        priority=priority,
        due_on=due_on,
    )


@transaction.atomic(durable=True)
def receipt_return(*, actor: User, receipt_id: int, remarks: str = "") -> ReceiptMovement:
    """Send the receipt back to the post it came from (e.g. "not ours" to the registry)."""
    receipt = receipt_for_actor(actor, receipt_id, for_update=True)
    current = receipt.current_movement
    if current is None or current.from_post is None:
        raise Conflict(_("This receipt was diarised here; there is no one to return it to."))
    return _move(
        actor,
        receipt,
        to_post=current.from_post,
        action=ReceiptAction.RETURN,
        remarks=remarks,
        priority=None,
        due_on=None,
    )


@transaction.atomic(durable=True)
def receipt_pull_back(*, actor: User, receipt_id: int) -> ReceiptMovement:
    """Take back a receipt one sent, while the receiving post has not opened it."""
    receipt = receipt_for_actor(actor, receipt_id, for_update=True)
    current = receipt.current_movement
    if current is None or current.from_post_id not in post_ids_held(actor):
        raise Conflict(_("Only the post that sent this receipt can pull it back."))
    now = clock.now()
    # Conditional: an opening by the receiver that committed first makes this match nothing.
    claimed = ReceiptMovement.objects.filter(
        pk=current.pk, read_at__isnull=True, pulled_back_at__isnull=True
    ).update(pulled_back_at=now)
    if claimed != 1:
        raise Conflict(
            _("%(post)s has already opened the receipt; ask for it back.")
            % {"post": current.to_post}
        )
    sender, previous = current.from_post, current.previous
    if sender is None or previous is None:  # the diarisation: nothing to undo
        raise Conflict(_("This receipt was diarised here; there is nothing to pull back."))
    current.pulled_back_at = now
    receipt.holder = sender
    receipt.current_movement = previous
    receipt.save(update_fields=["holder", "current_movement", *receipt.mirror_current(previous)])
    event_record(
        actor=actor,
        post=sender,
        action="receipt.pull_back",
        obj=receipt,
        before={"holder": current.to_post.code},
        after={"holder": sender.code, "movement": current.pk},
    )
    return current


@transaction.atomic(durable=True)
def receipt_mark_read(*, actor: User, receipt_id: int) -> bool:
    """Record that the receiving post opened the receipt (ends the chance to pull it back).

    Returns True when this call was the first opening."""
    receipt = receipt_for_actor(actor, receipt_id)
    held = post_ids_held(actor)
    if not receipt.inbox_unread or receipt.holder_id not in held:
        return False  # already opened: no lock taken
    # The receipt row first, then its movement: the order every service takes them.
    receipt = receipt_for_actor(actor, receipt_id, for_update=True)
    current = receipt.current_movement
    if current is None or not receipt.inbox_unread or receipt.holder_id not in held:
        return False
    now = clock.now()
    claimed = ReceiptMovement.objects.filter(
        pk=current.pk, read_at__isnull=True, pulled_back_at__isnull=True
    ).update(read_at=now, read_by=actor)
    if claimed:
        receipt.inbox_unread = False
        receipt.save(update_fields=["inbox_unread"])
        receipt_opened.send(Receipt, receipt=receipt, actor=actor, post=receipt.holder, at=now)
        event_record(
            actor=actor,
            post=receipt.holder,
            action="receipt.read",
            obj=receipt,
            after={"movement": current.pk},
        )
    return bool(claimed)


@transaction.atomic(durable=True)
def receipt_close(*, actor: User, receipt_id: int, remarks: str = "") -> Receipt:
    """Dispose of a receipt the holder has dealt with (filed on paper, or no action needed).
    A closed receipt stays with its holder and no longer moves."""
    receipt = receipt_for_actor(actor, receipt_id, for_update=True)
    post = _held_post(actor, receipt)
    if receipt.status == ReceiptStatus.CLOSED:
        raise Conflict(_("The receipt is already closed."))
    receipt.status = ReceiptStatus.CLOSED
    receipt.closed_at = clock.now()
    receipt.save(update_fields=["status", "closed_at"])
    event_record(
        actor=actor,
        post=post,
        action="receipt.close",
        obj=receipt,
        before={"status": ReceiptStatus.OPEN},
        after={"status": ReceiptStatus.CLOSED, "remarks": remarks.strip()},
    )
    return receipt
