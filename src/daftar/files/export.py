"""Exporting a whole file as one sealed PDF: cover, final notes with their signature details,
the correspondence in page order, bookmarks and page numbers (docs/export.md).

Anyone who may see the file may export it; a classified file also needs a release for export
(``daftar.releases``), as an e-mail of a classified receipt does. The PDF is drawn outside any
transaction (it reads, and can take seconds for a thick file), then sealed with the owning
organisation's e-seal and audited (``file.export``) in one short transaction.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction

from daftar.audit.services import event_record
from daftar.documents.models import Document
from daftar.documents.selectors import document_bytes
from daftar.files.export_pdf import ExportPaper, assemble
from daftar.files.export_sheet import final_notes, sheet_pdf
from daftar.files.models import Classification, CorrespondenceItem, File
from daftar.files.selectors import file_for_actor
from daftar.lib import clock
from daftar.org.models import User
from daftar.org.selectors import organisation_of, posts_held
from daftar.receipts.models import ReceiptDocument
from daftar.releases.models import ReleasePurpose
from daftar.releases.services import release_check
from daftar.signing.api import pdf_seal


@dataclass(frozen=True)
class FileExport:
    file: File
    pdf: bytes
    pages: int
    sha256: str
    warnings: list[str]

    @property
    def filename(self) -> str:
        """A download name made of the file number (slashes and spaces are not for names)."""
        return re.sub(r"[^A-Za-z0-9._-]+", "-", self.file.number).strip("-") + ".pdf"


def export_papers(file: File) -> list[ExportPaper]:
    """The file's papers in page order with their documents, in two queries: receipts with
    their documents, and office copies of issued letters (one stored document each)."""
    items = list(file.correspondence.select_related("receipt", "document").order_by("first_page"))
    documents: dict[int, list[Document]] = defaultdict(list)
    receipt_ids = [item.receipt_id for item in items if item.receipt_id is not None]
    for attached in (
        ReceiptDocument.objects.filter(receipt_id__in=receipt_ids)
        .select_related("document")
        .order_by("receipt_id", "order")
    ):
        documents[attached.receipt_id].append(attached.document)
    return [_paper(item, documents) for item in items]


def _paper(item: CorrespondenceItem, documents: dict[int, list[Document]]) -> ExportPaper:
    if item.receipt is None:  # an office copy: the signed letter itself (the check
        # constraint makes it a receipt or a document)
        return ExportPaper(
            flag=item.flag,
            title=f"F/{item.flag} — {item.title}",
            first_page=item.first_page,
            documents=[item.document] if item.document is not None else [],
        )
    receipt = item.receipt
    return ExportPaper(
        flag=item.flag,
        title=f"F/{item.flag} — diary no. {receipt.diary_number} — {receipt.subject}",
        first_page=item.first_page,
        documents=documents[receipt.pk],
        placeholder=(
            f"F/{item.flag}: diary no. {receipt.diary_number}, {receipt.subject}. "
            "This paper is kept on paper only; it is on the physical file."
        ),
    )


def file_export(*, actor: User, file_id: int) -> FileExport:
    """The file as one sealed PDF. NotFound (404) for a file the actor may not see;
    ReleaseRequired (403) for a classified file without a release for export."""
    file = file_for_actor(actor, file_id)
    release_check(file, ReleasePurpose.EXPORT)
    organisation = organisation_of(file.unit)
    held = posts_held(actor)
    exported_as = next((p for p in held if p.pk == file.holder_id), held[0] if held else None)
    papers = export_papers(file)
    now = clock.now()
    sheet = sheet_pdf(
        file,
        organisation=organisation,
        notes=final_notes(file),
        paper_count=len(papers),
        exported_by=actor,
        exported_as=exported_as,
        exported_at=now,
    )
    graded = file.classification > Classification.UNCLASSIFIED
    grade = str(Classification(file.classification).label) if graded else ""
    assembled = assemble(
        sheet,
        papers,
        file_number=file.number,
        grade=grade,
        title=f"File {file.number} — {file.subject}",
        read=document_bytes,
    )
    with transaction.atomic(durable=True):
        # Asked again under the transaction that records the export: a release withdrawn or
        # a grade raised while the PDF was drawn stops it here.
        release = release_check(file_for_actor(actor, file_id), ReleasePurpose.EXPORT)
        sealed = pdf_seal(
            organisation=organisation, pdf=assembled.pdf, reason=f"Export of file {file.number}"
        )
        digest = hashlib.sha256(sealed).hexdigest()
        event_record(
            actor=actor,
            post=exported_as,
            action="file.export",
            obj=file,
            after={
                "pages": assembled.pages,
                "notes": len(sheet.note_pages),
                "papers": len(papers),
                "sha256": digest,
                "release": release.pk if release is not None else None,
                "warnings": assembled.warnings,
            },
        )
    return FileExport(file, sealed, assembled.pages, digest, assembled.warnings)
