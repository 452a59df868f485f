"""Reading stored documents: the original bytes (checked) and page images.

No access rules here: receipts and files decide who may see a document and call these only
after their own access helper has said yes.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
import warnings
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from daftar.documents import pdfium
from daftar.documents.checks import IMAGE_MAX_PIXELS, IMAGE_TYPES, PDF, TYPE_NAMES
from daftar.documents.models import Document
from daftar.documents.storage import blob_store
from daftar.lib.errors import InvalidInput, NotFound

PAGE_IMAGE_MIN_WIDTH = 50
PAGE_IMAGE_MAX_WIDTH = 3000
_PAGE_IMAGE_MAX_PIXELS = 3000 * 6000  # a page image may be at most twice as tall as A-series


def document_bytes(document: Document) -> bytes:
    """The original bytes, exactly as uploaded, after checking them against their SHA-256.

    Raises ``daftar.documents.storage.BlobDamaged`` (or ``BlobMissing``) rather than serve
    bytes that are not the ones stored."""
    return blob_store().read(document.sha256)


def page_image(document: Document, number: int, *, width: int) -> bytes:
    """Page ``number`` (1-based) of a PDF or a scan as a PNG ``width`` pixels wide.

    Rendered from the checked original with PDFium (scans: the image page itself, scaled) and
    kept under ``DOCUMENT_DERIVED_DIR`` (widths in steps of 50 px) so the next request is a
    file read. Office files have
    no page images (``InvalidInput``); a page that does not exist is ``NotFound``."""
    if document.content_type != PDF and document.content_type not in IMAGE_TYPES:
        raise InvalidInput(
            _("A %(type)s has no page images; download it instead.")
            % {"type": TYPE_NAMES.get(document.content_type, document.content_type)}
        )
    if not PAGE_IMAGE_MIN_WIDTH <= width <= PAGE_IMAGE_MAX_WIDTH:
        raise InvalidInput(
            _("Page images are %(min)s to %(max)s pixels wide.")
            % {"min": PAGE_IMAGE_MIN_WIDTH, "max": PAGE_IMAGE_MAX_WIDTH}
        )
    if not 1 <= number <= (document.page_count or 0):
        raise NotFound(_("This document has no page %(number)s.") % {"number": number})
    # Only widths in steps of 50 px are kept, so a client asking for every width in turn
    # cannot fill the disk; the others are drawn each time.
    cached = _derived_path(document.sha256, number, width) if width % 50 == 0 else None
    if cached is not None:
        with contextlib.suppress(FileNotFoundError):
            return cached.read_bytes()
    content = document_bytes(document)
    if document.content_type == PDF:
        png = _render_pdf_page(content, number, width)
    else:
        png = _render_image_page(content, number, width)
    if cached is not None:
        _write_derived(cached, png)
    return png


def _derived_path(sha256: str, number: int, width: int) -> Path:
    root = Path(settings.DOCUMENT_DERIVED_DIR)
    return root / "pages" / sha256[:2] / sha256 / f"{number}-{width}.png"


def _write_derived(path: Path, data: bytes) -> None:
    """Written whole or not at all (a temporary file renamed), so a reader never sees half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".incoming-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _check_size(width: int, height: int) -> None:
    if width * height > _PAGE_IMAGE_MAX_PIXELS:
        raise InvalidInput(_("This page is too long to show as an image; download it instead."))


def _render_pdf_page(content: bytes, number: int, width: int) -> bytes:
    page_width, page_height = pdfium.page_size(content, number)
    scale = width / page_width
    _check_size(width, round(page_height * scale))
    image = pdfium.render(content, number, scale=scale)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _render_image_page(content: bytes, number: int, width: int) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(content)) as image:
            image.seek(number - 1)
            if image.width * image.height > IMAGE_MAX_PIXELS:  # checked at upload; kept safe
                raise InvalidInput(_("This scan is too large to show as an image."))
            upright = ImageOps.exif_transpose(image)  # a phone photo taken sideways
            height = max(1, round(upright.height * width / upright.width))
            _check_size(width, height)
            frame = upright.convert("RGBA" if "A" in upright.getbands() else "RGB")
            frame = frame.resize((width, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    frame.save(out, "PNG")
    return out.getvalue()
