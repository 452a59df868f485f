"""Fixtures for the index tests: real documents (a text PDF, an Urdu scan read by the real
Tesseract), a receipt carrying one, and helpers to read the entries back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytest_django.fixtures import Settings

from daftar.dispatch.services import letter_issue
from daftar.documents.models import Document
from daftar.documents.services import document_store
from daftar.documents.tasks import ocr_run
from daftar.drafting.models import DraftKind
from daftar.drafting.services import draft_create
from daftar.files.correspondence import receipt_copy_to_file, receipt_put_on_file
from daftar.files.models import File
from daftar.files.services import file_open, note_add
from daftar.receipts.models import Mode, Receipt, Sender
from daftar.receipts.services import receipt_register, sender_create
from daftar.search.models import Entry
from daftar.search.sources import FIELDS
from tests.cast import Cast
from tests.conftest import own_blob_store
from tests.dispatch.conftest import approved, signed, to_outside
from tests.documents import samples
from tests.receipts.conftest import today

LETTER_TEXT = "Release of Rs. 40 million for Satpara dam under letter No. PC-7/2026-W."
ANNEX_TEXT = "Annex A: site plan of the Satpara dam, Skardu."


@pytest.fixture(autouse=True)
def _blobs(settings: Settings, tmp_path: Path) -> Path:
    return own_blob_store(settings, tmp_path)


@pytest.fixture
def sender(cast: Cast) -> Sender:
    return sender_create(
        actor=cast.registry_clerk,
        organisation="Planning Commission",
        name="Tariq Mahmood",
        designation="Chief (Water)",
        address="P Block, Pak Secretariat, Islamabad",
        email="chief.water@pc.gov.pk",
    )


def upload(cast: Cast, name: str, content: bytes) -> Document:
    """The registry clerk uploads a document (its text layer kept; a scan waits for OCR)."""
    return document_store(actor=cast.registry_clerk, name=name, content=content)


def text_pdf(cast: Cast) -> Document:
    return upload(cast, "letter.pdf", samples.text_pdf([LETTER_TEXT, ANNEX_TEXT]))


def urdu_scan(cast: Cast) -> Document:
    return upload(
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
