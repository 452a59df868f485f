"""Moving files between posts. Each function locks the file, checks custody, writes the
movement and its audit event in one transaction.

The file row lock (``SELECT … FOR UPDATE``; on SQLite the IMMEDIATE write lock) makes two
concurrent actions on one file queue up: the second sees the new holder and gets a Conflict.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from daftar.audit.services import event_record
from daftar.files.models import File, FileStatus, Priority
from daftar.files.selectors import file_for_actor
from daftar.files.services import held_post, notes_finalise
from daftar.lib import clock
from daftar.lib.errors import Conflict, InvalidInput
from daftar.movement.models import Action, Movement
from daftar.org.clearance import refuse_unless_cleared
from daftar.org.models import Post, User
from daftar.org.selectors import chain_above, post_ids_held


def _action_between(from_post: Post, to_post: Post, current: Movement | None) -> str:
    if current is not None and current.from_post_id == to_post.pk:
        return Action.RETURN
    if to_post.pk in chain_above(from_post):
        return Action.PUT_UP
    if from_post.pk in chain_above(to_post):
        return Action.MARK_DOWN
    return Action.SEND_ACROSS


def _move(
    actor: User,
    file: File,
    *,
    to_post: Post,
    action: str | None,
    remarks: str,
    priority: int | None,
    due_on: dt.date | None,
) -> Movement:
    from_post = held_post(actor, file)
    if file.status == FileStatus.CLOSED:
        raise Conflict(_("The file is closed; reopen it before sending it."))
    if to_post.pk == from_post.pk:
        raise InvalidInput(_("The file is already with this post."))
    if not to_post.is_active:
        raise InvalidInput(_("%(post)s is no longer an active post.") % {"post": to_post})
    refuse_unless_cleared(to_post, file.classification)
    if priority is not None and priority not in Priority.values:
        raise InvalidInput(_("Unknown priority."))
    now = clock.now()
    if due_on is not None and due_on < now.date():
        raise InvalidInput(_("The due date is in the past."))
    current = file.current_movement
    movement = Movement.objects.create(
        file=file,
        from_post=from_post,
        to_post=to_post,
        sent_by=actor,
        sent_at=now,
        action=action or _action_between(from_post, to_post, current),
        remarks=remarks.strip(),
        priority=file.priority if priority is None else priority,
        due_on=due_on,
        previous=current,
    )
    finalised = notes_finalise(file)
    before = {"holder": from_post.code, "status": file.status}
    file.holder = to_post
    file.current_movement = movement
    file.status = FileStatus.OPEN  # sending a parked file takes it out of the park
    file.save(
        update_fields=["holder", "current_movement", "status", *file.mirror_current(movement)]
    )
    event_record(
        actor=actor,
        post=from_post,
        action=f"file.{movement.action}",
        obj=file,
        before=before,
        after={
            "holder": to_post.code,
            "movement": movement.pk,
            "remarks": movement.remarks,
            "priority": movement.priority,
            "due_on": due_on,
            "notes_finalised": finalised,
        },
    )
    return movement


def _active_post(post_id: int) -> Post:
    post = Post.objects.filter(pk=post_id).first()
    if post is None:
        raise InvalidInput(_("No such post to send to."))
    return post


@transaction.atomic(durable=True)
def file_send(
    *,
    actor: User,
    file_id: int,
    to_post_id: int,
    remarks: str = "",
    priority: int | None = None,
    due_on: dt.date | None = None,
) -> Movement:
    """Send from the post holding the file to any post: up, down or across (or back)."""
    file = file_for_actor(actor, file_id, for_update=True)
    return _move(
        actor,
        file,
        to_post=_active_post(to_post_id),
        action=None,
        remarks=remarks,
        priority=priority,
        due_on=due_on,
    )


@transaction.atomic(durable=True)
def file_return(*, actor: User, file_id: int, remarks: str = "") -> Movement:
    """Send the file back to the post it came from."""
    file = file_for_actor(actor, file_id, for_update=True)
    current = file.current_movement
    if current is None or current.from_post is None:
        raise Conflict(_("This file was opened here; there is no one to return it to."))
    return _move(
        actor,
        file,
        to_post=current.from_post,
        action=Action.RETURN,
        remarks=remarks,
        priority=None,
        due_on=None,
    )


@transaction.atomic(durable=True)
def file_pull_back(*, actor: User, file_id: int) -> Movement:
    """Take back a file one sent, while the receiving post has not opened it."""
    file = file_for_actor(actor, file_id, for_update=True)
    current = file.current_movement
    if current is None or current.from_post_id not in post_ids_held(actor):
        raise Conflict(_("Only the post that sent this file can pull it back."))
    now = clock.now()
    # Conditional: an open by the receiver that committed first makes this match nothing.
    claimed = Movement.objects.filter(
        pk=current.pk, read_at__isnull=True, pulled_back_at__isnull=True
    ).update(pulled_back_at=now)
    if claimed != 1:
        raise Conflict(
            _("%(post)s has already opened the file; ask for it back.") % {"post": current.to_post}
        )
    sender, previous = current.from_post, current.previous
    if sender is None or previous is None:  # an OPEN movement: nothing to undo
        raise Conflict(_("This file was opened here; there is nothing to pull back."))
    current.pulled_back_at = now  # the caller gets the movement as it now stands
    file.holder = sender
    file.current_movement = previous
    file.save(update_fields=["holder", "current_movement", *file.mirror_current(previous)])
    event_record(
        actor=actor,
        post=sender,
        action="file.pull_back",
        obj=file,
        before={"holder": current.to_post.code},
        after={"holder": sender.code, "movement": current.pk},
    )
    return current


@transaction.atomic(durable=True)
def file_mark_read(*, actor: User, file_id: int) -> bool:
    """Record that the receiving post opened the file (ends the chance to pull it back).

    Returns True when this call was the first opening.
    """
    file = file_for_actor(actor, file_id)
    held = post_ids_held(actor)
    if not file.inbox_unread or file.holder_id not in held:
        return False  # the common case, a file already opened: no lock taken
    # Locks in the order every service takes them, the file and then its movement; taking the
    # movement first deadlocks against a concurrent pull back.
    file = file_for_actor(actor, file_id, for_update=True)
    current = file.current_movement
    if current is None or not file.inbox_unread or file.holder_id not in held:
        return False
    claimed = Movement.objects.filter(
        pk=current.pk, read_at__isnull=True, pulled_back_at__isnull=True
    ).update(read_at=clock.now(), read_by=actor)
    if claimed:
        file.inbox_unread = False
        file.save(update_fields=["inbox_unread"])
        event_record(
            actor=actor,
            post=file.holder,
            action="file.read",
            obj=file,
            after={"movement": current.pk},
        )
    return bool(claimed)
