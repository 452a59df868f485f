"""The first part of a file's export: its cover page and its note sheet, drawn by WeasyPrint.

Only final notes are exported: a draft is still its author's to change, so it is not yet part
of the record. Each final note prints its signature details (signer, certificate, SHA-256 of
its canonical content) so a printed page can be checked with ``daftar notes verify``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML  # type: ignore[import-untyped]

from daftar.files.models import Classification, File, Note, NoteKind, NoteSignature
from daftar.org.models import OrgUnit, Post, User


@dataclass(frozen=True)
class SheetNote:
    """A final note as the export prints it."""

    note: Note
    signature: NoteSignature | None
    written_at: dt.datetime  # in the organisation's time zone

    @property
    def title(self) -> str:
        """Its bookmark: paragraphs, author, designation, date."""
        note = self.note
        if note.kind == NoteKind.AGREE or note.para_count == 0:
            paras = "Agreed"
        elif note.para_count == 1:
            paras = f"¶{note.first_para}"
        else:
            paras = f"¶{note.first_para}\N{EN DASH}{note.first_para + note.para_count - 1}"
        when = self.written_at.strftime("%d %b %Y")
        return f"{paras} — {note.author.full_name}, {note.post.designation}, {when}"


@dataclass(frozen=True)
class RenderedSheet:
    pdf: bytes
    pages: int
    notes_page: int  # 0-based page of the "Notes" heading
    note_pages: list[tuple[str, int]]  # (bookmark title, 0-based page) per note, in order


def final_notes(file: File) -> list[Note]:
    """The file's final notes in paragraph order, with authors, posts and signatures: one
    query whatever their number."""
    return list(
        Note.objects.filter(file=file, is_final=True)
        .select_related("author", "post", "signature")
        .order_by("first_para", "id")
    )


def _signature_of(note: Note) -> NoteSignature | None:
    try:
        return note.signature
    except NoteSignature.DoesNotExist:
        return None


def sheet_pdf(
    file: File,
    *,
    organisation: OrgUnit,
    notes: list[Note],
    paper_count: int,
    exported_by: User,
    exported_as: Post | None,
    exported_at: dt.datetime,
) -> RenderedSheet:
    """Cover and notes as one PDF, with the page each note starts on (for the bookmarks)."""
    zone = ZoneInfo(organisation.time_zone)
    rows = [SheetNote(n, _signature_of(n), n.created_at.astimezone(zone)) for n in notes]
    context = {
        "file": file,
        "organisation": organisation,
        "grade": Classification(file.classification).label,
        "opened_at": file.created_at.astimezone(zone),
        "notes": rows,
        "papers": range(paper_count),
        "exported_by": exported_by,
        "exported_as": exported_as,
        "exported_at": exported_at.astimezone(zone),
        "time_zone": organisation.time_zone,
    }
    # The record is kept in English, the language of the office; Urdu text is shaped as is.
    with translation.override("en"):
        html = render_to_string("files/export/sheet.html", context)
    document = HTML(string=html).render()
    anchors: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for name in page.anchors:
            anchors.setdefault(name, index)
    pdf: bytes = document.write_pdf()
    return RenderedSheet(
        pdf=pdf,
        pages=len(document.pages),
        notes_page=anchors.get("notes", 0),
        note_pages=[(row.title, anchors[f"note-{row.note.pk}"]) for row in rows],
    )
