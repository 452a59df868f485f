"""What an upload really is, decided from its bytes, never from its name.

``inspect`` accepts PDFs, JPEG/PNG/TIFF scans and Word/Excel/PowerPoint files (OOXML and the
legacy OLE2 formats), and refuses everything else with ``InvalidInput`` naming what was found.
It parses what it accepts (a PDF must open in pypdf, an image's header in Pillow under a pixel
limit) and reports the page count, the PDF's own text per page, whether OCR is needed, and
warnings (JavaScript, macros) that keep the document but flag it.
"""

from __future__ import annotations

import io
import logging
import unicodedata
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

import pypdf
from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from daftar.documents import pdfium
from daftar.documents.models import Flag
from daftar.lib.errors import InvalidInput

log = logging.getLogger(__name__)

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
TIFF = "image/tiff"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"

IMAGE_TYPES = frozenset({JPEG, PNG, TIFF})
OFFICE_TYPES = frozenset({DOCX, XLSX, PPTX, DOC, XLS})

# What people call each type, for messages, and the extensions a name may have for it.
TYPE_NAMES = {
    PDF: "PDF",
    JPEG: "JPEG image",
    PNG: "PNG image",
    TIFF: "TIFF image",
    DOCX: "Word document",
    XLSX: "Excel workbook",
    PPTX: "PowerPoint presentation",
    DOC: "Word 97-2003 document",
    XLS: "Excel 97-2003 workbook",
}
EXTENSIONS = {
    PDF: {".pdf"},
    JPEG: {".jpg", ".jpeg", ".jpe", ".jfif"},
    PNG: {".png"},
    TIFF: {".tif", ".tiff"},
    DOCX: {".docx", ".docm"},
    XLSX: {".xlsx", ".xlsm"},
    PPTX: {".pptx", ".pptm"},
    DOC: {".doc", ".dot"},
    XLS: {".xls", ".xlt"},
}

# A page larger than this is refused unread: decoding it is how a "decompression bomb" exhausts
# memory. 100 megapixels is an A4 page at about 1,200 dpi; an A0 drawing scanned at 300 dpi
# (140 MP) is refused too, and goes in at 200 dpi (62 MP).
IMAGE_MAX_PIXELS = 100_000_000
IMAGE_MAX_FRAMES = 2_000
# A page whose own text layer has fewer visible characters than this is treated as a scan.
TEXT_LAYER_MIN_CHARS = 20
# The walk through a PDF's objects looking for JavaScript stops after this many objects.
_PDF_WALK_LIMIT = 200_000

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Inspection:
    """What ``inspect`` found: the facts stored on the Document and its pages."""

    name: str
    content_type: str
    page_count: int | None
    page_texts: list[str] = field(default_factory=list)  # the PDF's own text layer, per page
    needs_ocr: bool = False
    flags: list[str] = field(default_factory=list)


def has_no_text_layer(text: str) -> bool:
    """A page whose own text is this thin is a scan (a scanner may stamp a few characters)."""
    return sum(not ch.isspace() for ch in text) < TEXT_LAYER_MIN_CHARS


def clean_name(name: str) -> str:
    """The file name as shown: no directories, no control characters, at most 255 chars."""
    base = PurePosixPath(name.replace("\\", "/")).name
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    if not base or base in {".", ".."}:
        raise InvalidInput(_("The document needs a file name."))
    if len(base) > 255:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 255 - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else base[:255]
    return base


def inspect(*, name: str, content: bytes) -> Inspection:
    """Check an upload; raise ``InvalidInput`` (with what was found) when it is refused."""
    name = clean_name(name)
    limit: int = settings.UPLOAD_MAX_BYTES
    if len(content) > limit:
        raise InvalidInput(
            _("%(name)s is %(size)s; the largest document accepted is %(limit)s.")
            % {"name": name, "size": _human_size(len(content)), "limit": _human_size(limit)}
        )
    if not content:
        raise InvalidInput(_("%(name)s is empty.") % {"name": name})
    content_type = detect_type(content)
    if content_type is None:
        raise InvalidInput(
            _(
                "%(name)s is %(found)s, which is not accepted. Upload a PDF, a scan "
                "(JPEG, PNG or TIFF) or a Word, Excel or PowerPoint file."
            )
            % {"name": name, "found": describe_unknown(content)}
        )
    flags: list[str] = []
    suffix = PurePosixPath(name.lower()).suffix
    if suffix not in EXTENSIONS[content_type]:
        flags.append(Flag.NAME_MISMATCH.value)
    if content_type == PDF:
        return _inspect_pdf(name, content, flags)
    if content_type in IMAGE_TYPES:
        pages = _inspect_image(name, content, content_type)
        return Inspection(
            name=name,
            content_type=content_type,
            page_count=pages,
            needs_ocr=True,
            flags=flags,
        )
    if _has_macros(content, content_type):
        flags.append(Flag.MACROS.value)
    return Inspection(name=name, content_type=content_type, page_count=None, flags=flags)


# -- type detection ---------------------------------------------------------------------------


def detect_type(content: bytes) -> str | None:
    """The accepted type these bytes are, or None."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith((b"II*\x00", b"MM\x00*")):
        return TIFF
    if content.startswith(b"PK\x03\x04"):
        return _ooxml_type(content)
    if content.startswith(_OLE2):
        return _ole2_type(content)
    return None


def _ooxml_type(content: bytes) -> str | None:
    """A ZIP is an Office file when it has ``[Content_Types].xml`` and the main part of one
    of the three kinds. Only the directory is read: nothing is unpacked."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    if "ppt/presentation.xml" in names:
        return PPTX
    return None


def _ole2_names(content: bytes) -> Iterator[str]:
    """Stream names of an OLE2 compound file, which its directory keeps in UTF-16."""
    for stream in ("WordDocument", "Workbook", "Book", "_VBA_PROJECT", "Macros", "VBA"):
        if stream.encode("utf-16-le") in content:
            yield stream


def _ole2_type(content: bytes) -> str | None:
    names = set(_ole2_names(content))
    if "WordDocument" in names:
        return DOC
    if names & {"Workbook", "Book"}:
        return XLS
    return None


def _has_macros(content: bytes, content_type: str) -> bool:
    if content_type in {DOC, XLS}:
        return bool(set(_ole2_names(content)) & {"_VBA_PROJECT", "Macros", "VBA"})
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return any(n.lower().endswith("vbaproject.bin") for n in archive.namelist())


def describe_unknown(content: bytes) -> str:
    """Name what a refused upload seems to be, for the message."""
    head = content[:512]
    known: list[tuple[bytes, str]] = [
        (b"MZ", _("a Windows program (EXE/DLL)")),
        (b"\x7fELF", _("a Linux program (ELF)")),
        (b"GIF8", _("a GIF image")),
        (b"BM", _("a BMP image")),
        (b"Rar!", _("a RAR archive")),
        (b"7z\xbc\xaf\x27\x1c", _("a 7-Zip archive")),
        (b"\x1f\x8b", _("a gzip archive")),
        (b"PK\x03\x04", _("a ZIP archive that is not a Word, Excel or PowerPoint file")),
        (_OLE2, _("an OLE2 compound file that is not a Word or Excel document")),
        (b"{\\rtf", _("an RTF document")),
        (b"\x00\x00\x00\x0cjP  ", _("a JPEG 2000 image")),
    ]
    for magic, label in known:
        if head.startswith(magic):
            return label
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return _("a WebP image")
    if head[4:12] in {b"ftypheic", b"ftypheix", b"ftypmif1"}:
        return _("a HEIC image")
    stripped = head.lstrip().lower()
    if stripped.startswith((b"<!doctype html", b"<html")):
        return _("an HTML page")
    if stripped.startswith(b"<?xml") or stripped.startswith(b"<svg"):
        return _("an XML or SVG file")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return _("unrecognised binary data (it begins %(hex)s)") % {"hex": head[:8].hex(" ")}
    return _("plain text")


# -- images -----------------------------------------------------------------------------------


def _inspect_image(name: str, content: bytes, content_type: str) -> int:
    """Open the image's header(s) under the pixel limit; return the number of pages."""
    bomb = _(
        "%(name)s claims %(pixels)s pixels, more than a scan has (at most %(limit)s). It is "
        "refused as a possible decompression bomb."
    )
    try:
        with warnings.catch_warnings():
            # The limit is checked here, per frame; Pillow's own global one only warns.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                frames = getattr(image, "n_frames", 1)
                if frames > IMAGE_MAX_FRAMES:
                    raise InvalidInput(
                        _("%(name)s has %(frames)s pages; at most %(limit)s are accepted.")
                        % {"name": name, "frames": frames, "limit": IMAGE_MAX_FRAMES}
                    )
                for frame in range(frames):
                    image.seek(frame)
                    pixels = image.width * image.height
                    if pixels > IMAGE_MAX_PIXELS:
                        raise InvalidInput(
                            bomb
                            % {
                                "name": name,
                                "pixels": f"{pixels:,}",
                                "limit": f"{IMAGE_MAX_PIXELS:,}",
                            }
                        )
            # verify() reads the data through without decoding it into memory.
            with Image.open(io.BytesIO(content)) as image:
                image.verify()
    except Image.DecompressionBombError as exc:
        raise InvalidInput(
            bomb % {"name": name, "pixels": "?", "limit": f"{IMAGE_MAX_PIXELS:,}"}
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise InvalidInput(
            _("%(name)s looks like a %(type)s but cannot be read: %(error)s")
            % {"name": name, "type": TYPE_NAMES[content_type], "error": exc}
        ) from exc
    return int(frames)


# -- PDFs -------------------------------------------------------------------------------------


def _inspect_pdf(name: str, content: bytes, flags: list[str]) -> Inspection:
    unreadable = _("%(name)s is not a readable PDF (%(error)s). Scan or save it again.")
    try:
        reader = pypdf.PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise InvalidInput(
                _("%(name)s is protected with a password; upload an unprotected copy.")
                % {"name": name}
            )
        if len(reader.pages) == 0:
            raise InvalidInput(unreadable % {"name": name, "error": _("it has no pages")})
    except InvalidInput:
        raise
    except Exception as exc:  # pypdf raises many kinds on damaged files
        raise InvalidInput(unreadable % {"name": name, "error": exc}) from exc
    flags.extend(_pdf_active_content(reader))
    # The text layer through PDFium: ten times faster than pypdf on long reports, and the same
    # engine that draws the page images, so the page count agrees with them.
    try:
        texts = [t.replace("\x00", "").strip() for t in pdfium.page_texts(content)]
    except pdfium.PdfiumError as exc:
        raise InvalidInput(unreadable % {"name": name, "error": exc}) from exc
    if not texts:
        raise InvalidInput(unreadable % {"name": name, "error": _("it has no pages")})
    scanned = any(has_no_text_layer(text) for text in texts)
    return Inspection(
        name=name,
        content_type=PDF,
        page_count=len(texts),
        page_texts=texts,
        needs_ocr=scanned,
        flags=flags,
    )


def _pdf_active_content(reader: pypdf.PdfReader) -> list[str]:
    """Flags for JavaScript (anywhere, and run on opening), launch actions and embedded files,
    found by walking every object reachable from the trailer (compressed object streams too)."""
    found: set[str] = set()
    seen: set[tuple[int, int]] = set()
    budget = _PDF_WALK_LIMIT

    def is_javascript_action(obj: Any) -> bool:
        obj = _resolve(obj)
        return isinstance(obj, DictionaryObject) and (
            obj.get("/S") == NameObject("/JavaScript") or "/JS" in obj
        )

    try:
        root = _resolve(reader.trailer["/Root"])
        if (
            isinstance(root, DictionaryObject)
            and "/OpenAction" in root
            and is_javascript_action(root["/OpenAction"])
        ):
            found.add(Flag.OPEN_ACTION_JAVASCRIPT.value)
        stack: list[Any] = [reader.trailer]
        while stack and budget > 0:
            budget -= 1
            obj = stack.pop()
            if isinstance(obj, IndirectObject):
                key = (obj.idnum, obj.generation)
                if key in seen:
                    continue
                seen.add(key)
                obj = obj.get_object()
            if isinstance(obj, DictionaryObject):
                if "/JS" in obj or obj.get("/S") == NameObject("/JavaScript"):
                    found.add(Flag.JAVASCRIPT.value)
                if obj.get("/S") == NameObject("/Launch"):
                    found.add(Flag.LAUNCH_ACTION.value)
                if "/EmbeddedFiles" in obj or obj.get("/Type") == NameObject("/EmbeddedFile"):
                    found.add(Flag.EMBEDDED_FILES.value)
                stack.extend(v for k, v in obj.items() if k not in {"/Parent", "/P"})
            elif isinstance(obj, ArrayObject):
                stack.extend(obj)
    except Exception as exc:  # a damaged corner of the file: keep what was found so far
        log.info("PDF walk stopped early: %s", exc)
    if Flag.OPEN_ACTION_JAVASCRIPT.value in found:
        found.add(Flag.JAVASCRIPT.value)
    order = [f.value for f in Flag]
    return sorted(found, key=order.index)


def _resolve(obj: Any) -> Any:
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def _human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} bytes"
