"""Reading the text of scans: an OCR engine behind a small Protocol.

The default engine runs OCRmyPDF (Tesseract underneath) on a copy of the document in a private
temporary directory and keeps only its ``--sidecar`` text, split per page: the text layer of
the PDF it writes comes out scrambled for right-to-left Urdu, the sidecar does not. The
original is never touched; the OCR'd PDF is thrown away.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from pathlib import Path
from typing import Protocol

import img2pdf  # type: ignore[import-untyped]
import ocrmypdf
import ocrmypdf.exceptions as ocr_exc
from PIL import Image

from daftar.documents.checks import IMAGE_TYPES, PDF

_SKIPPED = re.compile(r"\[OCR skipped on page\(s\) (\d+)(?:-(\d+))?\]")


class OcrError(Exception):
    """OCR did not produce text. ``permanent`` errors are not worth another attempt (the input
    itself is the problem); others (a timeout, a crashed Tesseract) may pass."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


class OcrEngine(Protocol):
    def recognise(self, *, content: bytes, content_type: str, pages: list[int]) -> dict[int, str]:
        """The text of each of ``pages`` (1-based) of the document; raises ``OcrError``."""
        ...


class OcrmypdfEngine:
    def __init__(self, *, languages: list[str], page_timeout: float) -> None:
        self.languages = languages
        self.page_timeout = page_timeout

    def recognise(self, *, content: bytes, content_type: str, pages: list[int]) -> dict[int, str]:
        # Tesseract's OpenMP threads fight each other when several pages or jobs run at once:
        # one thread per Tesseract is several times faster on a busy server.
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        if content_type in IMAGE_TYPES:
            try:
                pdf = _image_to_pdf(content)
            except Exception as exc:  # img2pdf's many refusals
                raise OcrError(f"the scan cannot be turned into a PDF: {exc}") from exc
        elif content_type == PDF:
            pdf = content
        else:
            raise OcrError(f"no OCR for {content_type}", permanent=True)
        with tempfile.TemporaryDirectory(prefix="daftar-ocr-") as tmp:
            source, output, sidecar = Path(tmp, "in.pdf"), Path(tmp, "out.pdf"), Path(tmp, "t")
            source.write_bytes(pdf)
            try:
                code = ocrmypdf.ocr(
                    source,
                    output,
                    language=self.languages,
                    sidecar=sidecar,
                    # Pages with a text layer are left out by ``pages``; the rest are
                    # rasterised whatever invisible text a scanner may have put on them.
                    mode="force",
                    pages=",".join(str(p) for p in pages),
                    output_type="pdf",
                    optimize=0,
                    jobs=1,
                    progress_bar=False,
                    tesseract_timeout=self.page_timeout,
                    invalidate_digital_signatures=True,  # on the throw-away copy only
                )
            except (
                ocr_exc.EncryptedPdfError,
                ocr_exc.InputFileError,
                ocr_exc.UnsupportedImageFormatError,
                ocr_exc.DpiError,
            ) as exc:
                raise OcrError(_describe(exc), permanent=True) from exc
            except ocr_exc.ExitCodeException as exc:
                raise OcrError(_describe(exc)) from exc
            if code != ocrmypdf.ExitCode.ok:
                raise OcrError(f"OCRmyPDF stopped with {code.name}")
            text = sidecar.read_text(encoding="utf-8")
        by_page = parse_sidecar(text)
        return {page: by_page.get(page, "") for page in pages}


def parse_sidecar(text: str) -> dict[int, str]:
    """Pages of a sidecar file: separated by form feeds, with one ``[OCR skipped on page(s)
    3-5]`` segment standing for a run of pages that were not OCR'd (left out here)."""
    result: dict[int, str] = {}
    page = 1
    for segment in text.split("\f"):
        skipped = _SKIPPED.fullmatch(segment.strip())
        if skipped:
            first = int(skipped.group(1))
            last = int(skipped.group(2) or first)
            page = last + 1
            continue
        result[page] = segment.strip()
        page += 1
    return result


def _image_to_pdf(content: bytes) -> bytes:
    """Wrap a scan into a PDF (losslessly where it can); images with transparency are
    flattened onto white first, which img2pdf refuses to do itself."""
    try:
        # A wrong EXIF rotation (common in phone photos) is ignored rather than refused.
        return bytes(img2pdf.convert(content, rotation=img2pdf.Rotation.ifvalid))
    except img2pdf.AlphaChannelError:
        pass
    frames: list[bytes] = []
    with Image.open(io.BytesIO(content)) as image:
        dpi = image.info.get("dpi", (300, 300))
        for number in range(getattr(image, "n_frames", 1)):
            image.seek(number)
            rgba = image.convert("RGBA")
            flat = Image.new("RGB", rgba.size, "white")
            flat.paste(rgba, mask=rgba.getchannel("A"))
            out = io.BytesIO()
            flat.save(out, "PNG", dpi=dpi)
            frames.append(out.getvalue())
    return bytes(img2pdf.convert(frames, rotation=img2pdf.Rotation.ifvalid))


def _describe(exc: Exception) -> str:
    message = " ".join(str(exc).split()) or type(exc).__name__
    return f"{type(exc).__name__}: {message}"[:1000]
