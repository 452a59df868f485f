"""Intake: how fast a registry diarises, and how fast scans are read.

* Receipts registered per second: the registry clerk of the data set stores a one-page scan
  (``document_store``: content checks, blob write, OCR queued) and registers and sends it to
  the bench desk (``receipt_register`` with ``send_to_post_id``), one after another. Floor:
  committed UPDATE + INSERT transactions per second, interleaved in the same run.
* OCR pages per minute: full A4 pages at 300 dpi (English and Urdu letters drawn with
  Pillow) read by the engine the worker uses (OCRmyPDF, the configured languages, one
  document of all the pages). Floor: plain ``tesseract`` on the same page images, one process
  per page, same languages, one thread, in the same run.
"""

from __future__ import annotations

import io
import os
import random
import shutil
import subprocess
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import img2pdf  # type: ignore[import-untyped]
from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

from bench.generate import Dataset
from bench.measure import WriteFloor
from bench.text import Prose
from daftar.documents.services import document_store
from daftar.documents.tasks import ocr_engine
from daftar.lib import clock
from daftar.org.models import User
from daftar.receipts.diary import receipt_register
from daftar.receipts.models import Mode
from daftar.receipts.senders import sender_create

FONTS = {
    "en": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "ur": "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf",
}
A4_300DPI = (2480, 3508)


@dataclass
class IntakeResult:
    op: str
    title: str
    count: int
    seconds: float
    rate: float  # per ``unit``
    unit: str
    floor_rate: float
    floor_kind: str
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        """How many times slower than the floor (floor rate over ours)."""
        return round(self.floor_rate / self.rate, 1) if self.rate else 0.0

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "ratio": self.ratio}


def page_scan(lines: list[str], *, urdu: bool) -> bytes:
    """A clean A4 page at 300 dpi with ``lines`` of text, as a PNG."""
    image = Image.new("L", A4_300DPI, 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONTS["ur" if urdu else "en"], 44)
    for row, line in enumerate(lines):
        y = 240 + row * 110
        if urdu:
            draw.text((2280, y), line, font=font, fill=0, anchor="ra", direction="rtl")
        else:
            draw.text((200, y), line, font=font, fill=0)
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(300, 300))
    return out.getvalue()


def letter_pages(count: int, *, seed: int) -> list[bytes]:
    """``count`` pages of official prose, every third one in Urdu, 24 lines each."""
    prose = Prose(random.Random(seed), pool_size=200)
    pages = []
    for i in range(count):
        urdu = i % 3 == 2
        pool = prose.ur if urdu else prose.en
        lines = [line[:70] for line in random.Random(seed + i).sample(pool, 24)]
        pages.append(page_scan(lines, urdu=urdu))
    return pages


def _small_scan(n: int) -> bytes:
    """A one-page scan for a diarisation (a different image every time, as real ones are)."""
    return page_scan([f"Letter No. F.{n}(3)/2026-Dev", "Subject: release of funds"], urdu=False)


def measure_registration(ds: Dataset, *, n: int, warmup: int) -> IntakeResult:
    t = ds.targets
    clerk = User.objects.get(pk=t.registry_person)
    sender = sender_create(
        actor=clerk, organisation="Planning Commission", name="Chief (Water)", email=""
    )
    floor = WriteFloor()
    scans = [_small_scan(i) for i in range(n + warmup)]
    elapsed = 0.0
    for i, scan in enumerate(scans):
        started = time.perf_counter()
        document = document_store(actor=clerk, name=f"letter-{i}.png", content=scan)
        receipt_register(
            actor=clerk,
            post_id=t.registry_post,
            sender_id=sender.pk,
            subject=f"Release of funds, letter {i}",
            received_on=clock.now().date(),
            mode=Mode.POST,
            document_ids=[document.pk],
            send_to_post_id=t.bench_post,
        )
        if i >= warmup:
            elapsed += time.perf_counter() - started
        floor.once(record=i >= warmup)
    floor_seconds = sum(floor.samples) / 1e9
    return IntakeResult(
        op="I1",
        title="Diarise a scanned letter and send it on (store + register + send)",
        count=n,
        seconds=round(elapsed, 3),
        rate=round(n / elapsed, 1),
        unit="receipts/s",
        floor_rate=round(len(floor.samples) / floor_seconds, 1),
        floor_kind="committed UPDATE + INSERT transactions/s",
        detail={"via": "services document_store + receipt_register (register and send)"},
    )


def _tesseract_rate(pages: list[bytes], languages: str) -> tuple[float, float]:
    """Seconds for plain tesseract on every page, and pages per minute."""
    binary = shutil.which("tesseract")
    if binary is None:
        raise RuntimeError("tesseract is not installed (scripts/system-deps.sh test)")
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, page in enumerate(pages):
            path = Path(tmp) / f"page-{i}.png"
            path.write_bytes(page)
            paths.append(path)
        started = time.perf_counter()
        for path in paths:
            subprocess.run(
                [binary, str(path), "stdout", "-l", languages, "--dpi", "300"],
                check=True,
                capture_output=True,
                env=env,
            )
        seconds = time.perf_counter() - started
    return seconds, len(pages) / seconds * 60


def measure_ocr(*, pages: int, seed: int) -> IntakeResult:
    images = letter_pages(pages, seed=seed)
    pdf = bytes(img2pdf.convert(images))
    languages = "+".join(settings.OCR_LANGUAGES)
    engine = ocr_engine()
    started = time.perf_counter()
    texts = engine.recognise(
        content=pdf, content_type="application/pdf", pages=list(range(1, pages + 1))
    )
    seconds = time.perf_counter() - started
    floor_seconds, floor_rate = _tesseract_rate(images, languages)
    words = sum(len(text.split()) for text in texts.values())
    return IntakeResult(
        op="I2",
        title=f"OCR scanned A4 pages ({pages}, {languages}, every third in Urdu)",
        count=pages,
        seconds=round(seconds, 2),
        rate=round(pages / seconds * 60, 1),
        unit="pages/min",
        floor_rate=round(floor_rate, 1),
        floor_kind="plain tesseract, one process per page",
        detail={"words_read": words, "floor_seconds": round(floor_seconds, 2)},
    )


def measure_intake(ds: Dataset, *, receipts: int, ocr_pages: int, seed: int) -> list[IntakeResult]:
    return [
        measure_registration(ds, n=receipts, warmup=max(3, receipts // 10)),
        measure_ocr(pages=ocr_pages, seed=seed),
    ]
