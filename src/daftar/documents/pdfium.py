"""PDFium (through pypdfium2) for what it does fast: each page's text layer, and page images.

PDFium is not thread-safe, so every use holds one lock. It runs no JavaScript.
"""

from __future__ import annotations

import threading
from typing import Any

import pypdfium2  # type: ignore[import-untyped]
from PIL import Image

_lock = threading.Lock()


class PdfiumError(Exception):
    """PDFium cannot open the document or the page."""


def _open(content: bytes) -> Any:
    try:
        return pypdfium2.PdfDocument(content)
    except pypdfium2.PdfiumError as exc:
        raise PdfiumError(str(exc)) from exc


def page_texts(content: bytes) -> list[str]:
    """The text layer of every page, in order ('' for a page with none)."""
    try:
        return _page_texts(content)
    except pypdfium2.PdfiumError as exc:
        raise PdfiumError(str(exc)) from exc


def _page_texts(content: bytes) -> list[str]:
    with _lock:
        pdf = _open(content)
        try:
            texts: list[str] = []
            for index in range(len(pdf)):
                page = pdf[index]
                try:
                    textpage = page.get_textpage()
                    try:
                        text = str(textpage.get_text_bounded())
                        texts.append(text.replace("\r\n", "\n").replace("\r", "\n"))
                    finally:
                        textpage.close()
                finally:
                    page.close()
            return texts
        finally:
            pdf.close()


def page_size(content: bytes, number: int) -> tuple[float, float]:
    """Width and height of page ``number`` (1-based) in points."""
    with _lock:
        pdf = _open(content)
        try:
            page = pdf[number - 1]
            try:
                width, height = page.get_size()
                return float(width), float(height)
            finally:
                page.close()
        finally:
            pdf.close()


def render(content: bytes, number: int, *, scale: float) -> Image.Image:
    """Page ``number`` (1-based) drawn at ``scale`` pixels per point (forms included)."""
    with _lock:
        pdf = _open(content)
        try:
            page = pdf[number - 1]
            try:
                image: Image.Image = page.render(scale=scale, may_draw_forms=True).to_pil()
                return image
            finally:
                page.close()
        finally:
            pdf.close()
