"""The search archive's receipts: closed dak with a scanned document each, whose pages carry
OCR text (English with some Urdu, with OCR's slips), for the search benchmark (issue 6).

Each receipt was diarised at the Central Registry and marked to a post of a section, which
disposed of it (closed); its one document has a few pages, their text what OCR read. Pages are
made from a pool of sentences put through ``ocr_noise`` once, plus each page's own keyword
sentences (``Lexicon``), so 200,000 pages take seconds, not the hours real OCR would.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections import Counter
from collections.abc import Iterator

from django.db import models

from bench.lexicon import ORGANISATIONS, Lexicon, ocr_noise
from bench.orgchart import Org
from bench.sizes import DAY, UTC, Row, Size
from bench.text import Prose
from daftar.documents.models import Document, DocumentPage
from daftar.receipts.models import Receipt, ReceiptDocument, ReceiptMovement, Sender

SENDER_FIELDS = (
    "id", "organisation", "name", "designation", "address", "email", "created_by_id",
    "created_at",
)  # fmt: skip
RECEIPT_FIELDS = (
    "id", "registry_id", "year", "serial", "diary_number", "reference", "received_on", "mode",
    "sender_id", "letter_number", "letter_date", "subject", "language", "priority",
    "classification", "enclosures", "remarks", "is_physical", "status", "holder_id",
    "current_movement_id", "inbox_unread", "inbox_priority", "inbox_due_on", "inbox_since",
    "created_by_id", "created_at", "closed_at",
)  # fmt: skip
RMOVE_FIELDS = (
    "id", "receipt_id", "action", "from_post_id", "to_post_id", "sent_by_id", "sent_at",
    "remarks", "priority", "read_at", "read_by_id", "previous_id",
)  # fmt: skip
DOCUMENT_FIELDS = (
    "id", "sha256", "size", "content_type", "original_name", "page_count", "ocr_status",
    "ocr_attempts", "ocr_error", "uploaded_by_id", "uploaded_at",
)  # fmt: skip
RDOC_FIELDS = ("id", "receipt_id", "document_id", "order")
PAGE_FIELDS = ("id", "document_id", "number", "text")
MODES = ("post", "post", "post", "hand", "courier", "fax", "email")
LETTERHEAD = (
    "GOVERNMENT OF PAKISTAN",
    "MINISTRY OF WATER RESOURCES",
    "حکومت پاکستان",
)
Batch = tuple[type[models.Model], tuple[str, ...], list[Row]]


def _pages_per_receipt(rng: random.Random, receipts: int, pages: int) -> list[int]:
    counts = [max(1, min(40, round(rng.lognormvariate(1.2, 0.6)))) for _ in range(receipts)]
    diff = pages - sum(counts)
    while diff:
        i = rng.randrange(receipts)
        step = 1 if diff > 0 else -1
        if 1 <= counts[i] + step <= 40:
            counts[i] += step
            diff -= step
    return counts


class ReceiptArchive:
    """Rows of the archive's receipts, in chunks, from ``rng`` alone (no database)."""

    def __init__(
        self,
        size: Size,
        org: Org,
        *,
        rng: random.Random,
        prose: Prose,
        lexicon: Lexicon,
        base: dict[str, int],
        now: float,
        registry_unit: int,
    ) -> None:
        self.size, self.org, self.rng, self.lexicon = size, org, rng, lexicon
        self.base, self.now, self.registry_unit = base, now, registry_unit
        self.prose = prose
        self.en = [ocr_noise(s, rng) for s in prose.en]
        self.ur = list(prose.ur)
        self.serials: Counter[int] = Counter()
        self.senders = self._senders()

    def _senders(self) -> list[Row]:
        rng, lex = self.rng, self.lexicon
        clerk = self.org.person_of[self.org.registry_post]
        at = dt.datetime.fromtimestamp(self.now - 5 * 365 * DAY, UTC)
        titles = ("Chief Engineer", "Director", "Section Officer", "Deputy Secretary")
        return [
            (
                self.base["sender"] + k,
                ORGANISATIONS[k % len(ORGANISATIONS)],
                lex.name(),
                rng.choice(titles),
                "",
                "",
                clerk,
                at,
            )
            for k in range(max(20, self.size.receipts // 25))
        ]

    def sender_batch(self) -> Batch:
        return (Sender, SENDER_FIELDS, self.senders)

    def page_text(self, number: int, *, urdu: bool, header: str) -> str:
        rng, en, ur = self.rng, self.en, self.ur
        share = 0.6 if urdu else 0.08
        parts = [header] if number == 1 else []
        words = 0
        target = rng.randint(150, 350)
        while words < target:
            s = ur[rng.randrange(len(ur))] if rng.random() < share else en[rng.randrange(len(en))]
            parts.append(s)
            words += s.count(" ") + 1
            if rng.random() < 0.08:
                parts.append(
                    ocr_noise(self.lexicon.sentence(urdu=urdu and rng.random() < 0.5), rng)
                )
        return "\n".join(parts)

    def batches(self, chunk: int) -> Iterator[tuple[int, list[Batch]]]:
        size, org, rng, base = self.size, self.org, self.rng, self.base
        per = _pages_per_receipt(rng, size.receipts, size.pages)
        clerk_post = org.registry_post
        clerk = org.person_of[clerk_post]
        ids = {k: base[k] for k in ("receipt", "rmove", "document", "rdoc", "page")}
        five_years = 5 * 365 * DAY
        for start in range(0, size.receipts, chunk):
            receipts: list[Row] = []
            moves: list[Row] = []
            docs: list[Row] = []
            links: list[Row] = []
            pages: list[Row] = []
            for i in range(start, min(size.receipts, start + chunk)):
                rid = ids["receipt"]
                t = self.now - rng.uniform(3 * DAY, five_years)
                at = dt.datetime.fromtimestamp(t, UTC)
                year = at.year
                self.serials[year] += 1
                serial = self.serials[year]
                diary = f"CR-{serial}/{year}"
                unit = rng.choice(org.sections)
                holder = rng.choice(org.section_posts[unit])
                urdu = rng.random() < 0.15
                sender = self.senders[rng.randrange(len(self.senders))]
                letter_no = (
                    f"No.{rng.randint(1, 99)}-{rng.randint(1, 400)}/{year}-{org.unit_code[unit]}"
                )
                subject = self.prose.subject()
                sent = at + dt.timedelta(hours=rng.uniform(1, 30))
                m1, m2 = ids["rmove"], ids["rmove"] + 1
                moves.append((m1, rid, "diarise", None, clerk_post, clerk, at, "", 0, at,
                              clerk, None))  # fmt: skip
                moves.append((m2, rid, "mark_down", clerk_post, holder, clerk, sent, "", 0,
                              sent + dt.timedelta(hours=2), org.person_of[holder], m1))  # fmt: skip
                reference = hashlib.sha256(diary.encode()).hexdigest()[:10].upper()
                r = rng.random()
                receipts.append(
                    (
                        rid, self.registry_unit, year, serial, diary, reference, at.date(),
                        rng.choice(MODES), sender[0], letter_no,
                        (at - dt.timedelta(days=rng.randint(1, 20))).date(), subject,
                        "ur" if urdu else "en", 0, 0 if r < 0.85 else 1 if r < 0.95 else 2,
                        "", "", False, "closed", holder, m2, False, 0, None, sent,
                        clerk, at, sent + dt.timedelta(days=rng.uniform(1, 60)),
                    )
                )  # fmt: skip
                did = ids["document"]
                n = per[i]
                docs.append(
                    (
                        did, hashlib.sha256(f"bench-scan-{rid}".encode()).hexdigest(),
                        40_000 * n, "application/pdf", f"scan-{diary.replace('/', '-')}.pdf",
                        n, "done", 1, "", clerk, at,
                    )
                )  # fmt: skip
                links.append((ids["rdoc"], rid, did, 1))
                header = "\n".join(
                    (*LETTERHEAD, f"{letter_no}    {sender[1]}", f"Subject: {subject}")
                )
                for p in range(1, n + 1):
                    pages.append((ids["page"], did, p, self.page_text(p, urdu=urdu, header=header)))
                    ids["page"] += 1
                ids["receipt"] += 1
                ids["rmove"] += 2
                ids["document"] += 1
                ids["rdoc"] += 1
            yield (
                min(size.receipts, start + chunk),
                [
                    (Receipt, RECEIPT_FIELDS, receipts),
                    (ReceiptMovement, RMOVE_FIELDS, moves),
                    (Document, DOCUMENT_FIELDS, docs),
                    (ReceiptDocument, RDOC_FIELDS, links),
                    (DocumentPage, PAGE_FIELDS, pages),
                ],
            )
