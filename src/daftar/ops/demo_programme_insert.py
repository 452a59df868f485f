"""One programme organisation's year, inserted in bulk in one transaction (see
``demo_programme``): the rows of each month (``demo_programme_history`` and
``demo_programme_papers``), its senders and training sessions, and everything the application
relies on kept true:

- every row's audit event, chained onto the audit log in time order under the chain head's
  lock (``daftar audit verify`` passes);
- gap-free numbering: the ``org.Sequence`` rows of file, diary and dispatch numbers are moved
  to the last number used;
- custody: each file's holder, current movement and inbox fields agree with its movements;
- the search index: the inserted files, notes and receipts are indexed in the same
  transaction; on PostgreSQL the id sequences are moved past the ids given here.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from django.core.management.color import no_style
from django.db import connection, models, transaction

from daftar.adoption.models import TrainingAttendance, TrainingSession
from daftar.adoption.period import month_next
from daftar.audit.chain import link
from daftar.audit.models import AuditEvent, ChainHead
from daftar.audit.services import HEAD_PK, head_lock
from daftar.documents.checks import inspect
from daftar.documents.storage import blob_store
from daftar.files.models import File
from daftar.ops import demo_programme_history as history
from daftar.ops import demo_programme_papers as papers
from daftar.ops.demo_programme_charts import Organisation, desks
from daftar.ops.demo_programme_pdf import letter_pdf
from daftar.org.models import Charge, ChargeKind, OrgUnit, Post, Sequence, User
from daftar.receipts.models import Sender
from daftar.search.indexing import index

SEED = "daftar-demo-programme-1"
SENDERS = (
    ("Accountant General Pakistan Revenues", "Deputy Accountant General"),
    ("Federal Public Service Commission", "Director (Recruitment)"),
    ("Government of the Punjab", "Section Officer (Coordination)"),
    ("Prime Minister's Office", "Deputy Secretary"),
)
TOPIC = "Daftar e-office: files, notes, receipts and letters"
TRAINER = "e-Office Programme Office"


def letter_blob() -> tuple[str, int, str]:
    """The one scan every electronic receipt shares: (sha256, size, page text)."""
    content = letter_pdf()
    found = inspect(name="letter.pdf", content=content)
    return blob_store().put(content), len(content), found.page_texts[0]


@transaction.atomic(durable=True)
def history_load(
    org: Organisation,
    *,
    now: dt.datetime,
    months: list[dt.date],
    blob: tuple[str, int, str],
    recorder: User | None,
) -> None:
    """``org``'s ``months`` up to ``now``; ``recorder`` records its training (else one of its
    people does)."""
    head = head_lock()  # first: no other event may be appended until this one commits
    rng = random.Random(f"{SEED}:{org.code}")  # noqa: S311 - demo data
    today = now.astimezone(history.PKT).date()
    staff = _staff(org, today, blob)
    ids = history.Ids()
    rows = history.Rows(sequences=dict(Sequence.objects.values_list("key", "last_value")))
    _senders(staff, rows, ids, months[0])
    _training(org, staff, rows, ids, months, recorder)
    for i, month in enumerate(months):
        days, share = _working_days(month, today)
        if not days:
            continue
        writer = history.MonthWriter(staff, rows, ids, rng, now)
        writer.days = days
        _month(writer, history.PROFILES[org.level(i)], min(1.0, share))
    for model, batch in rows.batches():
        model._default_manager.bulk_create(batch, batch_size=500)
    _chain(rows.events, head, ids)
    for key, last in rows.serials.items():
        Sequence.objects.update_or_create(key=key, defaults={"last_value": last})
    _move_id_sequences()
    index("file", [f.pk for f in rows.files])
    index("note", [n.pk for n in rows.notes])
    index("receipt", [r.pk for r in rows.receipts])


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
    days = [month + dt.timedelta(days=k) for k in range((month_next(month) - month).days)]
    working = [d for d in days if d.weekday() < 5]
    passed = [d for d in working if d < today]
    return passed, len(passed) / len(working)


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
    recorder: User | None,
) -> None:
    """A first session three weeks before the year shown, and for some a second one later."""
    people = sorted(set(staff.person.values()))
    by = recorder.pk if recorder is not None else people[0]
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
            topic=TOPIC,
            trainer=TRAINER,
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
