"""Putting receipts on files: PUC and fresh receipts, flags, pages, the note entry, copies."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from daftar.files.correspondence import (
    correspondence_of,
    file_open_from_receipt,
    file_page,
    receipt_copy_to_file,
    receipt_put_on_file,
)
from daftar.files.models import CorrespondenceKind, File, Note, NoteKind, flag_letter
from daftar.files.services import file_close, file_open, note_add, note_delete, note_edit
from daftar.lib.errors import Conflict, InvalidInput, NotFound
from daftar.movement.services import file_send
from daftar.org.models import User
from daftar.receipts.custody import receipt_send
from daftar.receipts.models import Receipt, ReceiptStatus, Sender
from daftar.receipts.senders import sender_create
from tests.accounts.helpers import login_verified
from tests.cast import Cast
from tests.conftest import last_event
from tests.receipts.conftest import register, upload


@pytest.fixture
def sender(cast: Cast) -> Sender:
    return sender_create(
        actor=cast.registry_clerk,
        organisation="WAPDA",
        name="Asif Raza",
        designation="Chief Engineer (Dams)",
        email="ce.dams@wapda.gov.pk",
    )


def at_assistant(cast: Cast, sender: Sender, *, pages: int = 1, **kw: object) -> Receipt:
    """A receipt diarised by the registry and sent to the Development-I assistant."""
    docs = [upload(cast.registry_clerk, f"p{i}.pdf") for i in range(1)]
    for doc in docs:
        doc.page_count = pages
        doc.save(update_fields=["page_count"])
    kw.setdefault("document_ids", [d.pk for d in docs])
    receipt = register(cast, sender, **kw)
    receipt_send(
        actor=cast.registry_clerk, receipt_id=receipt.pk, to_post_id=cast.assistant_post.pk
    )
    return receipt


def test_flag_letters_run_like_paper_slips() -> None:
    assert [flag_letter(i) for i in (0, 1, 25, 26, 27, 51, 52)] == [
        "A",
        "B",
        "Z",
        "AA",
        "AB",
        "AZ",
        "BA",
    ]


def test_open_a_file_from_a_receipt_makes_it_the_puc(cast: Cast, sender: Sender) -> None:
    receipt = at_assistant(cast, sender, pages=3, subject="Raising of Mangla dam: report")
    item = file_open_from_receipt(actor=cast.assistant, receipt_id=receipt.pk)
    file = item.file
    assert file.subject == "Raising of Mangla dam: report"
    assert file.holder_id == cast.assistant_post.pk
    assert (item.kind, item.flag, item.first_page, item.last_page) == (
        CorrespondenceKind.PUC,
        "A",
        1,
        3,
    )
    entry = item.note
    assert entry.kind == NoteKind.RECEIPT and entry.first_para == 1 and entry.para_count == 1
    assert "PUC (F/A, pp. 1-3)" in entry.body and receipt.diary_number in entry.body
    assert "Chief Engineer (Dams), Asif Raza, WAPDA" in entry.body
    receipt.refresh_from_db()
    assert receipt.status == ReceiptStatus.CLOSED and not receipt.inbox_unread
    receipt.current_movement.refresh_from_db()  # type: ignore[union-attr]
    assert receipt.current_movement.read_at is not None  # type: ignore[union-attr]
    event = last_event(file, "file.receipt_put")
    assert event.actor == cast.assistant
    assert event.after is not None and event.after["flag"] == "A"
    assert event.after["pages"] == [1, 3]


def test_later_receipts_are_fresh_receipts_with_the_next_flag_and_pages(
    cast: Cast, sender: Sender
) -> None:
    first = file_open_from_receipt(
        actor=cast.assistant, receipt_id=at_assistant(cast, sender, pages=2).pk
    )
    note_add(actor=cast.assistant, file_id=first.file_id, body="Para one.\n\nPara two.")
    later = receipt_put_on_file(
        actor=cast.assistant,
        receipt_id=at_assistant(cast, sender, pages=4).pk,
        file_id=first.file_id,
    )
    assert (later.kind, later.flag, later.first_page, later.last_page) == ("fr", "B", 3, 6)
    assert later.note.first_para == 4  # after the PUC entry (1) and the two paragraphs
    assert [i.flag for i in correspondence_of(first.file)] == ["A", "B"]


def test_file_pages_map_to_the_papers_documents(cast: Cast, sender: Sender) -> None:
    two = [upload(cast.registry_clerk, "a.pdf"), upload(cast.registry_clerk, "b.pdf")]
    two[0].page_count = 2
    two[0].save(update_fields=["page_count"])
    receipt = at_assistant(cast, sender, document_ids=[d.pk for d in two])
    item = file_open_from_receipt(actor=cast.assistant, receipt_id=receipt.pk)
    assert item.page_count == 3
    pages = [file_page(cast.assistant, item.file_id, n) for n in (1, 2, 3)]
    assert [(p.document_id, p.document_page) for p in pages] == [
        (two[0].pk, 1),
        (two[0].pk, 2),
        (two[1].pk, 1),
    ]
    with pytest.raises(NotFound):
        file_page(cast.assistant, item.file_id, 4)
    with pytest.raises(NotFound):
        file_page(cast.outsider, item.file_id, 1)


def test_a_physical_receipt_takes_one_sheet(cast: Cast, sender: Sender) -> None:
    receipt = at_assistant(cast, sender, is_physical=True, document_ids=[])
    item = file_open_from_receipt(actor=cast.assistant, receipt_id=receipt.pk)
    assert item.page_count == 1
    page = file_page(cast.assistant, item.file_id, 1)
    assert page.document_id is None and page.item == item


def test_the_entry_cannot_be_edited_or_deleted_and_becomes_final_on_send(
    cast: Cast, sender: Sender
) -> None:
    item = file_open_from_receipt(actor=cast.assistant, receipt_id=at_assistant(cast, sender).pk)
    with pytest.raises(Conflict, match="paper put on the file"):
        note_edit(actor=cast.assistant, note_id=item.note_id, body="Changed.")
    with pytest.raises(Conflict):
        note_delete(actor=cast.assistant, note_id=item.note_id)
    file_send(actor=cast.assistant, file_id=item.file_id, to_post_id=cast.so_post.pk)
    assert Note.objects.get(pk=item.note_id).is_final


def test_only_the_holder_of_both_puts_a_paper_on_a_file(cast: Cast, sender: Sender) -> None:
    receipt = at_assistant(cast, sender)
    so_file = file_open(actor=cast.section_officer, post_id=cast.so_post.pk, subject="Dams")
    files_before, notes_before = File.objects.count(), Note.objects.count()
    # The assistant sees the section's file (need to know: the owning unit) but does not
    # hold it: 409.
    with pytest.raises(Conflict, match="now with"):
        receipt_put_on_file(actor=cast.assistant, receipt_id=receipt.pk, file_id=so_file.pk)
    # The section officer holds the file and sees the receipt (it is with a post below
    # theirs) but does not hold it: 409.
    with pytest.raises(Conflict, match="now with"):
        receipt_put_on_file(actor=cast.section_officer, receipt_id=receipt.pk, file_id=so_file.pk)
    # The registry clerk sent it on: it is no longer with the registry.
    clerk_file = file_open(actor=cast.registry_clerk, post_id=cast.registry_post.pk, subject="R")
    with pytest.raises(Conflict, match="now with"):
        receipt_put_on_file(actor=cast.registry_clerk, receipt_id=receipt.pk, file_id=clerk_file.pk)
    with pytest.raises(NotFound):
        file_open_from_receipt(actor=cast.outsider, receipt_id=receipt.pk)
    assert (File.objects.count(), Note.objects.count()) == (files_before + 1, notes_before)
    receipt.refresh_from_db()
    assert receipt.status == ReceiptStatus.OPEN


def test_a_receipt_goes_on_one_file_and_copies_on_others(cast: Cast, sender: Sender) -> None:
    receipt = at_assistant(cast, sender)
    item = file_open_from_receipt(actor=cast.assistant, receipt_id=receipt.pk)
    other = file_open(actor=cast.assistant, post_id=cast.assistant_post.pk, subject="Other")
    with pytest.raises(Conflict, match="already on a file"):
        receipt_put_on_file(actor=cast.assistant, receipt_id=receipt.pk, file_id=other.pk)
    copy = receipt_copy_to_file(actor=cast.assistant, receipt_id=receipt.pk, file_id=other.pk)
    assert copy.is_copy and copy.kind == "puc" and copy.flag == "A"
    assert last_event(other, "file.receipt_copy").actor == cast.assistant
    with pytest.raises(Conflict, match="already on this file"):
        receipt_copy_to_file(actor=cast.assistant, receipt_id=receipt.pk, file_id=item.file_id)
    # Whoever can see a file sees its papers, and may copy them onto their own files.
    file_send(actor=cast.assistant, file_id=item.file_id, to_post_id=cast.so_post.pk)
    so_file = file_open(actor=cast.section_officer, post_id=cast.so_post.pk, subject="SO's")
    assert receipt_copy_to_file(
        actor=cast.section_officer, receipt_id=receipt.pk, file_id=so_file.pk
    ).is_copy
    outsider_file = file_open(actor=cast.outsider, post_id=cast.outsider_post.pk, subject="X")
    with pytest.raises(NotFound):
        receipt_copy_to_file(actor=cast.outsider, receipt_id=receipt.pk, file_id=outsider_file.pk)


def test_no_papers_on_a_physical_or_closed_file(cast: Cast, sender: Sender) -> None:
    receipt = at_assistant(cast, sender)
    paper = file_open(
        actor=cast.assistant, post_id=cast.assistant_post.pk, subject="Paper", is_physical=True
    )
    with pytest.raises(InvalidInput, match="physical"):
        receipt_put_on_file(actor=cast.assistant, receipt_id=receipt.pk, file_id=paper.pk)
    assert not paper.correspondence.exists()
    closed = file_open(actor=cast.assistant, post_id=cast.assistant_post.pk, subject="Closed")
    file_close(actor=cast.assistant, file_id=closed.pk)
    with pytest.raises(Conflict, match="closed"):
        receipt_put_on_file(actor=cast.assistant, receipt_id=receipt.pk, file_id=closed.pk)
    receipt.refresh_from_db()
    assert receipt.status == ReceiptStatus.OPEN


def test_the_admin_file_page_lists_the_papers(cast: Cast, sender: Sender, client: Client) -> None:
    item = file_open_from_receipt(actor=cast.assistant, receipt_id=at_assistant(cast, sender).pk)
    admin = User.objects.create_superuser(email="it@mowr.gov.pk", password="x-Admin-2026")
    login_verified(client, admin)  # admins log in with a second factor
    response = client.get(reverse("admin:files_file_change", args=[item.file_id]))
    assert response.status_code == 200
    assert escape(item.reference) in response.content.decode()
