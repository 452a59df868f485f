"""Keeping the signed letter in the documents' blob store, from inside dispatch's own
transactions.

``documents.services.document_store`` owns a durable transaction of its own; signing and
delivery must store their PDF in the same transaction as the rest of the step (nothing
half-written), so these two helpers do the documents' work inside the caller's transaction:
``pdf_keep`` through ``documents.services.document_keep`` (the same checks, the same
content-addressed blob, the same row and audit event as an upload).
"""

from __future__ import annotations

from daftar.documents.checks import inspect
from daftar.documents.models import Document, DocumentPage, OcrStatus
from daftar.documents.services import document_keep
from daftar.documents.storage import blob_store
from daftar.lib import clock
from daftar.lib.changes import changed
from daftar.org.models import User


def pdf_keep(*, actor: User, name: str, content: bytes) -> Document:
    """A new Document holding ``content`` (a PDF Daftar made), inside the caller's
    transaction. The blob is written first: a rolled-back caller leaves an unreferenced blob,
    never a row without its bytes."""
    found = inspect(name=name, content=content)
    sha256 = blob_store().put(content)
    return document_keep(actor=actor, found=found, sha256=sha256, size=len(content), ocr=False)


def document_share_bytes(source: Document, *, actor: User) -> Document:
    """A second Document row for the same stored bytes (no second copy of the blob): a
    receipt owns its documents, so a letter delivered to another organisation gets its own
    row pointing at the very blob that was signed."""
    document = Document.objects.create(
        sha256=source.sha256,
        size=source.size,
        content_type=source.content_type,
        original_name=source.original_name,
        page_count=source.page_count,
        flags=source.flags,
        # The text read so far is copied below; the copy is never queued for OCR again.
        ocr_status=OcrStatus.DONE if source.ocr_status == OcrStatus.DONE else OcrStatus.NOT_NEEDED,
        uploaded_by=actor,
        uploaded_at=clock.now(),
    )
    DocumentPage.objects.bulk_create(
        DocumentPage(document=document, number=number, text=text)
        for number, text in source.pages.order_by("number").values_list("number", "text")
    )
    changed("document", [document.pk])
    return document
