"""Completing the mailroom's drafts. Each owns its transaction and writes its audit event.

``mail_register`` diarises the draft as an e-mail receipt through ``receipt_register`` and
marks the draft registered, in one transaction; ``mail_discard`` puts a draft aside with a
reason. Fetching the drafts from a mailbox is in ``daftar.mailroom.fetching``.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.translation import gettext as _

from daftar.audit.services import event_record
from daftar.documents.services import document_store
from daftar.documents.storage import blob_store
from daftar.files.models import Classification, Priority
from daftar.lib import clock
from daftar.lib.errors import Conflict, InvalidInput
from daftar.mailroom.models import IncomingMail, IncomingStatus
from daftar.mailroom.selectors import incoming_for_actor
from daftar.org.models import User
from daftar.org.selectors import organisation_of
from daftar.receipts.diary import MAX_SUBJECT, receipt_register
from daftar.receipts.models import Language, Mode, Receipt, Sender
from daftar.receipts.senders import sender_create


def _documents_for(actor: User, incoming: IncomingMail) -> list[int]:
    """The draft's documents (the message, then the stored attachments) as ``actor``'s
    uploads. They were stored in the name of whoever held the post at the fetch; if the post
    has changed hands since, they are stored again in the actor's name (same blobs)."""
    documents = [incoming.message_document] + [
        a.document
        for a in incoming.attachments.select_related("document").order_by("order")
        if a.document is not None
    ]
    ids = []
    for document in documents:
        if document.uploaded_by_id == actor.pk:
            ids.append(document.pk)
        else:
            content = blob_store().read(document.sha256)
            ids.append(document_store(actor=actor, name=document.original_name, content=content).pk)
    return ids


def _sender_for(actor: User, incoming: IncomingMail, sender_id: int | None) -> int:
    if sender_id is not None:
        return sender_id
    if not incoming.from_address:
        raise InvalidInput(_("The message has no sender's address; choose the sender."))
    known = Sender.objects.filter(email__iexact=incoming.from_address).order_by("pk").first()
    if known is not None:
        return known.pk
    name = incoming.from_name or incoming.from_address
    return sender_create.within(actor=actor, name=name, email=incoming.from_address).pk


def mail_register(
    *,
    actor: User,
    incoming_id: int,
    subject: str | None = None,
    received_on: dt.date | None = None,
    sender_id: int | None = None,
    letter_number: str = "",
    letter_date: dt.date | None = None,
    language: str = Language.ENGLISH,
    priority: int = Priority.ROUTINE,
    classification: int = Classification.UNCLASSIFIED,
    enclosures: str = "",
    remarks: str = "",
    send_to_post_id: int | None = None,
    send_remarks: str = "",
    due_on: dt.date | None = None,
) -> Receipt:
    """Complete a draft into an e-mail receipt, diarised at the draft's post.

    The sender is the one chosen, else the directory entry with the From address, else a new
    entry made from the From header. The subject defaults to the message's; the date of
    receipt to the day it was fetched (in the organisation's zone); the letter date to the
    message's date. The receipt's documents are the message (PDF) and the stored attachments.
    """
    incoming = incoming_for_actor(actor, incoming_id)
    if incoming.status != IncomingStatus.NEW:
        raise Conflict(_("This e-mail has already been dealt with."))
    document_ids = _documents_for(actor, incoming)
    with transaction.atomic(durable=True):
        incoming = incoming_for_actor(actor, incoming_id, for_update=True)
        if incoming.status != IncomingStatus.NEW:
            raise Conflict(_("This e-mail has already been dealt with."))
        zone = ZoneInfo(organisation_of(incoming.mailbox.unit).time_zone)
        received = received_on or incoming.created_at.astimezone(zone).date()
        dated = letter_date
        if dated is None and incoming.sent_at is not None:
            dated = min(incoming.sent_at.astimezone(zone).date(), received)
        default_subject = incoming.subject[:MAX_SUBJECT] or _("(no subject)")
        receipt = receipt_register.within(
            actor=actor,
            post_id=incoming.post_id,
            sender_id=_sender_for(actor, incoming, sender_id),
            subject=subject if subject is not None else default_subject,
            received_on=received,
            mode=Mode.EMAIL,
            letter_number=letter_number,
            letter_date=dated,
            language=language,
            priority=priority,
            classification=classification,
            enclosures=enclosures,
            remarks=remarks,
            document_ids=document_ids,
            send_to_post_id=send_to_post_id,
            send_remarks=send_remarks,
            due_on=due_on,
        )
        incoming.status = IncomingStatus.REGISTERED
        incoming.receipt = receipt
        incoming.decided_by = actor
        incoming.decided_at = clock.now()
        incoming.save(update_fields=["status", "receipt", "decided_by", "decided_at"])
        event_record(
            actor=actor,
            post=incoming.post,
            action="mail.register",
            obj=incoming,
            before={"status": IncomingStatus.NEW},
            after={
                "status": IncomingStatus.REGISTERED,
                "receipt": receipt.pk,
                "diary_number": receipt.diary_number,
            },
        )
    return receipt


@transaction.atomic(durable=True)
def mail_discard(*, actor: User, incoming_id: int, reason: str) -> IncomingMail:
    """Put a draft aside (spam, a duplicate, not for this office), saying why. The message
    and its documents are kept."""
    reason = reason.strip()
    incoming = incoming_for_actor(actor, incoming_id, for_update=True)
    if incoming.status != IncomingStatus.NEW:
        raise Conflict(_("This e-mail has already been dealt with."))
    if not reason:
        raise InvalidInput(_("Say why the e-mail is discarded."))
    incoming.status = IncomingStatus.DISCARDED
    incoming.discard_reason = reason
    incoming.decided_by = actor
    incoming.decided_at = clock.now()
    incoming.save(update_fields=["status", "discard_reason", "decided_by", "decided_at"])
    event_record(
        actor=actor,
        post=incoming.post,
        action="mail.discard",
        obj=incoming,
        before={"status": IncomingStatus.NEW},
        after={"status": IncomingStatus.DISCARDED, "reason": reason},
    )
    return incoming
