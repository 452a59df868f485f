"""document_store: what is accepted, what is refused (leaving nothing behind), and flags."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings

from daftar.audit.models import AuditEvent
from daftar.documents import checks
from daftar.documents.models import Document, DocumentPage, Flag, OcrStatus
from daftar.documents.services import document_store
from daftar.documents.storage import LocalBlobStore
from daftar.lib.errors import InvalidInput
from tests.cast import Cast
from tests.conftest import last_event
from tests.documents import samples
from tests.documents.conftest import blob_files

Store = Callable[[str, bytes], Document]


def test_text_pdf_is_stored_with_its_text_and_needs_no_ocr(
    store: Store, cast: Cast, blob_root: Path
) -> None:
    content = samples.text_pdf(["Summary for the Secretary on the Potohar dams", "Annex A " * 5])
    document = store("summary.pdf", content)

    assert document.content_type == checks.PDF
    assert document.page_count == 2
    assert document.size == len(content)
    assert document.ocr_status == OcrStatus.NOT_NEEDED
    assert document.ocr_task_id is None
    assert document.flags == []
    pages = list(document.pages.order_by("number").values_list("number", "text"))
    assert pages[0][0] == 1 and "Potohar dams" in pages[0][1]
    assert pages[1][0] == 2 and "Annex A" in pages[1][1]
    stored = LocalBlobStore(root=blob_root).path(document.sha256)
    assert stored.read_bytes() == content  # the original, byte for byte
    assert stored.relative_to(blob_root).parts[:2] == (document.sha256[:2], document.sha256[2:4])
    event = last_event(document, "document.store")
    assert event.actor == cast.registry_clerk
    assert event.after is not None and event.after["sha256"] == document.sha256


@pytest.mark.parametrize(
    ("name", "content", "content_type", "pages"),
    [
        ("scan.png", samples.scan(["Note"]), checks.PNG, 1),
        ("scan.jpg", samples.scan(["Note"], fmt="JPEG"), checks.JPEG, 1),
        ("scan.tif", samples.tiff([samples.scan(["One"]), samples.scan(["Two"])]), checks.TIFF, 2),
        ("scan.pdf", samples.scanned_pdf(samples.scan(["Note"])), checks.PDF, 1),
    ],
)
def test_scans_are_queued_for_ocr(
    store: Store, name: str, content: bytes, content_type: str, pages: int
) -> None:
    document = store(name, content)

    assert document.content_type == content_type
    assert document.page_count == pages
    document.refresh_from_db()
    assert document.ocr_status == OcrStatus.QUEUED
    assert document.ocr_task_id is not None  # enqueued after the commit


def test_office_files_are_stored_as_they_are(store: Store) -> None:
    word = store("letter.docx", samples.docx())
    macro = store("budget.docm", samples.docx(macros=True))
    legacy = store("old.doc", samples.legacy_doc())

    assert word.content_type == checks.DOCX and word.flags == []
    assert macro.flags == [Flag.MACROS]
    assert legacy.content_type == checks.DOC
    for document in (word, macro, legacy):
        assert document.page_count is None
        assert document.ocr_status == OcrStatus.NOT_NEEDED
        assert not document.pages.exists()


@pytest.mark.parametrize("on_open", [False, True])
def test_pdf_with_javascript_is_kept_but_flagged(store: Store, on_open: bool) -> None:
    document = store("form.pdf", samples.javascript_pdf(on_open=on_open))

    assert Flag.JAVASCRIPT in document.flags
    assert (Flag.OPEN_ACTION_JAVASCRIPT in document.flags) is on_open
    assert Document.objects.filter(pk=document.pk).exists()


def test_a_name_that_does_not_match_the_content_is_flagged(store: Store) -> None:
    document = store("photo.jpg", samples.text_pdf(["A born-digital letter, not a photo."]))

    assert document.content_type == checks.PDF
    assert document.flags == [Flag.NAME_MISMATCH]


def test_same_bytes_twice_are_one_blob(store: Store, blob_root: Path) -> None:
    content = samples.text_pdf(["The same letter, received twice from two offices."])
    first = store("letter.pdf", content)
    second = store("letter (1).pdf", content)

    assert first.pk != second.pk and first.sha256 == second.sha256
    assert len(blob_files(blob_root)) == 1


def test_names_lose_their_directories(store: Store) -> None:
    document = store("C:\\Users\\clerk\\..\\scan\x00.pdf", samples.text_pdf(["x" * 30]))
    assert document.original_name == "scan.pdf"


REFUSED = [
    pytest.param("invoice.pdf", samples.windows_program(), "a Windows program", id="exe-named-pdf"),
    pytest.param("scan.png", b"GIF89a" + b"\x00" * 64, "a GIF image", id="gif-named-png"),
    pytest.param("letter.docx", b"PK\x03\x04" + b"\x00" * 40, "ZIP archive", id="bad-zip"),
    pytest.param("page.html.pdf", b"<!DOCTYPE html><html></html>", "HTML page", id="html"),
    pytest.param("bomb.png", samples.png_bomb(), "decompression bomb", id="png-bomb"),
    pytest.param(
        "broken.pdf",
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog\nendobj\n" + bytes(range(256)) * 4,
        "not a readable PDF",
        id="unparseable-pdf",
    ),
    pytest.param("cut.png", samples.scan(["Note"])[:200], "cannot be read", id="truncated-png"),
    pytest.param("empty.pdf", b"", "is empty", id="empty"),
]


@pytest.mark.parametrize(("name", "content", "message"), REFUSED)
def test_refused_uploads_leave_nothing_behind(
    cast: Cast, blob_root: Path, name: str, content: bytes, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        document_store(actor=cast.registry_clerk, name=name, content=content)

    assert not Document.objects.exists()
    assert not DocumentPage.objects.exists()
    assert not AuditEvent.objects.filter(action="document.store").exists()
    assert blob_files(blob_root) == []


def test_too_big_is_refused_with_the_limit(cast: Cast, blob_root: Path, settings: Settings) -> None:
    settings.UPLOAD_MAX_BYTES = 2048
    content = samples.text_pdf(["A long annexure " * 400])
    assert len(content) > 2048

    with pytest.raises(InvalidInput, match=r"largest document accepted is 2 KB"):
        document_store(actor=cast.registry_clerk, name="annex.pdf", content=content)
    assert not Document.objects.exists()
    assert blob_files(blob_root) == []


def test_password_protected_pdf_is_refused(cast: Cast, blob_root: Path) -> None:
    import io

    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(samples.text_pdf(["s" * 30]))))
    writer.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)

    with pytest.raises(InvalidInput, match="password"):
        document_store(actor=cast.registry_clerk, name="locked.pdf", content=out.getvalue())
    assert not Document.objects.exists()
    assert blob_files(blob_root) == []
