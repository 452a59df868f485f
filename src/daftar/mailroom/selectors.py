"""Reads of fetched e-mails, with access applied.

A draft is seen by the people who hold, today, the post it waits at (the mailbox's post
when it was fetched). Everyone else hears NotFound, for missing and forbidden alike.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from daftar.documents.storage import blob_store
from daftar.lib.errors import NotFound
from daftar.mailroom.models import IncomingAttachment, IncomingMail, IncomingStatus
from daftar.org.models import User
from daftar.org.selectors import post_ids_held, post_ids_held_query


def _not_found() -> NotFound:
    return NotFound(_("No such e-mail, or it is not open to you."))


def incoming_visible(actor: User) -> QuerySet[IncomingMail]:
    return IncomingMail.objects.filter(post_id__in=post_ids_held_query(actor))


def incoming_for_actor(actor: User, incoming_id: int, *, for_update: bool = False) -> IncomingMail:
    """The draft if ``actor`` may see it, else NotFound. ``for_update`` locks the row."""
    if for_update:
        list(IncomingMail.objects.select_for_update().filter(pk=incoming_id).values_list("pk"))
    found = (
        incoming_visible(actor)
        .select_related("mailbox__unit", "post", "message_document", "receipt")
        .filter(pk=incoming_id)
        .first()
    )
    if found is None:
        raise _not_found()
    return found


def incoming_waiting(actor: User, *, post_id: int) -> QuerySet[IncomingMail]:
    """The drafts waiting at ``post_id`` (a post the actor holds), oldest first: summaries
    (no body text), with the mailbox, in one query."""
    if post_id not in post_ids_held(actor):
        raise NotFound(_("You do not hold that post."))
    return (
        IncomingMail.objects.filter(post_id=post_id, status=IncomingStatus.NEW)
        .select_related("mailbox")
        .defer("body_text")
        .order_by("created_at", "pk")
    )


def incoming_attachments(incoming: IncomingMail) -> QuerySet[IncomingAttachment]:
    """The attachments in order, each with its stored document (None when refused)."""
    return incoming.attachments.select_related("document").order_by("order")


def incoming_raw(actor: User, incoming_id: int) -> bytes:
    """The message exactly as received (an .eml), checked against its SHA-256 on reading."""
    incoming = incoming_for_actor(actor, incoming_id)
    return blob_store().read(incoming.raw_sha256)


def incoming_waiting_count(actor: User) -> int:
    """How many e-mail drafts wait at the posts the actor holds (one query)."""
    return IncomingMail.objects.filter(
        post_id__in=post_ids_held_query(actor), status=IncomingStatus.NEW
    ).count()
