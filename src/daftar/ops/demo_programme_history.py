"""A month of one programme organisation's work as rows: files with their movements and
final notes, receipts with their custody, letters signed on paper, and the audit events of it
all (unchained; ``demo_programme`` chains and inserts them).

How much is done on paper follows the level the month is meant to show (``PROFILES``); the
figures themselves are left to ``levels_compute``. Each file's life runs inside its month, in
office hours in Karachi: opened by the section's Assistant (or its Section Officer), noted and
put up to the Joint Secretary, noted and marked down; every note is final, made so by the send
after it. Physical files move the same way with no notes. Older files are closed; the last
days' files are still open, about half of them unread in the Section Officer's inbox.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from daftar.audit.models import AuditEvent
from daftar.dispatch.models import PaperLetter
from daftar.documents.models import Document, DocumentPage
from daftar.files.models import File, FileStatus, Note, NoteKind
from daftar.movement.models import Action, Movement
from daftar.receipts.models import Receipt, ReceiptDocument, ReceiptMovement

PKT = zoneinfo.ZoneInfo("Asia/Karachi")
OPEN_FOR_DAYS = 10  # files and receipts of the last ten days are still open


@dataclass(frozen=True)
class Profile:
    files_electronic: int
    files_physical: int
    receipts_electronic: int
    receipts_physical: int
    paper_letters: int
    active: float  # share of the people who also sign in on other days


PROFILES = {
    0: Profile(2, 6, 1, 5, 2, 0.3),
    1: Profile(2, 14, 3, 9, 3, 0.5),
    2: Profile(8, 10, 10, 5, 3, 0.7),
    3: Profile(16, 2, 16, 2, 2, 0.85),
    4: Profile(18, 0, 16, 0, 0, 0.95),
}

SUBJECTS = (
    "Budget proposals for the next financial year",
    "Revised estimates and excess expenditure statement",
    "Appointment on deputation to a post in BS-18",
    "Summary for the Prime Minister: approval of the annual plan",
    "Reply to Senate question on vacant posts",
    "Audit para on the purchase of computer equipment",
    "Annual confidential reports: completion of the due reports",
    "Working paper for the Departmental Development Working Party",
    "Proposal to digitise the record room",
    "Leave encashment claims of retired employees",
    "Meeting of the inter-ministerial committee: minutes",
    "Training of officers in e-office: nominations",
)
NOTES = (
    "The case is submitted for perusal and orders, please.",
    "Examined. The proposal is in order and may be approved.",
    "Approved as proposed. Please process further.",
    "Seen. Please put up the draft reply for approval.",
    "Discussed with the section. Action as proposed at the paragraph above.",
)
ADDRESSEES = (
    "The Chief Secretary, Government of the Punjab, Lahore",
    "The Accountant General Pakistan Revenues, Islamabad",
    "The Director General, Federal Public Service Commission, Islamabad",
    "The Secretary, Provincial Assembly of Sindh, Karachi",
)


@dataclass
class Staff:
    """The chart as the generator needs it: who holds what, and who acts for whom."""

    person: dict[int, int]  # post id -> the person holding it
    code: dict[int, str]  # post id -> post code
    chains: list[tuple[int, list[int]]]  # (section unit id, [opener, ..., top]) with holders
    clerk: int  # the registry clerk's post
    registry: Any  # the registry OrgUnit
    units: dict[int, Any]  # unit id -> OrgUnit (the sections)
    above: dict[int, set[int]]  # post id -> the posts above it
    sender_ids: list[int]
    document_blob: tuple[str, int, str]  # sha256, size, page text


@dataclass
class Rows:
    files: list[File] = field(default_factory=list)
    movements: list[Movement] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    receipts: list[Receipt] = field(default_factory=list)
    receipt_moves: list[ReceiptMovement] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    pages: list[DocumentPage] = field(default_factory=list)
    receipt_docs: list[ReceiptDocument] = field(default_factory=list)
    letters: list[PaperLetter] = field(default_factory=list)
    events: list[AuditEvent] = field(default_factory=list)
    sequences: dict[str, int] = field(default_factory=dict)  # Sequence key -> value stored
    serials: dict[str, int] = field(default_factory=dict)  # Sequence key -> last value used
    references: set[str] = field(default_factory=set)

    def batches(self) -> Iterator[tuple[type[models.Model], list[Any]]]:
        """In an order the foreign keys allow (a file's current movement is set after)."""
        yield Document, self.documents
        yield DocumentPage, self.pages
        yield File, self.files
        yield Movement, self.movements
        yield Note, self.notes
        yield Receipt, self.receipts
        yield ReceiptMovement, self.receipt_moves
        yield ReceiptDocument, self.receipt_docs
        yield PaperLetter, self.letters


class Ids:
    """Ids handed out here (past every row there is), so rows can point at each other."""

    def __init__(self) -> None:
        self.next: dict[type[models.Model], int] = {}

    def take(self, model: type[models.Model]) -> int:
        if model not in self.next:
            top = model._default_manager.aggregate(m=models.Max("id"))["m"]
            self.next[model] = (top or 0) + 1
        value = self.next[model]
        self.next[model] = value + 1
        return value


def officer(chain: list[int]) -> int:
    """The Section Officer of a section's chain (the opener, where the chain is short)."""
    return chain[1] if len(chain) > 2 else chain[0]


def event(
    at: dt.datetime,
    actor: int | None,
    post: int | None,
    action: str,
    obj: tuple[str, int],
    after: dict[str, Any] | None = None,
    before: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent(
        at=at,
        actor_id=actor,
        post_id=post,
        action=action,
        object_type=obj[0],
        object_id=str(obj[1]),
        before=before,
        after=after,
    )


class MonthWriter:
    """Rows of one organisation's month; ``days``: its working days that have passed."""

    def __init__(
        self, staff: Staff, rows: Rows, ids: Ids, rng: random.Random, now: dt.datetime
    ) -> None:
        self.staff, self.rows, self.ids, self.rng, self.now = staff, rows, ids, rng, now
        self.days: list[dt.date] = []
        self.acted: set[int] = set()

    # --- time ---------------------------------------------------------------------------

    def morning(self, day: dt.date) -> dt.datetime:
        minutes = self.rng.randint(15, 90)
        return dt.datetime.combine(day, dt.time(9, 0), PKT) + dt.timedelta(minutes=minutes)

    def later(self, t: dt.datetime, lo: int, hi: int, *, next_day: float = 0.0) -> dt.datetime:
        """``lo``..``hi`` minutes after ``t`` in office hours, or the next working morning
        (with probability ``next_day``, or when the day is over), never past this month's
        last passed working day."""
        day = t.astimezone(PKT).date()
        following = [d for d in self.days if d > day]
        moved = t + dt.timedelta(minutes=self.rng.randint(lo, hi))
        late = moved.astimezone(PKT).time() >= dt.time(16, 50)
        if following and (late or self.rng.random() < next_day):
            return self.morning(following[0])
        if late:
            return t + dt.timedelta(minutes=1)
        return moved

    def some_time(self, lo: int, hi: int) -> dt.datetime:
        """``lo``..``hi`` minutes after the start of a working day of the month."""
        return self.later(self.morning(self.rng.choice(self.days)), lo, hi)

    def serial(self, kind: str, unit_id: int, t: dt.datetime) -> tuple[int, int]:
        """(year, serial): the next number of ``kind`` ("file", "diary", "dispatch") at the
        unit in ``t``'s year, after those stored and those used here."""
        year = t.astimezone(PKT).year
        key = f"{kind}:{unit_id}:{year}"
        value = self.rows.serials.get(key, self.rows.sequences.get(key, 0)) + 1
        self.rows.serials[key] = value
        return year, value

    def settle(
        self,
        last: Movement | ReceiptMovement,
        person: int,
        *,
        read: tuple[int, int],
        close: tuple[int, int],
    ) -> dt.datetime | None:
        """Where a file or receipt stops: ``last`` read by ``person`` (always when it was sent
        ``OPEN_FOR_DAYS`` or more ago, else half the time); when it was, the time it was
        closed (else None)."""
        old = self.now - last.sent_at >= dt.timedelta(days=OPEN_FOR_DAYS)
        if old or self.rng.random() < 0.5:
            last.read_at, last.read_by_id = self.later(last.sent_at, *read), person
        if not old:
            return None
        return self.later(last.read_at or last.sent_at, *close)

    # --- files --------------------------------------------------------------------------

    def file(self, *, physical: bool) -> File:
        rng, rows, staff = self.rng, self.rows, self.staff
        unit_id, chain = rng.choice(staff.chains)
        unit = staff.units[unit_id]
        start = rng.choice(self.days[: max(1, len(self.days) - 2)])
        t = self.morning(start)
        year, serial = self.serial("file", unit.pk, t)
        head = unit.default_file_head
        number = unit.file_number_template.format(
            head=head, serial=serial, year=year, unit=unit.code
        )
        subject = f"{rng.choice(SUBJECTS)} ({unit.name})"
        opener = chain[0]
        fid = self.ids.take(File)
        file = File(
            id=fid,
            number=number,
            subject=subject,
            unit_id=unit.pk,
            head=head,
            year=year,
            serial=serial,
            is_physical=physical,
            holder_id=opener,
            created_by_id=staff.person[opener],
            created_at=t,
        )
        rows.files.append(file)
        self._act(opener)
        rows.events.append(
            event(
                t,
                staff.person[opener],
                opener,
                "file.open",
                ("files.file", fid),
                {"number": number, "subject": subject, "classification": 0},
            )
        )
        moves = [self._move(file, Action.OPEN, None, opener, t, None)]
        route = [*chain[1:], chain[-2]]
        para, held = 1, opener
        for to in route:
            t = self.later(t, 20, 120, next_day=0.35)
            if moves[-1].read_at is None:  # whoever acts on a file has opened it first
                moves[-1].read_at, moves[-1].read_by_id = t, staff.person[held]
            note = None
            if not physical:
                t = self.later(t, 5, 25)
                note = self._note(file, held, t, para)
                para += 1
            t = self.later(t, 5, 20)
            if note is not None:
                note.finalised_at = t
            action = Action.PUT_UP if to in staff.above[held] else Action.MARK_DOWN
            moves.append(self._move(file, action, held, to, t, moves[-1]))
            held = to
        self._settle(file, moves[-1])
        return file

    def _move(
        self,
        file: File,
        action: str,
        frm: int | None,
        to: int,
        t: dt.datetime,
        previous: Movement | None,
    ) -> Movement:
        staff = self.staff
        actor = staff.person[frm if frm is not None else to]
        move = Movement(
            id=self.ids.take(Movement),
            file_id=file.pk,
            action=action,
            from_post_id=frm,
            to_post_id=to,
            sent_by_id=actor,
            sent_at=t,
            previous_id=previous.pk if previous is not None else None,
        )
        if action == Action.OPEN:
            move.read_at, move.read_by_id = t, actor
        else:
            self._act(frm or to)
            self.rows.events.append(
                event(
                    t,
                    actor,
                    frm,
                    f"file.{action}",
                    ("files.file", file.pk),
                    {"holder": staff.code[to], "movement": move.pk},
                    {"holder": staff.code[frm or to], "status": "open"},
                )
            )
        self.rows.movements.append(move)
        return move

    def _note(self, file: File, post: int, t: dt.datetime, para: int) -> Note:
        person = self.staff.person[post]
        note = Note(
            id=self.ids.take(Note),
            file_id=file.pk,
            author_id=person,
            post_id=post,
            kind=NoteKind.TEXT,
            body=self.rng.choice(NOTES),
            is_final=True,
            first_para=para,
            para_count=1,
            created_at=t,
            updated_at=t,
        )
        self.rows.notes.append(note)
        self.rows.events.append(
            event(t, person, post, "note.add", ("files.note", note.pk), {"file": file.pk})
        )
        return note

    def _settle(self, file: File, last: Movement) -> None:
        """Where the file stays: closed by the Section Officer, or open in their inbox."""
        staff, holder = self.staff, last.to_post_id
        file.holder_id = holder
        file.current_movement_id = last.pk
        closed = self.settle(last, staff.person[holder], read=(10, 90), close=(5, 60))
        if closed is not None:
            file.status = FileStatus.CLOSED
            file.closed_at = closed
            self.rows.events.append(
                event(
                    closed,
                    staff.person[holder],
                    holder,
                    "file.close",
                    ("files.file", file.pk),
                    {"status": FileStatus.CLOSED},
                    {"status": FileStatus.OPEN},
                )
            )
        file.mirror_current(last)

    def _act(self, post: int) -> None:
        self.acted.add(self.staff.person[post])
