"""Diarising receipts: entering a letter in the diary of a unit with the next diary number,
its documents and its first movement, and the register-and-send of the diarise screen. Each
service owns its transaction (or runs within the caller's) and writes its audit event.

Diary numbers are gap-free per diarising unit and year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from daftar.audit.services import event_record
from daftar.documents.models import Document
from daftar.files.models import Classification, Priority
from daftar.lib import clock
from daftar.lib.changes import changed
from daftar.lib.errors import InvalidInput, NotFound
from daftar.lib.transactions import composable
from daftar.org.clearance import not_cleared_message
from daftar.org.models import OrgUnit, Post, User
from daftar.org.selectors import organisation_of, post_ids_held
from daftar.org.services import sequence_next
from daftar.receipts.acknowledgement import reference_for
from daftar.receipts.custody import _move, _post_to_send_to
from daftar.receipts.models import (
    Language,
    Mode,
    Receipt,
    ReceiptAction,
    ReceiptDocument,
    ReceiptMovement,
    Sender,
)
from daftar.receipts.senders import _clean_line

MAX_SUBJECT = 500


def _diary_number(unit: OrgUnit, *, serial: int, year: int) -> str:
    try:
        return unit.diary_number_template.format(serial=serial, year=year, unit=unit.code)
    except (KeyError, IndexError, ValueError) as exc:
        raise InvalidInput(
            _(
                "The diary number template of %(unit)s is not valid: %(error)s. "
                "Ask the organisation admin to correct it."
            )
            % {"unit": unit.code, "error": exc}
        ) from exc


def receipt_diarise(
    receipt: Receipt,
    *,
    unit: OrgUnit,
    year: int,
    post: Post,
    actor: User,
    at: dt.datetime,
    document_ids: Sequence[int],
    read: bool = True,
) -> Receipt:
    """Enter ``receipt`` (the letter's details filled in, not yet saved) in the diary of
    ``unit`` for ``year``: the next gap-free diary number and its slip reference, its
    documents in order, and the diarising movement to ``post``, opened there by ``actor`` at
    once unless ``read`` is False. Inside the caller's transaction; the caller audits."""
    serial = sequence_next(key=f"diary:{unit.pk}:{year}")
    number = _diary_number(unit, serial=serial, year=year)
    if Receipt.objects.filter(diary_number=number).exists():
        raise InvalidInput(
            _("Diary number %(number)s is taken; check the diary number template of %(unit)s.")
            % {"number": number, "unit": unit.name}
        )
    reference, attempt = reference_for(number), 0
    while Receipt.objects.filter(reference=reference).exists():
        attempt += 1
        reference = reference_for(number, attempt=attempt)
    receipt.registry = unit
    receipt.year = year
    receipt.serial = serial
    receipt.diary_number = number
    receipt.reference = reference
    receipt.holder = post
    receipt.created_by = actor
    receipt.created_at = at
    receipt.save(force_insert=True)
    ReceiptDocument.objects.bulk_create(
        ReceiptDocument(receipt=receipt, document_id=doc_id, order=i)
        for i, doc_id in enumerate(document_ids, start=1)
    )
    diarised = ReceiptMovement.objects.create(
        receipt=receipt,
        action=ReceiptAction.DIARISE,
        to_post=post,
        sent_by=actor,
        sent_at=at,
        priority=receipt.priority,
        read_at=at if read else None,
        read_by=actor if read else None,
    )
    receipt.current_movement = diarised
    receipt.save(update_fields=["current_movement", *receipt.mirror_current(diarised)])
    changed("receipt", [receipt.pk])
    return receipt


def _claim_documents(actor: User, document_ids: Sequence[int], *, is_physical: bool) -> list[int]:
    """Check the documents of a new receipt; locks them so two diarisations of one upload
    queue up and the second is refused."""
    ids = list(document_ids)
    if is_physical:
        if ids:
            raise InvalidInput(
                _("A physical receipt is tracked by number only; diarise scans as electronic.")
            )
        return []
    if not ids:
        raise InvalidInput(_("An electronic receipt needs at least one document."))
    if len(set(ids)) != len(ids):
        raise InvalidInput(_("The same document is listed twice."))
    found = {
        doc.pk: doc
        for doc in Document.objects.select_for_update().filter(pk__in=sorted(ids)).order_by("pk")
    }
    for doc_id in ids:
        doc = found.get(doc_id)
        # Someone else's upload is answered like a missing one: its name is not ours to see.
        if doc is None or doc.uploaded_by_id != actor.pk:
            raise InvalidInput(
                _("Document %(id)s is not among your uploads; upload it first.") % {"id": doc_id}
            )
    taken = (
        ReceiptDocument.objects.filter(document_id__in=ids)
        .select_related("receipt")
        .order_by("document_id")
        .first()
    )
    if taken is not None:
        raise InvalidInput(
            _("%(document)s is already on receipt %(number)s.")
            % {"document": found[taken.document_id], "number": taken.receipt.diary_number}
        )
    return ids


@composable
def receipt_register(
    *,
    actor: User,
    post_id: int,
    sender_id: int,
    subject: str,
    received_on: dt.date,
    mode: str,
    letter_number: str = "",
    letter_date: dt.date | None = None,
    language: str = Language.ENGLISH,
    priority: int = Priority.ROUTINE,
    classification: int = Classification.UNCLASSIFIED,
    enclosures: str = "",
    remarks: str = "",
    is_physical: bool = False,
    document_ids: Sequence[int] = (),
    send_to_post_id: int | None = None,
    send_remarks: str = "",
    due_on: dt.date | None = None,
) -> Receipt:
    """Diarise a receipt in the diary of the unit of ``post_id`` (a post the actor holds).

    Electronic receipts take the documents the actor uploaded beforehand (``document_ids``,
    in order); physical ones none. With ``send_to_post_id`` the receipt is also sent on in
    the same transaction ("register and send"), with ``send_remarks`` and ``due_on``.
    """
    if post_id not in post_ids_held(actor):
        raise NotFound(_("You do not hold that post."))
    subject = " ".join(subject.split())
    if not subject:
        raise InvalidInput(_("A receipt needs a subject."))
    if len(subject) > MAX_SUBJECT:
        raise InvalidInput(_("The subject is longer than 500 characters."))
    if mode not in Mode.values:
        raise InvalidInput(_("Unknown mode of receipt %(mode)r.") % {"mode": mode})
    if language not in Language.values:
        raise InvalidInput(_("Unknown language %(language)r.") % {"language": language})
    if classification not in Classification.values or priority not in Priority.values:
        raise InvalidInput(_("Unknown classification or priority."))
    if classification > actor.clearance:
        raise InvalidInput(not_cleared_message(classification))
    letter_number = _clean_line(letter_number, field=_("letter number"), limit=120)
    sender = Sender.objects.filter(pk=sender_id).first()
    if sender is None:
        raise InvalidInput(_("No such sender; add the sender first."))
    post = Post.objects.select_related("unit").get(pk=post_id)
    unit = post.unit
    now = clock.now()
    # Dates and the diary year are the organisation's: 1 January 02:00 in Karachi is still
    # 31 December in UTC.
    local_now = now.astimezone(ZoneInfo(organisation_of(unit).time_zone))
    if received_on > local_now.date():
        raise InvalidInput(_("The date of receipt is in the future."))
    if letter_date is not None and letter_date > received_on:
        raise InvalidInput(_("The letter is dated after it was received."))
    ids = _claim_documents(actor, document_ids, is_physical=is_physical)
    letter = Receipt(
        received_on=received_on,
        mode=mode,
        sender=sender,
        letter_number=letter_number,
        letter_date=letter_date,
        subject=subject,
        language=language,
        priority=priority,
        classification=classification,
        enclosures=enclosures.strip(),
        remarks=remarks.strip(),
        is_physical=is_physical,
    )
    receipt = receipt_diarise(
        letter, unit=unit, year=local_now.year, post=post, actor=actor, at=now, document_ids=ids
    )
    event_record(
        actor=actor,
        post=post,
        action="receipt.register",
        obj=receipt,
        after={
            "diary_number": receipt.diary_number,
            "subject": subject,
            "sender": sender.pk,
            "mode": mode,
            "received_on": received_on,
            "classification": classification,
            "is_physical": is_physical,
            "documents": ids,
        },
    )
    if send_to_post_id is not None:
        _move(
            actor,
            receipt,
            to_post=_post_to_send_to(send_to_post_id),
            action=None,
            remarks=send_remarks,
            priority=None,
            due_on=due_on,
        )
    elif due_on is not None:
        raise InvalidInput(_("A due date goes with sending; choose where to send the receipt."))
    return receipt
