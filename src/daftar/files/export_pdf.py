"""Putting a file's export together: the sheet, then each paper's documents in page order,
bookmarks, and a page number (and the grade) stamped on every page.

Papers are read one document at a time (the original bytes, hash-checked by the blob store):
PDFs go in as they are, scans become PDF pages (img2pdf wraps the image without re-encoding
it), and what cannot be shown as pages (an Office file, a paper kept only on the physical
file, a stored copy that fails its check) gets one page that says so, so the page series and
the bookmarks still match the file.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import img2pdf  # type: ignore[import-untyped]
from fpdf import FPDF
from PIL import Image
from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.errors import PyPdfError

from daftar.documents.checks import IMAGE_TYPES, PDF, TYPE_NAMES
from daftar.documents.models import Document
from daftar.documents.storage import BlobError
from daftar.files.export_sheet import RenderedSheet

log = logging.getLogger(__name__)

FONT = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"
A4 = (img2pdf.mm_to_pt(210), img2pdf.mm_to_pt(297))
STAMP_SIZE = 7.5  # pt


@dataclass(frozen=True)
class ExportPaper:
    """One paper on the correspondence side, as the export shows it."""

    flag: str
    title: str  # its bookmark: "F/A — diary no. … — subject"
    first_page: int  # in the file's page series
    documents: Sequence[Document] = field(default_factory=list)
    placeholder: str = ""  # printed instead when the paper has no documents


@dataclass(frozen=True)
class Assembled:
    pdf: bytes
    pages: int
    warnings: list[str]


def _placeholder_pdf(lines: list[str]) -> bytes:
    """One A4 page with a few lines of text, for what cannot be shown as pages."""
    pdf = FPDF(unit="pt", format=A4)
    pdf.add_font("NotoSans", fname=FONT)
    pdf.set_font("NotoSans", size=11)
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    pdf.set_xy(72, 200)
    for line in lines:
        pdf.multi_cell(A4[0] - 144, 16, line, new_x="LMARGIN", new_y="NEXT")
        pdf.set_x(72)
        pdf.ln(6)
    return bytes(pdf.output())


def _image_pdf(content: bytes) -> bytes:
    """A scan (JPEG, PNG, TIFF with all its pages) as PDF pages fitted into A4."""
    layout = img2pdf.get_layout_fun(A4, fit=img2pdf.FitMode.into)
    try:
        return bytes(img2pdf.convert(content, layout_fun=layout))
    except (img2pdf.AlphaChannelError, img2pdf.ImageOpenError, img2pdf.UnsupportedColorspaceError):
        # A PNG with transparency (or an odd mode): flatten it the way a page is printed.
        frames = []
        with Image.open(io.BytesIO(content)) as image:
            for index in range(getattr(image, "n_frames", 1)):
                image.seek(index)
                out = io.BytesIO()
                image.convert("RGB").save(out, "PNG")
                frames.append(out.getvalue())
        return bytes(img2pdf.convert(frames, layout_fun=layout))


def document_pages(document: Document, read: Callable[[Document], bytes]) -> tuple[PdfReader, str]:
    """The document's pages as a PDF reader, and a warning when they had to be replaced."""
    name = document.original_name
    try:
        content = read(document)
        if document.content_type == PDF:
            return PdfReader(io.BytesIO(content)), ""
        if document.content_type in IMAGE_TYPES:
            return PdfReader(io.BytesIO(_image_pdf(content))), ""
    except BlobError as exc:
        warning = f"The stored copy of {name} failed its check ({exc}); it is not included."
        return PdfReader(io.BytesIO(_placeholder_pdf([warning]))), warning
    except (PyPdfError, OSError, ValueError) as exc:
        log.warning(
            "export: %s (document %s) could not be read as pages: %s", name, document.pk, exc
        )
        warning = f"{name} could not be read as pages ({type(exc).__name__}); it is not included."
        return PdfReader(io.BytesIO(_placeholder_pdf([warning]))), warning
    kind = TYPE_NAMES.get(document.content_type, document.content_type)
    text = [
        f"{name}",
        f"A {kind} ({document.page_count or 1} page(s)): it has no printable "
        "pages here. Open it in Daftar from the file's correspondence.",
    ]
    return PdfReader(io.BytesIO(_placeholder_pdf(text))), ""


@dataclass
class _Stamp:
    correspondence_page: str  # "Correspondence p. 3 (F/A)" or ""


def _add_reader(writer: PdfWriter, reader: PdfReader) -> int:
    start = len(writer.pages)
    for page in reader.pages:
        writer.add_page(page)
    return start


def assemble(
    sheet: RenderedSheet,
    papers: Sequence[ExportPaper],
    *,
    file_number: str,
    grade: str,
    title: str,
    read: Callable[[Document], bytes],
) -> Assembled:
    """The whole export as one PDF (not yet sealed)."""
    writer = PdfWriter()
    _add_reader(writer, PdfReader(io.BytesIO(sheet.pdf)))
    stamps = [_Stamp("") for _ in range(sheet.pages)]
    warnings: list[str] = []
    writer.add_outline_item(title="Cover", page_number=0)
    notes = writer.add_outline_item(title="Notes", page_number=sheet.notes_page)
    for note_title, page in sheet.note_pages:
        writer.add_outline_item(title=note_title, page_number=page, parent=notes)
    corr_start = len(writer.pages)
    paper_marks: list[tuple[str, int]] = []
    for paper in papers:
        paper_marks.append((paper.title, len(writer.pages)))
        number = paper.first_page
        readers = [PdfReader(io.BytesIO(_placeholder_pdf([paper.placeholder])))]
        if paper.documents:
            readers = []
            for document in paper.documents:
                reader, warning = document_pages(document, read)
                if warning:
                    warnings.append(f"F/{paper.flag}: {warning}")
                readers.append(reader)
        for reader in readers:
            _add_reader(writer, reader)
            for _ in reader.pages:
                stamps.append(_Stamp(f"Correspondence p. {number} (F/{paper.flag})"))
                number += 1
    if papers:
        corr = writer.add_outline_item(title="Correspondence", page_number=corr_start)
        for paper_title, page in paper_marks:
            writer.add_outline_item(title=paper_title, page_number=page, parent=corr)
    _stamp_all(writer, stamps, file_number=file_number, grade=grade)
    writer.add_metadata({"/Title": title, "/Creator": "Daftar"})
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return Assembled(out.getvalue(), len(writer.pages), warnings)


def _stamp_all(writer: PdfWriter, stamps: list[_Stamp], *, file_number: str, grade: str) -> None:
    """Page numbers (and the grade, top and bottom) on every page: one overlay document with a
    page per page, so its font is embedded once, merged onto each page."""
    total = len(writer.pages)
    overlay = FPDF(unit="pt")
    overlay.add_font("NotoSans", fname=FONT)
    overlay.set_auto_page_break(auto=False)
    overlay.set_fill_color(255, 255, 255)
    boxes = []
    for index, page in enumerate(writer.pages):
        if page.rotation:
            page.transfer_rotation_to_content()  # the stamp sits at the foot as the page reads
        box = page.cropbox
        width, height = float(box.width), float(box.height)
        boxes.append((float(box.left), float(box.bottom)))
        overlay.add_page(format=(width, height))
        overlay.set_font("NotoSans", size=STAMP_SIZE)
        foot = f"{file_number} — page {index + 1} of {total}"
        _label(overlay, foot, width=width, y=height - 16, align="C")
        if stamps[index].correspondence_page:
            _label(
                overlay, stamps[index].correspondence_page, width=width, y=height - 16, align="R"
            )
        if grade:
            overlay.set_font("NotoSans", size=STAMP_SIZE + 1.5)
            _label(overlay, grade.upper(), width=width, y=6, align="C")
            _label(overlay, grade.upper(), width=width, y=height - 28, align="C")
    reader = PdfReader(io.BytesIO(bytes(overlay.output())))
    for page, stamp, (left, bottom) in zip(writer.pages, reader.pages, boxes, strict=True):
        _merge(page, stamp, left, bottom)


def _label(pdf: FPDF, text: str, *, width: float, y: float, align: str) -> None:
    text_width = pdf.get_string_width(text) + 6
    x = {"C": (width - text_width) / 2, "R": width - text_width - 18}.get(align, 18.0)
    pdf.set_xy(x, y)
    pdf.cell(text_width, STAMP_SIZE + 4, text, align="C", fill=True)


def _merge(page: PageObject, stamp: PageObject, left: float, bottom: float) -> None:
    if left or bottom:
        page.merge_transformed_page(stamp, Transformation().translate(left, bottom))
    else:
        page.merge_page(stamp)
