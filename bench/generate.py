"""Synthetic "ministry" data sets (anchors B2) loaded in bulk into the migrated schema.

Everything is derived from one seed: the organisation chart (Secretary → Additional → Joint →
Deputy Secretaries → Section Officers → assistants, plus a Central Registry), the files, each
file's custody chain, its note sheet and a limited audit trail.

Consistency is built in, not patched afterwards:

* every file's movements form one chain: the first is an OPEN at a post of the owning
  section, each later held movement goes from the previous holder (``from_post``) with
  ``previous`` pointing at the movement that brought the file there; a few sends were pulled
  back (unread, ``pulled_back_at`` set, not part of the chain); ``File.holder`` is the
  ``to_post`` of ``File.current_movement``, the last held movement;
* every movement but the current one was read; ``action`` follows the same rule as
  ``movement.services`` (return / put up / mark down / send across);
* notes are written by the post holding the file at the time, are final once a later send
  happened (``finalised_at`` = that send) and number their paragraphs in one series;
  an open file may end with a draft of its current holder;
* file serials run per unit and year, and ``org.Sequence`` continues after them.

Loading: PostgreSQL takes ``COPY … FROM STDIN`` per table per chunk of files (one
transaction per chunk; as a superuser the session skips FK triggers with
``session_replication_role = replica`` because the rows are consistent by construction — the
tests load with the triggers on); SQLite takes ``executemany`` in one transaction per chunk.
Nothing that migrations own is dropped or altered; ids are assigned here and the id sequences
are moved past them afterwards.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import models, transaction

from bench.archive import ReceiptArchive
from bench.history import History, archive_plans, percentile, plan_files
from bench.lexicon import Lexicon
from bench.load import Loader
from bench.orgchart import (
    AUDIT_FIELDS,
    CHARGE_FIELDS,
    FILE_FIELDS,
    MOVEMENT_FIELDS,
    NOTE_FIELDS,
    POST_FIELDS,
    SEQUENCE_FIELDS,
    UNIT_FIELDS,
    USER_FIELDS,
    build_org,
)
from bench.sizes import DEFAULT_SEED, SIZES, UTC, Row, Size
from bench.text import Prose
from daftar.audit.chain import GENESIS, Content, link
from daftar.audit.models import AuditEvent, ChainHead
from daftar.documents.models import Document, DocumentPage
from daftar.files.models import File, Note
from daftar.movement.models import Movement
from daftar.org.models import Charge, OrgUnit, Post, User
from daftar.org.models import Sequence as OrgSequence
from daftar.receipts.models import Receipt, ReceiptDocument, ReceiptMovement, Sender

GENERATOR_VERSION = 6  # 4-6: the search archive (issue 6)
__all__ = ["DEFAULT_SEED", "GENERATOR_VERSION", "SIZES", "Builder", "Dataset", "Row", "Size"]


@dataclass
class Targets:
    """What the measurements act on; stored with the data set."""

    bench_post: int  # the ~25-item desk (a Section Officer)
    bench_person: int
    receiver_post: int  # where the bench desk sends to (its Deputy Secretary)
    receiver_person: int
    registry_post: int  # the diary desk with the largest inbox
    registry_person: int
    big_file: int  # 200 notes, on the bench desk
    track_file: int  # 50 movements, the newest file on the bench desk
    track_number: str
    # issue 6: the broad searcher (the Secretary) and the words the search measurement asks
    secretary_person: int = 0
    search_terms: dict[str, str] = field(default_factory=dict)


@dataclass
class Dataset:
    size: str
    seed: int
    anchor: str
    targets: Targets
    counts: dict[str, int]
    stats: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Dataset:
        return cls(
            size=data["size"],
            seed=data["seed"],
            anchor=data["anchor"],
            targets=Targets(**data["targets"]),
            counts=data["counts"],
            stats=data.get("stats", {}),
            seconds=data.get("seconds", 0.0),
        )


class AuditChain:
    """Chains generated audit rows the way ``event_record`` does, so that ``daftar audit
    verify`` passes on a generated data set too (rows are given in id order)."""

    def __init__(self, seq: int, head: str) -> None:
        self.seq, self.head = seq, head

    def extend(self, rows: list[Row]) -> list[Row]:
        chained = []
        for row in rows:
            _id, at, actor, post, action, object_type, object_id, before, after = row
            self.seq += 1
            content = Content(
                seq=self.seq,
                at=at,
                actor_id=actor,
                post_id=post,
                action=action,
                object_type=object_type,
                object_id=object_id,
                before=None if before is None else json.loads(before),
                after=None if after is None else json.loads(after),
            )
            digest = link(self.head, content)
            chained.append((*row, self.seq, self.head, digest))
            self.head = digest
        return chained

    def save(self) -> None:
        ChainHead.objects.update_or_create(pk=1, defaults={"seq": self.seq, "hash": self.head})


def _chain_head() -> tuple[int, str]:
    head = ChainHead.objects.filter(pk=1).values_list("seq", "hash").first()
    return head if head is not None else (0, GENESIS)


# --- The whole data set ---------------------------------------------------------------------


def _next_ids() -> dict[str, int]:
    tables = {
        "unit": OrgUnit,
        "post": Post,
        "user": User,
        "charge": Charge,
        "sequence": OrgSequence,
        "file": File,
        "movement": Movement,
        "note": Note,
        "audit": AuditEvent,
        "sender": Sender,
        "receipt": Receipt,
        "rmove": ReceiptMovement,
        "document": Document,
        "rdoc": ReceiptDocument,
        "page": DocumentPage,
    }
    return {
        key: (model.objects.aggregate(m=models.Max("id"))["m"] or 0) + 1  # type: ignore[attr-defined]
        for key, model in tables.items()
    }


Batch = tuple[type[models.Model], tuple[str, ...], list[Row]]


class Builder:
    """All rows of a data set, as batches per table, from ``seed`` alone (no database)."""

    def __init__(
        self,
        size: Size,
        *,
        seed: int,
        anchor: dt.datetime,
        base: dict[str, int],
        head: tuple[int, str] = (0, GENESIS),
    ):
        self.size = size
        self.chain = AuditChain(*head)
        self.seed = seed
        self.anchor = anchor
        self.base = base
        self.now = anchor.timestamp()
        rng = random.Random(seed)
        self.org = build_org(size, base, anchor)
        self.plans, self.big_i, self.track_i = plan_files(size, self.org, rng, self.now)
        self.prose = Prose(rng)
        # The archive draws from a generator of its own, so the files above are the same
        # rows with or without it.
        archive_rng = random.Random(seed * 7919 + 1)
        self.lexicon = Lexicon(archive_rng)
        self.plans += archive_plans(size, self.org, archive_rng, self.now)
        self.history = History(self.org, self.prose, rng, self.now, self.lexicon)
        self.archive_rng = archive_rng
        self.serials: Counter[tuple[int, int]] = Counter()
        self.notes_per_file: list[int] = []
        self.pending: Counter[int] = Counter()
        self.big_file = self.track_file = 0
        self.track_number = ""
        self.archive: ReceiptArchive | None = None

    def org_batches(self) -> list[Batch]:
        org = self.org
        return [
            (OrgUnit, UNIT_FIELDS, org.units),
            (Post, POST_FIELDS, org.posts),
            (User, USER_FIELDS, org.users),
            (Charge, CHARGE_FIELDS, org.charges),
        ]

    def file_batches(self, chunk_files: int) -> Iterator[tuple[int, list[Batch]]]:
        """(files done, batches) per chunk of files, in the order they must be inserted."""
        org, plans, prose = self.org, self.plans, self.prose
        base = self.base
        ids = {"file": base["file"], "mid": base["movement"], "nid": base["note"]}
        aid = base["audit"]
        for start in range(0, len(plans), chunk_files):
            file_rows: list[Row] = []
            move_rows: list[Row] = []
            note_rows: list[Row] = []
            audit_rows: list[Row] = []
            for i in range(start, min(start + chunk_files, len(plans))):
                plan = plans[i]
                fid = ids["file"]
                row, moves, notes, audit, _current, nxt = self.history.build(
                    plan, fid, ids["mid"], ids["nid"], aid
                )
                year = row[5]
                self.serials[(plan.unit, year)] += 1
                serial = self.serials[(plan.unit, year)]
                number = f"1-{serial}/{year}-{org.unit_code[plan.unit]}"
                subject = prose.subject()
                row = (row[0], number, subject, *row[3:6], serial, *row[7:])
                opened = {
                    "number": number,
                    "subject": subject,
                    "classification": plan.classification,
                }
                audit[0] = (*audit[0][:8], json.dumps(opened))
                file_rows.append(row)
                if i < self.size.files and (i % 20 == 0 or i == self.track_i):
                    self.lexicon.numbers.append(f"{number}")
                move_rows.extend(moves)
                note_rows.extend(notes)
                audit_rows.extend(self.chain.extend(audit))
                self.notes_per_file.append(len(notes))
                if plan.status == "open":
                    self.pending[plan.holder] += 1
                if i == self.big_i:
                    self.big_file = fid
                if i == self.track_i:
                    self.track_file, self.track_number = fid, number
                ids["file"] += 1
                ids["mid"], ids["nid"] = nxt["mid"], nxt["nid"]
                aid += len(audit)
            yield (
                min(start + chunk_files, len(plans)),
                [
                    (File, FILE_FIELDS, file_rows),
                    (Movement, MOVEMENT_FIELDS, move_rows),
                    (Note, NOTE_FIELDS, note_rows),
                    (AuditEvent, AUDIT_FIELDS, audit_rows),
                ],
            )

    def receipt_archive(self) -> ReceiptArchive:
        """The archive's receipts and scanned pages (call after ``file_batches``)."""
        registry_unit = next(p[1] for p in self.org.posts if p[0] == self.org.registry_post)
        self.archive = ReceiptArchive(
            self.size,
            self.org,
            rng=self.archive_rng,
            prose=self.prose,
            lexicon=self.lexicon,
            base=self.base,
            now=self.now,
            registry_unit=registry_unit,
        )
        return self.archive

    def sequence_batch(self) -> Batch:
        """File serials continue after the generated ones (call after ``file_batches``)."""
        keys = [(f"file:{u}:{year}", n) for (u, year), n in sorted(self.serials.items())]
        if self.archive is not None:  # the diary continues after the archive's receipts
            reg = self.archive.registry_unit
            keys += [(f"diary:{reg}:{y}", n) for y, n in sorted(self.archive.serials.items())]
        rows = [(self.base["sequence"] + k, key, last) for k, (key, last) in enumerate(keys)]
        return (OrgSequence, SEQUENCE_FIELDS, rows)

    def dataset(self, counts: dict[str, int], *, fast: bool, seconds: float) -> Dataset:
        org = self.org
        receiver = org.reports_to[org.bench_post] or org.registry_post
        desks = [self.pending.get(p, 0) for p in org.post_ids]
        notes = self.notes_per_file[: self.size.files]  # the archive's apart
        secretary = next(p for p in org.post_ids if org.reports_to[p] is None)
        terms = self.lexicon.terms()
        terms["number"] = f"F.No.{self.track_number}"
        return Dataset(
            size=self.size.name,
            seed=self.seed,
            anchor=self.anchor.isoformat(),
            targets=Targets(
                bench_post=org.bench_post,
                bench_person=org.person_of[org.bench_post],
                receiver_post=receiver,
                receiver_person=org.person_of[receiver],
                registry_post=org.registry_post,
                registry_person=org.person_of[org.registry_post],
                big_file=self.big_file,
                track_file=self.track_file,
                track_number=self.track_number,
                secretary_person=org.person_of[secretary],
                search_terms=terms,
            ),
            counts=counts,
            stats={
                "notes_per_file": {
                    "p50": percentile(notes, 0.5),
                    "p90": percentile(notes, 0.9),
                    "p99": percentile(notes, 0.99),
                    "max": max(notes),
                    "exactly_200": sum(1 for k in notes if k == 200),
                },
                "pending_per_desk": {
                    "median": percentile(desks, 0.5),
                    "p95": percentile(desks, 0.95),
                    "max": max(desks),
                    "bench_desk": self.pending[org.bench_post],
                    "registry_desk": self.pending[org.registry_post],
                },
                "fk_triggers_skipped": fast,
                "audit_events": "2 per file (file.open + the current movement), not B2's 15 M",
            },
            seconds=seconds,
        )


def generate(
    size: Size,
    *,
    seed: int = DEFAULT_SEED,
    now: dt.datetime | None = None,
    fast: bool = True,
    chunk_files: int = 2000,
    analyze: bool = True,
    progress: Callable[[str], None] | None = None,
) -> Dataset:
    """Insert the data set for ``size`` into the current database; returns what was made."""
    started = time.monotonic()
    say = progress or (lambda _msg: None)
    anchor = (now or dt.datetime.now(UTC)).replace(minute=0, second=0, microsecond=0)
    loader = Loader(fast=fast)
    builder = Builder(size, seed=seed, anchor=anchor, base=_next_ids(), head=_chain_head())
    with transaction.atomic():
        loader.begin_chunk()
        for batch in builder.org_batches():
            loader.insert(*batch)
    say(f"{size.name}: org chart loaded ({len(builder.org.post_ids)} posts); generating files")
    for done, batches in builder.file_batches(chunk_files):
        with transaction.atomic():
            loader.begin_chunk()
            for batch in batches:
                loader.insert(*batch)
        total = len(builder.plans)
        if done % (chunk_files * 10) == 0 or done == total:
            say(f"{size.name}: {done:,}/{total:,} files ({time.monotonic() - started:.0f} s)")
    archive = builder.receipt_archive()
    with transaction.atomic():
        loader.begin_chunk()
        loader.insert(*archive.sender_batch())
    for done, batches in archive.batches(chunk_files * 2):
        with transaction.atomic():
            loader.begin_chunk()
            for batch in batches:
                loader.insert(*batch)
        if done % (chunk_files * 20) == 0 or done == size.receipts:
            say(
                f"{size.name}: {done:,}/{size.receipts:,} archive receipts "
                f"({time.monotonic() - started:.0f} s)"
            )
    with transaction.atomic():
        loader.insert(*builder.sequence_batch())
        builder.chain.save()
    say(f"{size.name}: rows loaded; resetting sequences and analysing")
    loader.finish(
        [
            OrgUnit,
            Post,
            User,
            Charge,
            OrgSequence,
            File,
            Movement,
            Note,
            AuditEvent,
            Sender,
            Receipt,
            ReceiptMovement,
            Document,
            ReceiptDocument,
            DocumentPage,
        ],
        analyze=analyze,
    )
    counts = {label: loader.rows[label] for label in sorted(loader.rows)}
    return builder.dataset(counts, fast=loader.fast, seconds=round(time.monotonic() - started, 1))
