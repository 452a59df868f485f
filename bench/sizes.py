"""Data set sizes (anchors B2) and small shared definitions of the generator."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

DEFAULT_SEED = 42
UTC = dt.UTC
DAY = 86400.0
Row = tuple[Any, ...]


@dataclass(frozen=True)
class Size:
    name: str
    people: int
    sections: int  # including the Central Registry
    files: int
    notes: int
    movements: int
    registry_pending: int  # the central registry / diary desk, the largest inbox
    bench_desk_pending: int  # the "median desk" measured for O2 (~25 pending)
    files_with_200_notes: int
    open_share: float = 0.78
    parked_share: float = 0.04
    # The search archive (issue 6): closed files with notes, and closed receipts with scanned
    # documents whose pages carry OCR text, added after the files above (bench/archive.py).
    archive_files: int = 0
    archive_notes: int = 0
    receipts: int = 0
    pages: int = 0


SIZES: dict[str, Size] = {
    # XS is for the tests only.
    "XS": Size(
        "XS",
        12,
        2,
        50,
        750,
        1500,
        12,
        10,
        1,
        archive_files=10,
        archive_notes=200,
        receipts=20,
        pages=60,
    ),
    "S": Size(
        "S",
        40,
        5,
        1_000,
        15_000,
        40_000,
        250,
        25,
        3,
        archive_files=300,
        archive_notes=5_000,
        receipts=1_000,
        pages=4_000,
    ),
    # M's archive brings the final notes with text (indexed) to over 2,000,000 and the OCR
    # pages to 200,000.
    "M": Size(
        "M",
        2_000,
        250,
        100_000,
        1_500_000,
        4_000_000,
        5_000,
        25,
        60,
        archive_files=30_000,
        archive_notes=660_000,
        receipts=50_000,
        pages=200_000,
    ),
}
