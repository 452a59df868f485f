"""Writing audit events. Called by every service inside its own transaction."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from daftar.audit.models import AuditEvent
from daftar.lib import clock
from daftar.org.models import Post, User


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
    return AuditEvent.objects.create(
        at=clock.now(),
        actor=actor,
        post=post,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        before=before,
        after=after,
    )
