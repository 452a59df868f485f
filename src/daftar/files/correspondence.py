"""Putting papers on files: the correspondence side, its flags and page numbers.

A receipt held by the actor's post goes onto a file held by the same person: as the PUC when
it is the file's first paper, as a fresh receipt (FR) after that. It takes the next flag
letter and the next pages of the file's one page series, a one-paragraph entry is written in
the notes at that point (a draft until the file is sent, like any note, but never editable),
and the receipt leaves circulation: from then on it travels with the file. A copy of a paper
already on a file can be put on another file the same way, without taking it off the first.

The most restrictive paper sets the file's grade: a paper graded above the file raises the
file to its grade (recorded in the event), provided everyone holding the file's post is
cleared for it; otherwise the paper is refused.

Locks: the file row, then the receipt row; nothing locks them in the other order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from daftar.audit.services import event_record
from daftar.documents.models import Document
from daftar.files.models import (
    CorrespondenceItem,
    CorrespondenceKind,
    File,
    Note,
    NoteKind,
    flag_letter,
)
from daftar.files.selectors import file_for_actor, files_visible
from daftar.files.services import (
    _renumber_drafts,
    _writable_file,
    note_record_final,
    open_file_in_transaction,
)
from daftar.lib import clock
from daftar.lib.changes import changed
from daftar.lib.errors import Conflict, InvalidInput, NotFound
from daftar.org.clearance import refuse_unless_cleared
from daftar.org.models import Post, User
from daftar.org.selectors import post_ids_held
from daftar.receipts.models import Receipt, ReceiptDocument, ReceiptMovement, ReceiptStatus
from daftar.receipts.selectors import receipt_for_actor


def receipt_pages(receipt: Receipt) -> int:
    """Pages the receipt takes on a file: its documents' pages (an Office file or a document
    not yet counted takes one); a physical receipt takes one sheet."""
    counts = ReceiptDocument.objects.filter(receipt=receipt).values_list(
        "document__page_count", flat=True
    )
    return max(1, sum(count or 1 for count in counts))


def _entry_text(receipt: Receipt, *, kind: str, flag: str, first: int, last: int) -> str:
    pages = (
        _("p. %(first)s") % {"first": first}
        if first == last
        else _("pp. %(first)s-%(last)s") % {"first": first, "last": last}
    )
    label = _("PUC") if kind == CorrespondenceKind.PUC else _("FR")
    sender = receipt.sender
    parts = [
        _("%(label)s (F/%(flag)s, %(pages)s): diary no. %(diary)s of %(date)s")
        % {
            "label": label,
            "flag": flag,
            "pages": pages,
            "diary": receipt.diary_number,
            "date": formats.date_format(receipt.received_on, "j M Y"),
        }
    ]
    if sender is not None:
        who = ", ".join(p for p in (sender.designation, sender.name, sender.organisation) if p)
        if who:
            parts.append(_("from %(sender)s") % {"sender": who})
    if receipt.letter_number:
        parts.append(_("letter no. %(number)s") % {"number": receipt.letter_number})
    parts.append(_("regarding %(subject)s.") % {"subject": receipt.subject})
    return ", ".join(parts)


# The file's grade before and after a paper raised it; None when it did not.
Raised = dict[str, int] | None


def _raise_grade(file: File, post: Post, grade: int) -> Raised:
    """Raise the file to ``grade`` if the paper is graded above it; what changed, or None."""
    if grade <= file.classification:
        return None
    refuse_unless_cleared(post, grade)
    before = file.classification
    file.classification = grade
    file.save(update_fields=["classification"])
    return {"before": before, "after": grade}


def _put(
    actor: User, file: File, post: Post, receipt: Receipt, *, is_copy: bool
) -> tuple[CorrespondenceItem, Raised]:
    """The paper onto the file, under both row locks, inside the caller's transaction; with
    the change of the file's grade it caused, if any."""
    if file.correspondence.filter(receipt=receipt).exists():
        raise Conflict(_("This paper is already on this file."))
    raised = _raise_grade(file, post, receipt.classification)
    items = list(file.correspondence.order_by("first_page").values_list("first_page", "page_count"))
    first = items[-1][0] + items[-1][1] if items else 1
    kind = CorrespondenceKind.FRESH if items else CorrespondenceKind.PUC
    flag = flag_letter(len(items))
    pages = receipt_pages(receipt)
    now = clock.now()
    note = Note.objects.create(
        file=file,
        author=actor,
        post=post,
        kind=NoteKind.RECEIPT,
        body=_entry_text(receipt, kind=kind, flag=flag, first=first, last=first + pages - 1),
        para_count=1,
        created_at=now,
        updated_at=now,
    )
    _renumber_drafts(file)
    note.refresh_from_db(fields=["first_para"])
    item = CorrespondenceItem.objects.create(
        file=file,
        receipt=receipt,
        kind=kind,
        flag=flag,
        first_page=first,
        page_count=pages,
        is_copy=is_copy,
        note=note,
        added_by=actor,
        added_at=now,
    )
    # The receipt's entry and its pages now name the file it stands on.
    changed("receipt", [receipt.pk])
    return item, raised


def _held_receipt(actor: User, receipt_id: int) -> Receipt:
    """The receipt, locked, held by one of the actor's posts and still in circulation. Putting
    it on a file is acting on it: the send that brought it is marked read."""
    receipt = receipt_for_actor(actor, receipt_id, for_update=True)
    if receipt.holder_id not in post_ids_held(actor):
        raise Conflict(
            _("This receipt is now with %(post)s, not with your post.") % {"post": receipt.holder}
        )
    if receipt.status != ReceiptStatus.OPEN:
        raise Conflict(_("This receipt is closed or already on a file."))
    if receipt.current_movement_id is not None and receipt.inbox_unread:
        ReceiptMovement.objects.filter(pk=receipt.current_movement_id, read_at__isnull=True).update(
            read_at=clock.now(), read_by=actor
        )
        receipt.inbox_unread = False
    return receipt


def _take_out_of_circulation(receipt: Receipt) -> None:
    receipt.status = ReceiptStatus.CLOSED
    receipt.closed_at = clock.now()
    receipt.save(update_fields=["status", "closed_at", "inbox_unread"])


def _record(actor: User, post: Post, item: CorrespondenceItem, action: str, raised: Raised) -> None:
    event_record(
        actor=actor,
        post=post,
        action=action,
        obj=item.file,
        before={"classification": raised["before"]} if raised else None,
        after={
            "receipt": item.reference,
            "kind": item.kind,
            "flag": item.flag,
            "pages": [item.first_page, item.last_page],
            "note": item.note_id,
            **({"classification": raised["after"]} if raised else {}),
        },
    )


@transaction.atomic(durable=True)
def receipt_put_on_file(*, actor: User, receipt_id: int, file_id: int) -> CorrespondenceItem:
    """Put a receipt the actor holds on a file the actor holds (PUC first, then FR)."""
    file, post = _writable_file(actor, file_id)
    receipt = _held_receipt(actor, receipt_id)
    item, raised = _put(actor, file, post, receipt, is_copy=False)
    _take_out_of_circulation(receipt)
    _record(actor, post, item, "file.receipt_put", raised)
    return item


@transaction.atomic(durable=True)
def file_open_from_receipt(
    *,
    actor: User,
    receipt_id: int,
    subject: str = "",
    head: str = "",
    classification: int | None = None,
    priority: int | None = None,
) -> CorrespondenceItem:
    """Open a new file at the post holding the receipt, with the receipt as its PUC.

    Subject, classification and priority default to the receipt's."""
    receipt = _held_receipt(actor, receipt_id)
    file = open_file_in_transaction(
        actor=actor,
        post_id=receipt.holder_id,
        subject=subject or receipt.subject,
        classification=receipt.classification if classification is None else classification,
        priority=receipt.priority if priority is None else priority,
        head=head,
        is_physical=False,
    )
    item, raised = _put(actor, file, receipt.holder, receipt, is_copy=False)
    _take_out_of_circulation(receipt)
    _record(actor, receipt.holder, item, "file.receipt_put", raised)
    return item


def _receipt_seen(actor: User, receipt_id: int) -> Receipt:
    """A receipt the actor may see: by its own custody, or as a paper on a file they may see."""
    on_a_seen_file = Receipt.objects.filter(
        pk=receipt_id, file_items__file__in=files_visible(actor)
    ).select_related("sender")
    found = on_a_seen_file.first()
    return found if found is not None else receipt_for_actor(actor, receipt_id)


@transaction.atomic(durable=True)
def receipt_copy_to_file(*, actor: User, receipt_id: int, file_id: int) -> CorrespondenceItem:
    """Put a copy of a paper the actor can see onto another file the actor holds."""
    file, post = _writable_file(actor, file_id)
    item, raised = _put(actor, file, post, _receipt_seen(actor, receipt_id), is_copy=True)
    _record(actor, post, item, "file.receipt_copy", raised)
    return item


# --- Reading the correspondence side ------------------------------------------------------


def correspondence_of(file: File) -> list[CorrespondenceItem]:
    """The file's papers in page order, with what a list shows of each, in one query."""
    return list(
        file.correspondence.select_related("receipt__sender", "added_by").order_by("first_page")
    )


# --- Office copies -------------------------------------------------------------------------


def office_copy_put(
    *,
    actor: User,
    file: File,
    post: Post,
    document: Document,
    title: str,
    entry: Callable[[str], str],
) -> CorrespondenceItem:
    """Place the office copy of a letter issued from ``file`` on its correspondence side.

    Inside the caller's transaction, with ``file`` locked by it. The copy takes the next flag
    and pages; ``entry(flag)`` gives the text of the final entry in the notes that records
    it (``note_record_final``), e.g. "… (office copy at F/C)"."""
    items = list(file.correspondence.order_by("first_page").values_list("first_page", "page_count"))
    first = items[-1][0] + items[-1][1] if items else 1
    flag = flag_letter(len(items))
    note = note_record_final(actor=actor, file=file, post=post, body=entry(flag))
    item = CorrespondenceItem.objects.create(
        file=file,
        document=document,
        title=title[:600],
        kind=CorrespondenceKind.OFFICE_COPY,
        flag=flag,
        first_page=first,
        page_count=max(1, document.page_count or 1),
        note=note,
        added_by=actor,
        added_at=note.created_at,
    )
    changed("document", [document.pk])  # its pages, as pages of this file
    return item


@dataclass(frozen=True)
class FilePage:
    """Page ``number`` of a file's correspondence: which paper, which of its documents and
    which page of that document (None for a physical paper)."""

    number: int
    item: CorrespondenceItem
    document_id: int | None
    document_page: int


def file_page(actor: User, file_id: int, number: int) -> FilePage:
    """Page ``number`` of the correspondence of a file the actor may see (papers on a file
    are open to whoever may see the file)."""
    file = file_for_actor(actor, file_id)
    item = (
        file.correspondence.select_related("receipt")
        .filter(first_page__lte=number)
        .order_by("-first_page")
        .first()
    )
    if item is None or number > item.last_page:
        raise NotFound(_("This file has no page %(number)s.") % {"number": number})
    offset = number - item.first_page + 1
    if item.receipt is None:  # an office copy: one stored document
        return FilePage(number, item, item.document_id, offset)
    for attached in (
        ReceiptDocument.objects.filter(receipt=item.receipt)
        .select_related("document")
        .order_by("order")
    ):
        pages = attached.document.page_count or 1
        if offset <= pages:
            return FilePage(number, item, attached.document_id, offset)
        offset -= pages
    if item.receipt.is_physical:
        return FilePage(number, item, None, 1)
    raise InvalidInput(_("The pages of this paper have changed; ask the registry."))
