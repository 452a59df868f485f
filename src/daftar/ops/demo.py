"""The demo ministry: ``daftar demo``.

Loads the Water Resources Division (Ministry of Water Resources) and a small Finance Division
(Ministry of Finance: the other ministry letters go to) from ``demo_org.csv`` through the org
importer, adds an admin account, and replays about sixty files through the real
services (``file_open``, ``note_add``, ``file_send``, ``file_return``, ``file_pull_back``,
``file_mark_read``, ``file_park``, ``file_close``) under ``clock.frozen_at``, so notes,
movements and audit events agree with each other exactly as if people had done the work over
the last two months, in office hours (Asia/Karachi).

Idempotent: the organisation import changes nothing the second time (and if the chart was
edited in the admin since, the edits are kept), the admin account is made once, and a file is
replayed only when its section has no file with its subject yet (so an interrupted load picks
up where it stopped). The years in subjects come from the day of the first load, so a run next
year still finds them. Randomness (timings, which stock phrases officers use) comes from a
fixed seed per file.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import random
import zoneinfo
from collections.abc import Iterator
from importlib import resources

from django.db import connection, transaction

from daftar.audit.services import event_record
from daftar.files.models import Classification, File, NoteKind
from daftar.files.services import file_close, file_open, file_park, note_add
from daftar.lib import clock
from daftar.movement.services import file_mark_read, file_pull_back, file_return, file_send
from daftar.ops.demo_files import FILES, DemoFile
from daftar.ops.demo_journeys import PATTERNS, Journey, Step
from daftar.ops.demo_letters import load_letters
from daftar.ops.demo_programme import programme_load
from daftar.ops.demo_receipts import load_receipts
from daftar.ops.demo_summary import DemoReport, demo_counts, demo_logins, demo_showcase
from daftar.org.importer import ImportRejected, ImportResult, org_import
from daftar.org.models import Charge, ChargeKind, Post, User
from daftar.org.orgcsv import read_csv
from daftar.org.roles import roles_assign
from daftar.org.selectors import chain_above
from daftar.org.snapshots import person_snapshot

DEMO_PASSWORD = "Daftar-Demo-2026"  # noqa: S105 - the published password of the demo logins
ADMIN_EMAIL = "admin@mowr.gov.pk"
ADMIN_NAME = "IT Cell Administrator"
URL = "http://127.0.0.1:8000"
SEED = "daftar-demo-1"
SHOWCASE_SECTION = "D-I"
READ_SHARE = 0.5  # elsewhere, about half the files that arrived have been opened
PKT = zoneinfo.ZoneInfo("Asia/Karachi")
DAY_START, DAY_END = dt.time(9, 0), dt.time(17, 0)
FILE_HEADS = {
    "COORD": "7",
    "W-I": "2",
    "W-II": "5",
    "D-I": "3",
    "D-II": "4",
    "ADMN": "1",
    "B&A": "6",
}
WAITING = frozenset({"send", "return"})  # after these the file waits in an inbox
OVERDUE_PATTERNS = frozenset({"across_waiting", "overdue_up"})


def demo_org_csv() -> str:
    return (resources.files("daftar.ops") / "demo_org.csv").read_text(encoding="utf-8")


# --- Working time ----------------------------------------------------------------------


def _windows(start: dt.datetime, end: dt.datetime) -> Iterator[tuple[dt.datetime, dt.datetime]]:
    """Office hours (Monday to Friday, 9 to 5 in Pakistan) between two moments."""
    day = start.astimezone(PKT).date()
    while True:
        opens = dt.datetime.combine(day, DAY_START, PKT)
        if opens >= end:
            return
        closes = dt.datetime.combine(day, DAY_END, PKT)
        if day.weekday() < 5:
            a, b = max(opens, start), min(closes, end)
            if a < b:
                yield a, b
        day += dt.timedelta(days=1)


def working_minutes(start: dt.datetime, end: dt.datetime) -> int:
    return int(sum((b - a).total_seconds() for a, b in _windows(start, end)) // 60)


def add_working(start: dt.datetime, minutes: int) -> dt.datetime:
    """``start`` moved on by ``minutes`` of office time (to the next office minute if 0)."""
    left = dt.timedelta(minutes=minutes)
    for a, b in _windows(start, start + dt.timedelta(days=400)):
        if b - a > left:
            return a + left
        left -= b - a
    raise ValueError("too far ahead")


# --- Replaying a journey through the services -------------------------------------------


def _timeline(j: Journey, now: dt.datetime) -> tuple[dt.datetime, list[dt.datetime]]:
    """When the file was opened and when each step happened, all in office hours and before
    ``now``: a file waits in an inbox for hours or days, while a note and the send after it
    (or a pull back after a send) are minutes apart."""
    rng = j.rng
    gaps: list[tuple[bool, float]] = []  # (waiting?, share of the waiting time or minutes)
    previous = "open"
    for step in j.steps:
        if step.kind == "pull_back":
            gaps.append((False, rng.uniform(10, 90)))
        elif previous == "open":
            gaps.append((True, rng.uniform(0.2, 0.5)))
        elif previous in WAITING:
            gaps.append((True, rng.uniform(0.6, 1.6)))
        else:
            gaps.append((False, rng.uniform(5, 40)))
        previous = step.kind
    waits = sum(1 for waiting, _ in gaps if waiting)
    if j.spec.pattern in OVERDUE_PATTERNS:
        tail = max(s.due_days or 0 for s in j.steps) + rng.uniform(3, 7)
    else:
        tail = rng.uniform(0.05, 2.5)
    age = rng.uniform(tail + 1 + waits, min(58.0, tail + 4 + 8 * waits))
    now = now.replace(second=0, microsecond=0)
    last = now - dt.timedelta(days=tail)
    quick = sum(minutes for waiting, minutes in gaps if not waiting)
    settle = rng.randint(5, 150)  # the morning's dak comes in; files open through the day
    opened = add_working(now - dt.timedelta(days=age), settle)
    while working_minutes(opened, last) < quick + 60 * (waits + 1):
        age += 1
        opened = add_working(now - dt.timedelta(days=age), settle)
    span = working_minutes(opened, last)
    waiting_minutes = span - quick
    weights = sum(share for waiting, share in gaps if waiting)
    times: list[dt.datetime] = []
    minute = 0.0
    for waiting, amount in gaps:
        minute += amount / weights * waiting_minutes if waiting else amount
        # Two minutes short of the end: the file is opened at the step's time and acted on a
        # minute later, both inside office hours and before ``last``.
        times.append(add_working(opened, min(int(minute), span - 2)))
    return opened, times


def _render(text: str, anchor: dt.date) -> str:
    """Fill in the years of a subject or note from the day the demo was first loaded."""
    fy_start = anchor.year if anchor.month >= 7 else anchor.year - 1

    def fy(start: int) -> str:
        return f"{start}-{(start + 1) % 100:02d}"

    return text.format(
        year=anchor.year,
        last_year=anchor.year - 1,
        fy=fy(fy_start),
        next_fy=fy(fy_start + 1),
        last_fy=fy(fy_start - 1),
    )


class _Replayer:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        today = now.date()
        self.people: dict[int, User] = {}
        charges = Charge.objects.current(today).select_related("person").order_by("start")
        for charge in charges:
            if charge.post_id not in self.people or charge.kind == ChargeKind.REGULAR:
                self.people[charge.post_id] = charge.person
        self.posts = {p.code: p for p in Post.objects.all()}

    def chain(self, opener: Post) -> list[Post]:
        by_id = {p.pk: p for p in self.posts.values()}
        return [opener, *(by_id[pk] for pk in chain_above(opener))]

    def opener(self, spec: DemoFile) -> Post:
        if spec.opener:
            return self.posts[spec.opener]
        # The section's dealing hand: its lowest-graded post; for a Confidential or higher
        # file, its lowest-graded officer, since classified papers are handled by officers.
        lowest = CLASSIFIED_FROM_GRADE if spec.classification >= Classification.CONFIDENTIAL else 0
        return min(
            (
                p
                for p in self.posts.values()
                if p.unit.code == spec.section and (p.grade or 0) >= lowest
            ),
            key=lambda p: p.grade or 0,
        )

    def replay(self, spec: DemoFile, index: int) -> File:
        journey = Journey(spec=spec, chain=[], rng=random.Random(f"{SEED}:{index}"))  # noqa: S311
        journey.chain = self.chain(self.opener(spec))
        PATTERNS[spec.pattern](journey)
        if (
            journey.steps
            and journey.steps[-1].kind in WAITING
            and spec.section != SHOWCASE_SECTION
            and spec.pattern not in OVERDUE_PATTERNS
            and journey.rng.random() < READ_SHARE
        ):
            journey.add("read")  # the receiver has opened it but not acted yet
        opened, times = _timeline(journey, self.now)
        first = journey.chain[0]
        with clock.frozen_at(opened):
            file = file_open(
                actor=self.people[first.pk],
                post_id=first.pk,
                subject=spec.subject,
                classification=spec.classification,
                priority=spec.priority,
                head=FILE_HEADS.get(spec.section, ""),
                is_physical=spec.physical,
            )
        for step, at in zip(journey.steps, times, strict=True):
            self._do(journey, file.pk, step, at)
        return file

    def _do(self, journey: Journey, file_id: int, step: Step, at: dt.datetime) -> None:
        holder_id, read_at, from_id = (
            File.objects.filter(pk=file_id)
            .values_list("holder_id", "current_movement__read_at", "current_movement__from_post_id")
            .get()
        )
        actor = self.people[holder_id]
        if step.kind == "pull_back":
            with clock.frozen_at(at):
                file_pull_back(actor=self.people[from_id], file_id=file_id)
            return
        if read_at is None:  # whoever acts on a file has opened it first
            with clock.frozen_at(at):
                file_mark_read(actor=actor, file_id=file_id)
        if step.kind == "read":
            return
        # A working minute later: 16:59:30 plus a minute would be after office hours.
        with clock.frozen_at(add_working(at, 1)):
            if step.kind == "note":
                note_add(actor=actor, file_id=file_id, body=step.text)
            elif step.kind == "agree":
                note_add(actor=actor, file_id=file_id, kind=NoteKind.AGREE)
            elif step.kind == "send":
                if step.to is None:
                    raise ValueError("a send step needs a destination")
                due = at.date() + dt.timedelta(days=step.due_days) if step.due_days else None
                file_send(
                    actor=actor,
                    file_id=file_id,
                    to_post_id=journey.post(step.to).pk,
                    remarks=step.text,
                    due_on=due,
                )
            elif step.kind == "return":
                file_return(actor=actor, file_id=file_id, remarks=step.text)
            elif step.kind == "park":
                file_park(actor=actor, file_id=file_id)
            elif step.kind == "close":
                file_close(actor=actor, file_id=file_id)
            else:
                raise ValueError(f"unknown demo step {step.kind!r}")


# --- Loading ----------------------------------------------------------------------------


def _admin_account() -> tuple[User, bool]:
    existing = User.objects.filter(email=ADMIN_EMAIL).first()
    if existing is not None:
        return existing, False
    with transaction.atomic(durable=True):
        admin = User.objects.create_superuser(ADMIN_EMAIL, DEMO_PASSWORD, full_name=ADMIN_NAME)
        event_record(
            actor=None,
            action="person.create",
            obj=admin,
            after={**person_snapshot(admin), "source": "demo"},
        )
    # A superuser may do anything anyway; the role says what the account is for.
    roles_assign(actor=None, person=admin, roles=["organisation_admin"])
    return admin, True


# The demo's clearances follow the grade of the post a person holds (BPS): officers of the
# section level Confidential, Deputy Secretaries Secret, Joint Secretaries and above Top Secret;
# everyone else keeps the default, Restricted.
CLASSIFIED_FROM_GRADE = 17
DEMO_CLEARANCES = (
    (20, Classification.TOP_SECRET),
    (19, Classification.SECRET),
    (CLASSIFIED_FROM_GRADE, Classification.CONFIDENTIAL),
)


def _grant_clearances(emails: set[str]) -> None:
    """Clearances for the people the import has just created (never on a later run, so an
    admin's changes stay)."""
    today = clock.now().date()
    charges = Charge.objects.current(today).filter(person__email__in=emails)
    with transaction.atomic(durable=True):
        for charge in charges.select_related("person", "post").order_by("post__grade"):
            grade = charge.post.grade or 0
            clearance = next((c for g, c in DEMO_CLEARANCES if grade >= g), None)
            person = charge.person
            if clearance is None or clearance <= person.clearance:
                continue
            before = person.clearance
            User.objects.filter(pk=person.pk).update(clearance=clearance)
            event_record(
                actor=None,
                action="person.change",
                obj=person,
                before={"clearance": before},
                after={"clearance": clearance, "source": "demo"},
            )


def _import_org(text: str, post_codes: set[str]) -> tuple[ImportResult | None, str]:
    try:
        return org_import(text, actor=None, password=DEMO_PASSWORD), ""
    except ImportRejected:
        if Post.objects.filter(code__in=post_codes).count() == len(post_codes):
            # Loaded before and edited since (in the admin): keep the edits.
            return None, "The demo organisation was changed since it was loaded; left as it is."
        raise


@contextlib.contextmanager
def _quick_commits() -> Iterator[None]:
    """On SQLite, commit without waiting for the disk (``synchronous=NORMAL``, still safe in
    WAL mode against corruption) while the demo replays its thousand small transactions."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:  # (tests run inside one)
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous=NORMAL")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=FULL")


def demo_load(*, now: dt.datetime | None = None, programme: bool = True) -> DemoReport:
    """Load the demo (or find it loaded). Safe to run again: it then changes nothing.

    ``programme``: also the six other organisations with a year of history and their e-office
    levels (``ops.demo_programme``)."""
    with _quick_commits():
        return _load(now or clock.now(), programme=programme)


def _load(now: dt.datetime, *, programme: bool) -> DemoReport:
    text = demo_org_csv()
    rows, _problems = read_csv(text)
    post_codes = {r.post_code for r in rows if r.post_code}
    org, org_note = _import_org(text, post_codes)
    if org is not None and org.created["people"]:
        _grant_clearances({r.email for r in rows if r.email})
    admin, admin_created = _admin_account()
    anchor = admin.date_joined.astimezone(PKT).date()

    replayer = _Replayer(now)
    created = 0
    for index, spec in enumerate(FILES):
        spec = dataclasses.replace(
            spec, subject=_render(spec.subject, anchor), note=_render(spec.note, anchor)
        )
        if File.objects.filter(unit__code=spec.section, subject=spec.subject).exists():
            continue
        replayer.replay(spec, index)
        created += 1
    receipts_created = load_receipts(now)
    letters_created = load_letters(DEMO_PASSWORD, now=now)
    others = programme_load(now=now, password=DEMO_PASSWORD) if programme else None
    return DemoReport(
        org=org,
        org_note=org_note,
        admin_created=admin_created,
        files_created=created,
        receipts_created=receipts_created,
        letters_created=letters_created,
        logins=demo_logins([r.post_code for r in rows if r.post_code]),
        counts=demo_counts(now.date()),
        showcase=demo_showcase(),
        programme=others,
    )
