"""Documents made in the test itself: scans drawn with Pillow at 300 dpi, PDFs with a real text
layer (fpdf2), PDFs carrying JavaScript (pypdf), Office files and hostile files."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import img2pdf  # type: ignore[import-untyped]
import pypdf
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
NASKH = "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf"

ENGLISH_LINES = ["Construction of small dams", "Potohar region budget"]
URDU_LINES = ["پانی کے وسائل", "حکومت پاکستان"]  # water resources / Government of Pakistan


def scan(lines: list[str], *, urdu: bool = False, fmt: str = "PNG") -> bytes:
    """A clean 300 dpi scan of a few lines of text (A4 width, a short page keeps OCR quick)."""
    image = Image.new("L", (1240, 400), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(NASKH if urdu else DEJAVU, 48)
    for row, line in enumerate(lines):
        y = 60 + row * 100
        if urdu:
            draw.text((1160, y), line, font=font, fill=0, anchor="ra", direction="rtl")
        else:
            draw.text((80, y), line, font=font, fill=0)
    out = io.BytesIO()
    image.save(out, fmt, dpi=(300, 300))
    return out.getvalue()


def tiff(pages: list[bytes]) -> bytes:
    """A multi-page TIFF of the given PNG scans."""
    frames = [Image.open(io.BytesIO(p)) for p in pages]
    out = io.BytesIO()
    frames[0].save(
        out, "TIFF", save_all=True, append_images=frames[1:], dpi=(300, 300), compression="tiff_lzw"
    )
    return out.getvalue()


def scanned_pdf(png: bytes) -> bytes:
    """A PDF of a scan: an image, no text layer."""
    return bytes(img2pdf.convert(png))


def text_pdf(pages: list[str]) -> bytes:
    """A born-digital PDF: every page has a real text layer."""
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", fname=DEJAVU)
    pdf.set_font("DejaVu", size=14)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 10, text)
    return bytes(pdf.output())


def mixed_pdf(text: str, png: bytes) -> bytes:
    """Page 1 with a text layer, page 2 a scan."""
    writer = pypdf.PdfWriter()
    writer.append(pypdf.PdfReader(io.BytesIO(text_pdf([text]))))
    writer.append(pypdf.PdfReader(io.BytesIO(scanned_pdf(png))))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def javascript_pdf(*, on_open: bool) -> bytes:
    """JavaScript run when the PDF opens (``/OpenAction``), or only kept in the document's
    name tree (run by a form field, a link...)."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(text_pdf(["A" * 40]))))
    action = writer._add_object(
        DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert('hello');"),
            }
        )
    )
    if on_open:
        writer._root_object[NameObject("/OpenAction")] = action
    else:
        names = DictionaryObject(
            {NameObject("/Names"): ArrayObject([TextStringObject("hello"), action])}
        )
        writer._root_object[NameObject("/Names")] = DictionaryObject(
            {NameObject("/JavaScript"): writer._add_object(names)}
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx(*, macros: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
        if macros:
            archive.writestr("word/vbaProject.bin", b"\x00" * 64)
    return out.getvalue()


def legacy_doc() -> bytes:
    """The start of an OLE2 compound file whose directory names a WordDocument stream."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    entry = "Root Entry".encode("utf-16-le").ljust(128, b"\x00")
    entry += "WordDocument".encode("utf-16-le").ljust(128, b"\x00")
    return header + entry + b"\x00" * 512


def png_bomb(width: int = 40_000, height: int = 40_000) -> bytes:
    """A PNG a few hundred bytes long whose header claims width x height pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 4096, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def windows_program() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 100 + b"This program cannot be run"
