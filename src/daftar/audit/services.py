"""Writing audit events. Called by every service inside its own transaction."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from daftar.audit.chain import GENESIS, Content, link
from daftar.audit.models import AuditEvent, ChainHead
from daftar.lib import clock
from daftar.org.models import Post, User

HEAD_PK = 1


def event_record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model,
    post: Post | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. Must run inside the transaction of the change it records."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("event_record must run inside the service's transaction")
    head = head_lock()
    content = Content(
        seq=head.seq + 1,
        at=clock.now(),
        actor_id=actor.pk if actor is not None else None,
        post_id=post.pk if post is not None else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        before=before,
        after=after,
    )
    digest = link(head.hash, content)
    event = AuditEvent.objects.create(
        seq=content.seq,
        at=content.at,
        actor=actor,
        post=post,
        action=action,
        object_type=content.object_type,
        object_id=content.object_id,
        before=before,
        after=after,
        prev_hash=head.hash,
        hash=digest,
    )
    # A separate statement from the lock above (never one CTE that touches the head twice).
    ChainHead.objects.filter(pk=HEAD_PK).update(seq=content.seq, hash=digest)
    return event


def head_lock() -> ChainHead:
    """Lock the chain head row for the rest of the caller's transaction.

    Appenders queue on this one row, so each sees the head the previous one left. The row is
    made by migration 0003; if it has gone (a test database flush), it is made again from the
    newest event, and a concurrent maker's row wins without an error.
    """
    head = ChainHead.objects.select_for_update().filter(pk=HEAD_PK).first()
    if head is not None:
        return head
    newest = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    seq, digest = newest if newest is not None else (0, GENESIS)
    ChainHead.objects.bulk_create(
        [ChainHead(pk=HEAD_PK, seq=seq, hash=digest)], ignore_conflicts=True
    )
    return ChainHead.objects.select_for_update().get(pk=HEAD_PK)


@transaction.atomic(durable=True)
def trail_export_record(*, actor: User, filters: dict[str, str]) -> AuditEvent:
    """Record that ``actor`` exported the trail (before the rows are sent: an export cut off
    half-way is still on record)."""
    return event_record(actor=actor, action="audit.export", obj=actor, after={"filters": filters})
