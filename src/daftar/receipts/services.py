"""State changes of receipts and senders. Each owns its transaction and writes its audit event.

Custody works exactly as for files (docs/movement.md): one post holds a receipt; only a
person holding that post acts on it; the receipt row is locked first, so of two concurrent
sends one wins and the other hears Conflict; a sender may pull a receipt back only while the
receiver has not opened it. Diary numbers are gap-free per diarising unit and year.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from daftar.audit.services import event_record
from daftar.documents.models import Document
from daftar.files.models import Classification, Priority
from daftar.lib import clock
from daftar.lib.changes import changed
from daftar.lib.errors import Conflict, InvalidInput, NotFound
from daftar.lib.transactions import composable
from daftar.org.clearance import not_cleared_message, refuse_unless_cleared
from daftar.org.models import OrgUnit, Post, User
from daftar.org.selectors import chain_above, organisation_of, post_ids_held
from daftar.org.services import sequence_next
from daftar.receipts.acknowledgement import reference_for
from daftar.receipts.models import (
    Language,
    Mode,
    Receipt,
    ReceiptAction,
    ReceiptDocument,
    ReceiptMovement,
    ReceiptStatus,
    Sender,
)
from daftar.receipts.selectors import receipt_for_actor
from daftar.receipts.signals import receipt_opened

logger = logging.getLogger(__name__)

MAX_SUBJECT = 500


# --- Senders ----------------------------------------------------------------------------


def _clean_line(value: str, *, field: str, limit: int = 200) -> str:
    value = " ".join(value.split())
    if len(value) > limit:
        raise InvalidInput(
            _("The %(field)s is longer than %(limit)d characters.")
            % {"field": field, "limit": limit}
        )
    return value


@composable
def sender_create(
    *,
    actor: User,
    organisation: str = "",
    name: str = "",
    designation: str = "",
    address: str = "",
    email: str = "",
) -> Sender:
    """Add a correspondent to the shared directory, or return the entry that already says
    the same (same organisation, name, designation and e-mail, whatever the case)."""
    if not post_ids_held(actor):
        raise NotFound(_("You hold no post, so you cannot add senders."))
    organisation = _clean_line(organisation, field=_("organisation"))
    name = _clean_line(name, field=_("name"))
    designation = _clean_line(designation, field=_("designation"))
    address = address.strip()
    email = email.strip().lower()
    if not organisation and not name:
        raise InvalidInput(_("A sender needs an organisation or a name."))
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise InvalidInput(
                _("%(email)s is not a valid e-mail address.") % {"email": email}
            ) from exc
    existing = Sender.objects.filter(
        organisation__iexact=organisation,
        name__iexact=name,
        designation__iexact=designation,
        email__iexact=email,
    ).first()
    if existing is not None:
        return existing
    sender = Sender.objects.create(
        organisation=organisation,
        name=name,
        designation=designation,
        address=address,
        email=email,
        created_by=actor,
        created_at=clock.now(),
    )
    event_record(
        actor=actor,
        action="sender.create",
        obj=sender,
        after={
            "organisation": organisation,
            "name": name,
            "designation": designation,
            "email": email,
        },
    )
    return sender


# --- Diarisation ------------------------------------------------------------------------


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


# --- Custody ----------------------------------------------------------------------------


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
