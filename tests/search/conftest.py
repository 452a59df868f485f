"""Papers to find, made through the real services and indexed by the real indexer: the
index tests' real documents (a text PDF, an Urdu scan read by the real Tesseract) and
receipts carrying them (``diarise``…), and the engine tests' papers indexed as the services'
transactions do (``open_file``, ``note``, ``receipt``…). Merged from search-index and
search-engine: the index tests' ``upload`` is ``upload_document`` here (the engine tests use
``tests.receipts.conftest.upload``), and ``sender`` is the index tests' (they assert on it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from pytest_django.fixtures import Settings

from daftar.dispatch.services import letter_issue
from daftar.documents.models import Document, DocumentPage
from daftar.documents.services import document_store
from daftar.documents.tasks import ocr_run
from daftar.drafting.models import Draft, DraftKind
from daftar.drafting.services import draft_create
from daftar.files.correspondence import receipt_copy_to_file, receipt_put_on_file
from daftar.files.models import File, Note
from daftar.files.services import file_open, note_add, note_record_final
from daftar.org.models import Post, User
from daftar.receipts.diary import receipt_register
from daftar.receipts.models import Mode, Receipt, Sender
from daftar.search.indexing import index
from daftar.search.models import Entry
from daftar.search.sources import FIELDS
from tests.cast import Cast
from tests.conftest import own_blob_store
from tests.dispatch.conftest import approved, signed, to_outside
from tests.documents import samples
from tests.drafting.conftest import new_draft
from tests.receipts.conftest import register, today, upload

LETTER_TEXT = "Release of Rs. 40 million for Satpara dam under letter No. PC-7/2026-W."
ANNEX_TEXT = "Annex A: site plan of the Satpara dam, Skardu."


@pytest.fixture(autouse=True)
def _blobs(settings: Settings, tmp_path: Path) -> Path:
    return own_blob_store(settings, tmp_path)


def upload_document(cast: Cast, name: str, content: bytes) -> Document:
    """The registry clerk uploads a document (its text layer kept; a scan waits for OCR)."""
    return document_store(actor=cast.registry_clerk, name=name, content=content)


def text_pdf(cast: Cast) -> Document:
    return upload_document(cast, "letter.pdf", samples.text_pdf([LETTER_TEXT, ANNEX_TEXT]))


def urdu_scan(cast: Cast) -> Document:
    return upload_document(
        cast, "khat.pdf", samples.scanned_pdf(samples.scan(samples.URDU_LINES, urdu=True))
    )


def diarise(cast: Cast, sender: Sender, document: Document, **given: Any) -> Receipt:
    """The registry clerk diarises ``document`` and marks the receipt to the assistant."""
    fields: dict[str, Any] = {
        "subject": "Release of funds for Satpara dam",
        "received_on": today(),
        "mode": Mode.POST,
        "letter_number": "F.4(12)/2026-Dev",
        "enclosures": "Site plan",
        "remarks": "Reply by Friday",
        "send_to_post_id": cast.assistant_post.pk,
    }
    fields.update(given)
    return receipt_register(
        actor=cast.registry_clerk,
        post_id=cast.registry_post.pk,
        sender_id=sender.pk,
        document_ids=[document.pk],
        **fields,
    )


def put_on_file(cast: Cast, receipt: Receipt, file: File) -> None:
    receipt_put_on_file(actor=cast.assistant, receipt_id=receipt.pk, file_id=file.pk)


def read_ocr(document: Document) -> None:
    """What the worker does for a queued scan: OCR with the real Tesseract, then keep it."""
    assert ocr_run(document_id=document.pk) == "done"


def snapshot() -> dict[str, tuple[object, ...]]:
    """Every entry, by key, with its id and stored values."""
    return {
        key: (pk, *values) for pk, key, *values in Entry.objects.values_list("id", "key", *FIELDS)
    }


def entry(key: str) -> Entry:
    return Entry.objects.get(key=key)


def broad_scenario(cast: Cast, sender: Sender, file: File) -> None:
    """Something of every kind: notes sent, a text PDF and an Urdu scan on the file (the scan
    read after it went on), a copy on a second file, a draft approved, signed and issued,
    another draft still being written. Needs the ``authority`` fixture (signing)."""
    note_add(actor=cast.assistant, file_id=file.pk, body="Dams near Chakwal.\n\nپانی کا مسئلہ")  # noqa: RUF001
    letter = diarise(cast, sender, text_pdf(cast))
    put_on_file(cast, letter, file)
    scan = urdu_scan(cast)
    urdu = diarise(cast, sender, scan, subject="پانی کے وسائل", letter_number="")
    put_on_file(cast, urdu, file)
    read_ocr(scan)
    other = file_open(actor=cast.assistant, post_id=cast.assistant_post.pk, subject="Budget")
    receipt_copy_to_file(actor=cast.assistant, receipt_id=letter.pk, file_id=other.pk)
    draft_create(
        actor=cast.assistant,
        file_id=other.pk,
        kind=DraftKind.LETTER,
        language="en",
        classification=0,
        subject="Budget for dams",
        body="<p>Please send the budget.</p>",
        references="",
        enclosures="",
        addressees=[to_outside(email="")],
    )
    draft = approved(cast, file, [to_outside(email="")], subject="Funds for Satpara dam")
    signed(cast, draft)
    letter_issue(actor=cast.deputy_secretary, draft_id=draft.pk)


@pytest.fixture(autouse=True)
def own_blobs(blob_root: Path) -> Path:
    return blob_root


def open_file(
    cast: Cast, subject: str, *, actor: User | None = None, post: Post | None = None, **kw: object
) -> File:
    actor = actor or cast.assistant
    post = post or cast.assistant_post
    found = file_open(actor=actor, post_id=post.pk, subject=subject, **kw)  # type: ignore[arg-type]
    index("file", [found.pk])
    return found


def note(file: File, body: str, *, actor: User, post: Post) -> Note:
    """A final note (as a send makes it), indexed."""
    with transaction.atomic():
        written = note_record_final(actor=actor, file=file, post=post, body=body)
    index("note", [written.pk])
    return written


def receipt(
    cast: Cast,
    sender: Sender,
    *,
    subject: str,
    pages: Sequence[str] = (),
    to: Post | None = None,
    **kw: object,
) -> Receipt:
    """A receipt diarised at the Central Registry (sent on to ``to``), its one document's
    pages read as ``pages``, indexed."""
    document = upload(cast.registry_clerk)
    document.page_count = max(1, len(pages))
    document.save(update_fields=["page_count"])
    DocumentPage.objects.bulk_create(
        DocumentPage(document=document, number=n, text=text) for n, text in enumerate(pages, 1)
    )
    if to is not None:
        kw["send_to_post_id"] = to.pk
    found = register(cast, sender, subject=subject, document_ids=[document.pk], **kw)
    index("receipt", [found.pk])
    return found


def put_on(actor: User, found: Receipt, file: File) -> None:
    receipt_put_on_file(actor=actor, receipt_id=found.pk, file_id=file.pk)
    index("receipt", [found.pk])
    index("file", [file.pk])


def draft(cast: Cast, file: File, **given: Any) -> Draft:
    made = new_draft(cast, file, **given)
    index("draft", [made.pk])
    return made


def day(n: int) -> dt.date:
    return dt.date(2026, 1, n)
