"""Each kind of entry, written by the real services in their own transactions, exactly as
the contract in docs/search.md says."""

from __future__ import annotations

import datetime as dt

import pytest

from daftar.dispatch.services import letter_issue
from daftar.documents.models import OcrStatus
from daftar.drafting.models import DraftKind
from daftar.files.models import Classification, File
from daftar.files.services import file_open, note_add
from daftar.lib import clock
from daftar.lib.errors import InvalidInput
from daftar.movement.services import file_send
from daftar.receipts.models import Receipt, Sender
from daftar.search.models import Entry
from daftar.search.text import fold_ref
from daftar.signing.models import Certificate
from tests.cast import Cast
from tests.dispatch.conftest import approved, signed, to_outside
from tests.search.conftest import (
    ANNEX_TEXT,
    LETTER_TEXT,
    diarise,
    entry,
    put_on_file,
    read_ocr,
    text_pdf,
    urdu_scan,
)


def local_today() -> dt.date:
    return clock.now().astimezone(dt.timezone(dt.timedelta(hours=5))).date()


def test_a_file_is_found_by_number_and_subject(file: File) -> None:
    found = entry(f"file:{file.pk}")
    assert (found.kind, found.file_id, found.receipt_id) == ("file", file.pk, None)
    assert found.title == f"{file.number} Construction of small dams in Potohar region"
    assert found.refs == fold_ref(file.number)
    assert (found.body, found.dated, found.subtype, found.grade) == ("", local_today(), "", 0)


def test_a_note_is_an_entry_once_it_is_final_and_urdu_is_folded(cast: Cast, file: File) -> None:
    # Arabic kaf and yeh, a kashida and a zabar, as an Urdu keyboard on Windows may type them.
    written = "پاكستان كي ترقـي اَور پانی\n\nSee F.No.5-12/2025-Admin."
    note = note_add(actor=cast.assistant, file_id=file.pk, body=written)
    agreed = note_add(actor=cast.assistant, file_id=file.pk, kind="agree")
    assert not Entry.objects.filter(kind="note").exists()  # yellow notes are their author's

    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)

    found = entry(f"note:{note.pk}")
    assert (found.file_id, found.note_id, found.receipt_id) == (file.pk, note.pk, None)
    assert found.body == "پاکستان کی ترقی اور پانی See F.No.5-12/2025-Admin."
    assert found.refs == "5122025admin"
    assert (found.title, found.dated, found.subtype, found.grade) == ("", local_today(), "text", 0)
    assert not Entry.objects.filter(note_id=agreed.pk).exists()  # "I agree" has no words


def test_a_receipt_and_its_pages_follow_it_onto_a_file(
    cast: Cast, sender: Sender, file: File
) -> None:
    document = text_pdf(cast)
    receipt = diarise(cast, sender, document)

    found = entry(f"receipt:{receipt.pk}")
    assert (found.kind, found.receipt_id, found.file_id) == ("receipt", receipt.pk, None)
    assert found.title == "Release of funds for Satpara dam"
    assert found.refs == f"{fold_ref(receipt.diary_number)} f4122026dev"
    assert found.body == (
        "Tariq Mahmood, Chief (Water) (Planning Commission) F.4(12)/2026-Dev Site plan "
        "Reply by Friday"
    )
    assert (found.dated, found.subtype, found.grade) == (receipt.received_on, "post", 0)
    pages = Entry.objects.filter(kind="page").order_by("page")
    assert [p.key for p in pages] == [
        f"page:r{receipt.pk}:d{document.pk}:1",
        f"page:r{receipt.pk}:d{document.pk}:2",
    ]
    assert [p.body for p in pages] == [LETTER_TEXT, ANNEX_TEXT]
    assert [p.refs for p in pages] == ["pc72026w", ""]
    assert {(p.receipt_id, p.document_id, p.file_id, p.subtype, p.dated) for p in pages} == {
        (receipt.pk, document.pk, None, "pdf", receipt.received_on)
    }

    put_on_file(cast, receipt, file)

    assert entry(f"receipt:{receipt.pk}").file_id == file.pk
    assert set(Entry.objects.filter(kind="page").values_list("file_id", flat=True)) == {file.pk}


def test_a_scan_read_after_it_went_onto_a_file_is_found_on_that_file(
    cast: Cast, sender: Sender, file: File
) -> None:
    document = urdu_scan(cast)
    assert document.ocr_status == OcrStatus.QUEUED
    receipt = diarise(cast, sender, document, subject="پانی کے وسائل")
    assert not Entry.objects.filter(kind="page").exists()  # nothing read yet: no empty pages
    put_on_file(cast, receipt, file)

    read_ocr(document)

    page = entry(f"page:r{receipt.pk}:d{document.pk}:1")
    assert (page.file_id, page.receipt_id, page.page, page.subtype) == (
        file.pk,
        receipt.pk,
        1,
        "pdf",
    )
    for word in ("پانی", "وسائل", "حکومت", "پاکستان"):
        assert word in page.body


def test_a_draft_and_the_letter_issued_from_it(cast: Cast, authority: Certificate) -> None:
    file = file_open(
        actor=cast.assistant,
        post_id=cast.assistant_post.pk,
        subject="Small dams",
        classification=Classification.RESTRICTED,
    )
    draft = approved(
        cast,
        file,
        [to_outside(email="")],  # by post: a restricted letter goes by e-mail only if released
        kind=DraftKind.OFFICE_MEMORANDUM,
        classification=1,
        subject="Release of funds for small dams",
        body="<p>I am directed to convey the <b>approval</b> of the competent authority.</p>"
        "<p>Ref. PC-7/2026-W.</p>",
        references="Your letter No. F.4(12)/2026-Dev",
        enclosures="Site plan",
    )
    found = entry(f"draft:{draft.pk}")
    assert (found.kind, found.file_id, found.draft_id) == ("draft", file.pk, draft.pk)
    assert found.title == "Release of funds for small dams"
    assert found.body == (
        "I am directed to convey the approval of the competent authority. Ref. PC-7/2026-W. "
        "The Chairman WAPDA House Lahore "
        "Your letter No. F.4(12)/2026-Dev Site plan"
    )
    # "F.4(12)/2026-Dev" in running text is not read as a number (brackets): text.refs_of.
    assert found.refs == "pc72026w"
    assert (found.subtype, found.grade, found.dated) == ("om", 1, local_today())
    approval = Entry.objects.get(kind="note", subtype="entry")
    assert "approved" in approval.body

    signed(cast, draft)
    dispatch = letter_issue(actor=cast.deputy_secretary, draft_id=draft.pk)

    found = entry(f"draft:{draft.pk}")
    assert found.refs == f"{fold_ref(dispatch.number)} pc72026w"
    office_copy = dispatch.office_copy
    assert office_copy.document_id is not None
    page = entry(f"page:f{file.pk}:d{office_copy.document_id}:1")
    assert (page.file_id, page.receipt_id, page.subtype, page.dated) == (
        file.pk,
        None,
        "office_copy",
        local_today(),
    )
    assert "competent authority" in page.body
    issue_entry = Entry.objects.get(kind="note", note_id=office_copy.note_id)
    assert fold_ref(dispatch.number) in issue_entry.refs


def test_a_service_that_fails_after_writing_leaves_no_entry(cast: Cast, sender: Sender) -> None:
    document = text_pdf(cast)
    with pytest.raises(InvalidInput):  # diarised, then the send fails: all rolled back
        diarise(cast, sender, document, send_to_post_id=None, due_on=local_today())
    assert not Receipt.objects.exists()
    assert not Entry.objects.filter(kind__in=["receipt", "page"]).exists()
