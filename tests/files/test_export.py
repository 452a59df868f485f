"""Exporting a whole file as one sealed PDF: order, bookmarks, signature details, the seal,
releases for classified files, access and the audit trail."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from daftar.audit.models import AuditEvent
from daftar.documents.services import document_store
from daftar.files.correspondence import receipt_put_on_file
from daftar.files.export import file_export
from daftar.files.models import Classification, File, Note
from daftar.files.services import file_open, note_add
from daftar.lib.errors import NotFound
from daftar.movement.services import file_send
from daftar.org.models import User
from daftar.receipts.custody import receipt_send
from daftar.receipts.models import Sender
from daftar.releases.models import Release
from daftar.releases.services import ReleaseRequired, release_grant
from daftar.signing import ca
from daftar.signing.api import pdf_verify
from daftar.signing.models import Certificate
from tests.cast import Cast
from tests.conftest import last_event
from tests.documents.samples import docx, scan, text_pdf
from tests.files.conftest import run_cli
from tests.receipts.conftest import register
from tests.signing.conftest import nss_db, pdfsig

Login = Callable[[User], Client]


def _paper(cast: Cast, sender: Sender, file: File, subject: str, **kw: object) -> None:
    receipt = register(cast, sender, subject=subject, **kw)
    receipt_send(actor=cast.registry_clerk, receipt_id=receipt.pk, to_post_id=file.holder_id)
    holder = cast.assistant if file.holder_id == cast.assistant_post.pk else cast.section_officer
    receipt_put_on_file(actor=holder, receipt_id=receipt.pk, file_id=file.pk)


@pytest.fixture
def full_file(authority: Certificate, cast: Cast, file: File, sender: Sender) -> File:
    """Two notes and three papers: a two-page PDF (F/A), a scan (F/B), a paper-only letter
    (F/C); sent up to the Section Officer, so every note is final and signed."""
    letter = document_store(
        actor=cast.registry_clerk, name="letter.pdf", content=text_pdf(["Alpha page", "Beta page"])
    )
    photo = document_store(actor=cast.registry_clerk, name="scan.png", content=scan(["Gamma"]))
    _paper(cast, sender, file, "Feasibility of Dadhocha dam", document_ids=[letter.pk])
    note_add(actor=cast.assistant, file_id=file.pk, body="The PUC may kindly be seen.")
    _paper(cast, sender, file, "Revised PC-I", document_ids=[photo.pk])
    _paper(cast, sender, file, "Hand-delivered map", is_physical=True, document_ids=[])
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    file.refresh_from_db()
    return file


def _outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(depth, title, page index) of every bookmark, in order."""
    found: list[tuple[int, str, int]] = []

    def walk(items: Sequence[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                page = reader.get_destination_page_number(item)
                found.append((depth, str(item.title), -1 if page is None else page))

    walk(reader.outline, 0)
    return found


def test_the_export_has_cover_notes_and_papers_in_order_with_bookmarks(
    full_file: File, cast: Cast
) -> None:
    export = file_export(actor=cast.section_officer, file_id=full_file.pk)
    reader = PdfReader(io.BytesIO(export.pdf))
    texts = [page.extract_text() for page in reader.pages]
    assert export.pages == len(reader.pages) == 6  # cover, notes, 2 + 1 + 1 paper pages
    assert "File " + full_file.number in texts[0] and "Ayesha Siddiqui" in texts[0]  # exporter
    outline = _outline(reader)
    notes = list(Note.objects.filter(file=full_file).order_by("first_para"))
    assert [title for _, title, _ in outline][:2] == ["Cover", "Notes"]
    assert outline[0] == (0, "Cover", 0) and outline[1] == (0, "Notes", 1)
    note_marks = [(title, page) for depth, title, page in outline if depth == 1 and "¶" in title]
    assert [title.split(" — ")[0] for title, _ in note_marks] == ["¶1", "¶2", "¶3", "¶4"]
    assert all("Bilal Ahmed, Assistant (Development-I)" in title for title, _ in note_marks)
    papers = [(title, page) for depth, title, page in outline if title.startswith("F/")]
    assert [(title.split(" — ")[0], page) for title, page in papers] == [
        ("F/A", 2),
        ("F/B", 4),
        ("F/C", 5),
    ]
    assert "Revised PC-I" in papers[1][0] and "diary no." in papers[1][0]
    assert (0, "Correspondence", 2) in outline
    # Paragraph order on the sheet, with each note's signature details printed.
    sheet = texts[1]
    assert sheet.index("The PUC may kindly be seen.") < sheet.index("Revised PC-I")
    for note in notes:
        signature = note.signature
        assert signature.content_sha256 in sheet.replace("\n", "")
        assert f"certificate {signature.certificate_serial}" in sheet
    # The papers, in page order, each page stamped with its file page and flag.
    assert "Alpha page" in texts[2] and "Correspondence p. 1 (F/A)" in texts[2]
    assert "Beta page" in texts[3] and "Correspondence p. 2 (F/A)" in texts[3]
    assert "Correspondence p. 3 (F/B)" in texts[4]
    assert "kept on paper only" in texts[5] and "Correspondence p. 4 (F/C)" in texts[5]
    assert all(f"page {i + 1} of 6" in text for i, text in enumerate(texts))


def test_the_export_is_sealed_and_the_seal_verifies(
    full_file: File, cast: Cast, authority: Certificate, tmp_path: Path
) -> None:
    export = file_export(actor=cast.assistant, file_id=full_file.pk)
    report = pdf_verify(export.pdf)
    assert report.ok, report.summary
    [seal] = report.signatures
    assert seal.kind == "seal" and seal.intact and seal.covers_whole_file
    assert seal.organisation == "Water Resources Division" or "Water Resources" in seal.signer
    nssdir = nss_db(tmp_path / "nss", ca.certificate_of(authority).public_bytes(Encoding.DER))
    assert "Signature is Valid." in pdfsig(export.pdf, nssdir, tmp_path)
    tampered = bytearray(export.pdf)
    at = export.pdf.index(b"Alpha page") if b"Alpha page" in export.pdf else len(tampered) // 3
    tampered[at] ^= 0x01
    assert not pdf_verify(bytes(tampered)).ok
    assert "Signature is Valid." not in pdfsig(bytes(tampered), nssdir, tmp_path)
    event = last_event(full_file, "file.export")
    assert event.actor_id == cast.assistant.pk
    after = event.after or {}
    assert after["sha256"] == export.sha256 and after["pages"] == 6


@pytest.fixture
def confidential(authority: Certificate, cast: Cast) -> File:
    file = file_open(
        actor=cast.section_officer,
        post_id=cast.so_post.pk,
        subject="Water accord: provincial shares",
        classification=Classification.CONFIDENTIAL,
    )
    note_add(actor=cast.section_officer, file_id=file.pk, body="For orders.")
    file_send(actor=cast.section_officer, file_id=file.pk, to_post_id=cast.ds_post.pk)
    return file


def test_a_classified_file_needs_a_release_for_export(confidential: File, cast: Cast) -> None:
    before = AuditEvent.objects.filter(action="file.export").count()
    with pytest.raises(ReleaseRequired, match="cannot be exported until an officer cleared"):
        file_export(actor=cast.deputy_secretary, file_id=confidential.pk)
    assert AuditEvent.objects.filter(action="file.export").count() == before
    # An e-mail release does not cover an export.
    release_grant(actor=cast.deputy_secretary, obj=confidential, purpose="email", reason="Reply")
    with pytest.raises(ReleaseRequired):
        file_export(actor=cast.deputy_secretary, file_id=confidential.pk)
    release = release_grant(
        actor=cast.deputy_secretary, obj=confidential, purpose="export", reason="For the court"
    )
    export = file_export(actor=cast.deputy_secretary, file_id=confidential.pk)
    first = PdfReader(io.BytesIO(export.pdf)).pages[0].extract_text()
    assert "CONFIDENTIAL" in first  # the grade, top and bottom of every page
    assert (last_event(confidential, "file.export").after or {})["release"] == release.pk


def test_an_outsider_cannot_export(full_file: File, cast: Cast, login: Login) -> None:
    with pytest.raises(NotFound):
        file_export(actor=cast.outsider, file_id=full_file.pk)
    response = login(cast.outsider).get(reverse("file-export", args=[full_file.pk]))
    assert response.status_code == 404


def test_the_file_page_downloads_the_export(full_file: File, cast: Cast, login: Login) -> None:
    client = login(cast.assistant)
    assert (
        reverse("file-export", args=[full_file.pk])
        in client.get(reverse("file-detail", args=[full_file.pk])).content.decode()
    )
    response = client.get(reverse("file-export", args=[full_file.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="1-1-2026-D-I')
    assert response.content.startswith(b"%PDF")


def test_the_file_page_explains_a_refused_export(
    confidential: File, cast: Cast, login: Login
) -> None:
    response = login(cast.deputy_secretary).get(reverse("file-export", args=[confidential.pk]))
    assert response.status_code == 403
    assert "cannot be exported until an officer cleared for Confidential" in (
        response.content.decode()
    )


def test_export_file_command(full_file: File, cast: Cast, tmp_path: Path) -> None:
    out = tmp_path / "file.pdf"
    code, text = run_cli("export_file", full_file.number, str(out), "--as", cast.assistant.email)
    assert code == 0, text
    assert out.read_bytes().startswith(b"%PDF") and "6 pages, sealed" in text
    code, text = run_cli("export_file", full_file.number, str(out), "--as", cast.outsider.email)
    assert code == 1 and "No such file, or it is not open to you." in text
    code, text = run_cli("export_file", full_file.number, str(out), "--as", "nobody@x.gov.pk")
    assert code == 1 and "no such active person" in text


def test_the_holder_records_a_release_on_the_file_page_then_exports(
    confidential: File, cast: Cast, login: Login
) -> None:
    client = login(cast.deputy_secretary)
    page = client.get(reverse("file-detail", args=[confidential.pk])).content.decode()
    assert reverse("file-release", args=[confidential.pk]) in page
    url = reverse("file-release", args=[confidential.pk])
    refused = client.post(url, {"purpose": "export", "reason": "  "})
    assert refused.status_code == 400 and not Release.objects.exists()
    response = client.post(url, {"purpose": "export", "reason": "Asked for by the court"})
    assert response.status_code == 302
    release = Release.objects.get()
    assert (release.purpose, release.granted_by_id) == ("export", cast.deputy_secretary.pk)
    assert "Asked for by the court" in client.get(response["Location"]).content.decode()
    assert client.get(reverse("file-export", args=[confidential.pk])).status_code == 200
    # The Section Officer sees the file (it passed their desk) but does not hold it any more.
    officer = login(cast.section_officer)
    page = officer.get(reverse("file-detail", args=[confidential.pk])).content.decode()
    assert reverse("file-release", args=[confidential.pk]) not in page
    assert officer.post(url, {"purpose": "export", "reason": "x"}).status_code == 400


def test_papers_without_printable_pages_get_a_page_that_says_so(
    authority: Certificate, cast: Cast, file: File, sender: Sender, blob_root: Path
) -> None:
    """An Office file has no pages to print; a stored copy that fails its hash check is not
    passed off as the paper: each gets one page saying so, and the damage is a warning."""
    memo = document_store(actor=cast.registry_clerk, name="memo.docx", content=docx())
    damaged = document_store(
        actor=cast.registry_clerk, name="report.pdf", content=text_pdf(["Delta page"])
    )
    _paper(cast, sender, file, "Minutes of the meeting", document_ids=[memo.pk])
    _paper(cast, sender, file, "Inspection report", document_ids=[damaged.pk])
    [blob] = [p for p in blob_root.rglob(damaged.sha256 + "*") if p.is_file()]
    content = bytearray(blob.read_bytes())
    content[len(content) // 2] ^= 0x01  # one byte on the disk changed
    blob.write_bytes(bytes(content))
    export = file_export(actor=cast.assistant, file_id=file.pk)
    pages = PdfReader(io.BytesIO(export.pdf)).pages
    texts = [" ".join(page.extract_text().split()) for page in pages]
    assert "memo.docx" in texts[-2] and "no printable pages" in texts[-2]
    assert "report.pdf failed its check" in texts[-1] and "Delta" not in texts[-1]
    [warning] = export.warnings
    assert warning.startswith("F/B: The stored copy of report.pdf failed its check")
    after = last_event(file, "file.export").after or {}
    assert any("report.pdf" in w for w in after["warnings"])
