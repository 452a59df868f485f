"""The programme demo: six more organisations with a year of history, and their levels.

Called at the end of ``daftar demo``. The charts come in through the org importer
(``demo_programme_charts``); each organisation's history — the 12 months before the current
one and the month to date — is built as rows (``demo_programme_history``) and inserted in bulk,
in one transaction per organisation, with everything the application relies on kept true:

- every row's audit event, chained onto the audit log in time order under the chain head's
  lock (``daftar audit verify`` passes);
- gap-free numbering: the ``org.Sequence`` rows of file, diary and dispatch numbers are moved
  to the last number used;
- custody: each file's holder, current movement and inbox fields agree with its movements;
- the search index: the inserted files, notes and receipts are indexed in the same
  transaction; on PostgreSQL the id sequences are moved past the ids given here.

Then ``levels_compute`` fills in every month that has no figures yet. Idempotent: an
organisation that has files already is left alone, and months with figures are not
recomputed, so a second load adds nothing (not even an audit event).
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
import zoneinfo
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, models, transaction

from daftar.adoption.models import MonthlyFigures, TrainingAttendance, TrainingSession
from daftar.adoption.services import levels_compute
from daftar.audit.chain import link
from daftar.audit.models import AuditEvent, ChainHead
from daftar.audit.services import HEAD_PK, event_record, head_lock
from daftar.documents.checks import inspect
from daftar.documents.storage import blob_store
from daftar.files.models import File
from daftar.ops import demo_programme_history as history
from daftar.ops import demo_programme_papers as papers
from daftar.ops.demo_programme_charts import MONTHS, ORGANISATIONS, Organisation, chart_csv, desks
from daftar.ops.demo_programme_pdf import letter_pdf
from daftar.org.importer import ImportRejected, ImportResult, org_import
from daftar.org.models import Charge, ChargeKind, OrgUnit, Post, Sequence, User
from daftar.receipts.models import Sender
from daftar.search.indexing import index

PROGRAMME_OFFICE_EMAIL = "asad.hashmi@mowr.gov.pk"  # PD-EO in demo_org.csv
SEED = "daftar-demo-programme-1"
REPLAYED_DIVISION = "WRD"  # ops.demo's division, trained here
SENDERS = (
    ("Accountant General Pakistan Revenues", "Deputy Accountant General"),
    ("Federal Public Service Commission", "Director (Recruitment)"),
    ("Government of the Punjab", "Section Officer (Coordination)"),
    ("Prime Minister's Office", "Deputy Secretary"),
)


@dataclass
class ProgrammeReport:
    org: ImportResult | None
    org_note: str
    histories: list[str] = field(default_factory=list)  # organisations given a history now
    months_computed: int = 0
    levels: list[tuple[str, str, int, str]] = field(default_factory=list)  # last full month
    month: dt.date | None = None  # that month
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (organisation, name, e-mail)
    seconds: float = 0.0


def months_shown(now: dt.datetime) -> list[dt.date]:
    """The first days of the 12 months before the current one, then the current one."""
    local = now.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE)).date()
    first = local.replace(day=1)
    out = []
    for back in range(MONTHS - 1, -1, -1):
        index = first.year * 12 + first.month - 1 - back
        out.append(dt.date(index // 12, index % 12 + 1, 1))
    return out


def programme_load(*, now: dt.datetime, password: str) -> ProgrammeReport:
    started = time.monotonic()
    report = _import_charts(password)
    blob = _letter_blob()
    for org in ORGANISATIONS:
        units = _unit_ids(org)
        if File.objects.filter(unit_id__in=units).exists():
            continue
        _load_history(org, now=now, blob=blob)
        report.histories.append(org.code)
    months = months_shown(now)
    _train_replayed(months[-4])
    have = set(MonthlyFigures.objects.filter(month__in=months).values_list("month", flat=True))
    for month in months:
        if month not in have:
            levels_compute(month=month)
            report.months_computed += 1
    report.month = months[-2]
    report.levels = _levels(months[-2])
    report.logins = _logins(now.date())
    report.seconds = round(time.monotonic() - started, 1)
    return report


def _import_charts(password: str) -> ProgrammeReport:
    codes = {d.code for org in ORGANISATIONS for d in desks(org)}
    try:
        return ProgrammeReport(
            org=org_import(chart_csv(), actor=None, password=password), org_note=""
        )
    except ImportRejected:
        if Post.objects.filter(code__in=codes).count() == len(codes):
            return ProgrammeReport(
                org=None,
                org_note="The programme organisations were changed since; left as they are.",
            )
        raise


def _letter_blob() -> tuple[str, int, str]:
    content = letter_pdf()
    found = inspect(name="letter.pdf", content=content)
    return blob_store().put(content), len(content), found.page_texts[0]


def _unit_ids(org: Organisation) -> list[int]:
    codes = [org.code, f"{org.code}-RI"]
    for wing in org.wings:
        codes += [wing.code, *(code for code, _name in wing.sections)]
    return list(OrgUnit.objects.filter(code__in=codes).values_list("id", flat=True))


def _staff(org: Organisation, today: dt.date, blob: tuple[str, int, str]) -> history.Staff:
    posts = {p.code: p for p in Post.objects.filter(code__in=[d.code for d in desks(org)])}
    by_id = {p.pk: p for p in posts.values()}
    person = dict(
        Charge.objects.current(today)
        .filter(post__in=by_id, kind=ChargeKind.REGULAR)
        .values_list("post_id", "person_id")
    )
    above: dict[int, set[int]] = {}
    for p in by_id.values():
        chain, cur = set(), p.reports_to_id
        while cur is not None and cur not in chain and cur in by_id:
            chain.add(cur)
            cur = by_id[cur].reports_to_id
        above[p.pk] = chain
    units = {u.pk: u for u in OrgUnit.objects.filter(posts__in=by_id.values()).distinct()}
    chains: list[tuple[int, list[int]]] = []
    for wing in org.wings:
        for code, _name in wing.sections:
            short = code.removeprefix(f"{org.code}-")
            route = [posts[f"{org.code}-ASST-{short}"], posts[f"{org.code}-SO-{short}"]]
            route.append(posts[f"{org.code}-JS{org.wings.index(wing) + 1}"])
            held = [p.pk for p in route if p.pk in person]
            if len(held) >= 2 and held[-1] == route[-1].pk:
                chains.append((route[0].unit_id, held))
    clerk = next(p for c, p in sorted(posts.items()) if "-RI-" in c and p.pk in person)
    return history.Staff(
        person=person,
        code={p.pk: p.code for p in by_id.values()},
        chains=chains,
        clerk=clerk.pk,
        registry=units[clerk.unit_id],
        units=units,
        above=above,
        sender_ids=[],
        document_blob=blob,
    )


def _working_days(month: dt.date, today: dt.date) -> tuple[list[dt.date], float]:
    """The month's working days before ``today``, and their share of all its working days."""
    nxt = (month + dt.timedelta(days=32)).replace(day=1)
    days = [month + dt.timedelta(days=k) for k in range((nxt - month).days)]
    working = [d for d in days if d.weekday() < 5]
    passed = [d for d in working if d < today]
    return passed, len(passed) / len(working)


@transaction.atomic(durable=True)
def _load_history(org: Organisation, *, now: dt.datetime, blob: tuple[str, int, str]) -> None:
    head = head_lock()  # first: no other event may be appended until this one commits
    rng = random.Random(f"{SEED}:{org.code}")  # noqa: S311 - demo data
    today = now.astimezone(history.PKT).date()
    staff = _staff(org, today, blob)
    ids = history.Ids()
    rows = history.Rows(sequences=dict(Sequence.objects.values_list("key", "last_value")))
    months = months_shown(now)
    _senders(staff, rows, ids, months[0])
    _training(org, staff, rows, ids, months)
    for i, month in enumerate(months):
        days, share = _working_days(month, today)
        if not days:
            continue
        profile = history.PROFILES[org.level(i)]
        writer = history.MonthWriter(staff, rows, ids, rng, now)
        writer.days = days
        _month(writer, profile, min(1.0, share))
    for model, batch in rows.batches():
        model._default_manager.bulk_create(batch, batch_size=500)
    _chain(rows.events, head, ids)
    for key, last in rows.serials.items():
        Sequence.objects.update_or_create(key=key, defaults={"last_value": last})
    _move_id_sequences()
    index("file", [f.pk for f in rows.files])
    index("note", [n.pk for n in rows.notes])
    index("receipt", [r.pk for r in rows.receipts])


def _month(writer: history.MonthWriter, profile: history.Profile, scale: float) -> None:
    """One month's work; the month to date gets its share of a month's (rounded up)."""

    def times(count: int) -> range:
        return range(math.ceil(count * scale))

    made = [writer.file(physical=False) for _ in times(profile.files_electronic)]
    made += [writer.file(physical=True) for _ in times(profile.files_physical)]
    for _ in times(profile.receipts_electronic):
        papers.receipt(writer, physical=False)
    for _ in times(profile.receipts_physical):
        papers.receipt(writer, physical=True)
    for _ in times(profile.paper_letters):
        papers.paper_letter(writer, files=made)
    papers.logins(writer, profile.active)


def _senders(staff: history.Staff, rows: history.Rows, ids: history.Ids, month: dt.date) -> None:
    clerk = staff.person[staff.clerk]
    at = dt.datetime.combine(month, dt.time(10, 0), history.PKT)
    made = []
    for organisation, designation in SENDERS:
        sender = Sender(
            id=ids.take(Sender),
            organisation=organisation,
            designation=designation,
            created_by_id=clerk,
            created_at=at,
        )
        made.append(sender)
        rows.events.append(
            history.event(
                at, clerk, None, "sender.create", ("receipts.sender", sender.pk),
                {"organisation": organisation, "designation": designation},
            )
        )  # fmt: skip
    Sender.objects.bulk_create(made)
    staff.sender_ids = [s.pk for s in made]


def _training(
    org: Organisation,
    staff: history.Staff,
    rows: history.Rows,
    ids: history.Ids,
    months: list[dt.date],
) -> None:
    """A first session three weeks before the year shown, and for some a second one later."""
    people = sorted(set(staff.person.values()))
    recorder = User.objects.filter(email=PROGRAMME_OFFICE_EMAIL).values_list("pk", flat=True)
    by = recorder.first() or people[0]
    plan = [(months[0] - dt.timedelta(days=21), org.trained)]
    if org.trained_later is not None:
        plan.append((months[org.trained_later[0]] + dt.timedelta(days=9), org.trained_later[1]))
    emails = dict(User.objects.filter(pk__in=people).values_list("pk", "email"))
    done = 0
    for held_on, share in plan:
        upto = math.ceil(share * len(people))
        attendees = people[done:upto]
        done = upto
        at = dt.datetime.combine(held_on, dt.time(15, 0), history.PKT)
        session = TrainingSession(
            id=ids.take(TrainingSession),
            organisation=OrgUnit.objects.get(code=org.code),
            held_on=held_on,
            topic="Daftar e-office: files, notes, receipts and letters",
            trainer="e-Office Programme Office",
            place=f"Committee room, {org.name}",
            recorded_by_id=by,
            recorded_at=at,
        )
        session.save(force_insert=True)
        TrainingAttendance.objects.bulk_create(
            TrainingAttendance(session=session, person_id=p) for p in attendees
        )
        after = {
            "organisation": org.code,
            "held_on": held_on.isoformat(),
            "topic": session.topic,
            "trainer": session.trainer,
            "place": session.place,
            "attendees": sorted(emails[p] for p in attendees),
        }
        rows.events.append(
            history.event(
                at, by, None, "training.record", ("adoption.trainingsession", session.pk), after
            )
        )


@transaction.atomic(durable=True)
def _train_replayed(held_on: dt.date) -> None:
    """The Water Resources Division's people were trained three months ago (four in five of
    them), so its level follows from the work replayed in the last two months."""
    division = OrgUnit.objects.filter(code=REPLAYED_DIVISION).first()
    if division is None or TrainingSession.objects.filter(organisation=division).exists():
        return
    units, frontier = {division.pk}, [division.pk]
    while frontier:
        frontier = list(OrgUnit.objects.filter(parent__in=frontier).values_list("id", flat=True))
        units.update(frontier)
    people = sorted(
        set(
            Charge.objects.current(held_on)
            .filter(post__unit__in=units)
            .values_list("person_id", flat=True)
        )
    )
    attendees = list(User.objects.filter(pk__in=people[: math.ceil(0.8 * len(people))]))
    recorder = User.objects.filter(email=PROGRAMME_OFFICE_EMAIL).first()
    session = TrainingSession.objects.create(
        organisation=division,
        held_on=held_on,
        topic="Daftar e-office: files, notes, receipts and letters",
        trainer="e-Office Programme Office",
        place=f"Committee room, {division.name}",
        recorded_by=recorder or attendees[0],
        recorded_at=dt.datetime.combine(held_on, dt.time(15, 0), history.PKT),
    )
    TrainingAttendance.objects.bulk_create(
        TrainingAttendance(session=session, person=p) for p in attendees
    )
    event_record(
        actor=recorder,
        action="training.record",
        obj=session,
        after={
            "organisation": division.code,
            "held_on": held_on.isoformat(),
            "topic": session.topic,
            "trainer": session.trainer,
            "place": session.place,
            "attendees": sorted(p.email for p in attendees),
        },
    )


def _chain(events: list[AuditEvent], head: ChainHead, ids: history.Ids) -> None:
    """Chain ``events`` after the head (locked by the caller), oldest first, and insert them."""
    events.sort(key=lambda e: e.at)
    seq, digest = head.seq, head.hash
    for e in events:
        seq += 1
        e.id, e.seq, e.prev_hash = ids.take(AuditEvent), seq, digest
        e.hash = digest = link(digest, e.content())
    AuditEvent.objects.bulk_create(events, batch_size=500)
    ChainHead.objects.filter(pk=HEAD_PK).update(seq=seq, hash=digest)


def _move_id_sequences() -> None:
    """PostgreSQL's id sequences past the ids given here (SQLite follows the largest id)."""
    if connection.vendor != "postgresql":
        return
    tables: list[type[models.Model]] = [
        File, AuditEvent, Sender, TrainingSession,
        *(model for model, _rows in history.Rows().batches()),
    ]  # fmt: skip
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), tables):
            cursor.execute(sql)


def _logins(today: dt.date) -> list[tuple[str, str, str]]:
    """The most senior person of each organisation (its Secretary, or whoever is next)."""
    out = []
    for org in ORGANISATIONS:
        charge = (
            Charge.objects.current(today)
            .filter(post__code__in=[d.code for d in desks(org)], kind=ChargeKind.REGULAR)
            .select_related("person", "post")
            .order_by("-post__grade", "post__code")
            .first()
        )
        if charge is not None:
            label = f"{org.name} ({charge.post.designation})"
            out.append((label, charge.person.full_name, charge.person.email))
    return out


def _levels(month: dt.date) -> list[tuple[str, str, int, str]]:
    codes = [org.code for org in ORGANISATIONS]
    rows = MonthlyFigures.objects.filter(month=month, unit__code__in=codes).select_related("unit")
    found = {r.unit.code: (r.unit.code, r.unit.name, r.level, r.reason) for r in rows}
    return [found[c] for c in codes if c in found]
