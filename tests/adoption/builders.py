"""Hand-built data for the programme's figures, with answers known in advance.

The chart (``make_chart``)::

    Government (GOV)
      Ministry of Water (MOW)            post: Secretary (carol)
        Development Wing (DEV)           post: Deputy Secretary (dan)
          Section One (S1)               posts: SO-1 (alice), Assistant-1 (bob), Vacant-1
          Section Two (S2)               post: SO-2 (alice again, additional charge)
        Central Registry (REG)           post: Registry Clerk (rita)
        Irrigation Department (IRR)      attached department; post: Director (ivan)
          Canals Section (CAN)           post: SO-Canals (cora)
      Finance Division (FIN)             post: SO-Budget (fred)

Files, notes and movements go through the real services under ``clock.frozen_at`` (so their
audit events make their actors active); rows whose own service is beside the point (receipts,
letters and their fair copies, training) are made with the ORM, the minimum each needs.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction

from daftar.adoption.models import TrainingAttendance, TrainingSession
from daftar.audit.services import event_record
from daftar.dispatch.models import Delivery, Dispatch, FairCopy, PaperLetter
from daftar.documents.models import Document
from daftar.drafting.models import Addressee, Draft, DraftVersion
from daftar.files.models import CorrespondenceItem, File, Note, NoteKind
from daftar.lib import clock
from daftar.org import services as org
from daftar.org.models import ChargeKind, OrgUnit, Post, UnitKind, User
from daftar.receipts.models import Mode, Receipt, ReceiptAction, ReceiptMovement, Sender

PKT = ZoneInfo("Asia/Karachi")
LONG_AGO = dt.datetime(2020, 1, 1, 9, tzinfo=PKT)  # outside every month the tests compute
_serial = itertools.count(1)


def at(day: int, hour: int = 10, minute: int = 0, *, month: int = 1, year: int = 2026) -> dt.datetime:
    """A moment in Karachi (January 2026 unless told)."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=PKT)


@contextmanager
def frozen(moment: dt.datetime) -> Iterator[None]:
    with clock.frozen_at(moment):
        yield


@dataclass
class Chart:
    gov: OrgUnit
    ministry: OrgUnit
    wing: OrgUnit
    s1: OrgUnit
    s2: OrgUnit
    registry: OrgUnit
    attached: OrgUnit
    canals: OrgUnit
    finance: OrgUnit
    secretary: Post
    ds: Post
    so1: Post
    asst1: Post
    vacant1: Post
    so2: Post
    clerk: Post
    director: Post
    so_canals: Post
    so_budget: Post
    alice: User
    bob: User
    carol: User
    dan: User
    rita: User
    ivan: User
    cora: User
    fred: User


def make_chart() -> Chart:
    def unit(code: str, name: str, kind: str, parent: OrgUnit | None) -> OrgUnit:
        return org.unit_create(actor=None, code=code, name=name, kind=kind, parent=parent)

    gov = unit("GOV", "Government", UnitKind.GOVERNMENT, None)
    ministry = unit("MOW", "Ministry of Water", UnitKind.MINISTRY, gov)
    wing = unit("DEV", "Development Wing", UnitKind.WING, ministry)
    s1 = unit("S1", "Section One", UnitKind.SECTION, wing)
    s2 = unit("S2", "Section Two", UnitKind.SECTION, wing)
    registry = unit("REG", "Central Registry", UnitKind.REGISTRY, ministry)
    attached = unit("IRR", "Irrigation Department", UnitKind.ATTACHED_DEPARTMENT, ministry)
    canals = unit("CAN", "Canals Section", UnitKind.SECTION, attached)
    finance = unit("FIN", "Finance Division", UnitKind.DIVISION, gov)

    def post(u: OrgUnit, code: str, reports_to: Post | None = None) -> Post:
        return org.post_create(
            actor=None, unit=u, code=code, designation=code, grade=17, reports_to=reports_to
        )

    secretary = post(ministry, "SEC")
    ds = post(wing, "DS", secretary)
    so1, so2 = post(s1, "SO-1", ds), post(s2, "SO-2", ds)
    asst1, vacant1 = post(s1, "ASST-1", so1), post(s1, "VACANT-1", so1)
    clerk = post(registry, "RC")
    director = post(attached, "DIR")
    so_canals = post(canals, "SO-CAN", director)
    so_budget = post(finance, "SO-BUD")

    def person(slug: str, *posts: Post) -> User:
        user = org.person_create(actor=None, email=f"{slug}@mowr.gov.pk", full_name=slug.title())
        for i, p in enumerate(posts):
            kind = ChargeKind.REGULAR if i == 0 else ChargeKind.ADDITIONAL
            org.charge_assign(actor=None, person=user, post=p, start=dt.date(2020, 1, 1), kind=kind)
        return user

    return Chart(
        gov=gov,
        ministry=ministry,
        wing=wing,
        s1=s1,
        s2=s2,
        registry=registry,
        attached=attached,
        canals=canals,
        finance=finance,
        secretary=secretary,
        ds=ds,
        so1=so1,
        asst1=asst1,
        vacant1=vacant1,
        so2=so2,
        clerk=clerk,
        director=director,
        so_canals=so_canals,
        so_budget=so_budget,
        alice=person("alice", so1, so2),
        bob=person("bob", asst1),
        carol=person("carol", secretary),
        dan=person("dan", ds),
        rita=person("rita", clerk),
        ivan=person("ivan", director),
        cora=person("cora", so_canals),
        fred=person("fred", so_budget),
    )


def activity(person: User, moment: dt.datetime) -> None:
    """An audit event with ``person`` as actor at ``moment`` (as a login would leave)."""
    with frozen(moment), transaction.atomic():
        event_record(actor=person, action="accounts.login", obj=person)


def trained(person: User, *, on: dt.date, organisation: OrgUnit) -> TrainingAttendance:
    session, _ = TrainingSession.objects.get_or_create(
        organisation=organisation,
        held_on=on,
        topic="Daftar basics",
        trainer="PMU",
        place="Committee room",
        defaults={"recorded_by": person, "recorded_at": LONG_AGO},
    )
    return TrainingAttendance.objects.create(session=session, person=person)


def receipt(
    registry: OrgUnit,
    *,
    holder: Post,
    by: User,
    created_at: dt.datetime,
    is_physical: bool = False,
    due_on: dt.date | None = None,
) -> Receipt:
    """A receipt diarised at ``registry`` and sent to ``holder`` at once (with ``due_on``)."""
    n = next(_serial)
    sender = Sender.objects.create(name=f"Sender {n}", created_by=by, created_at=created_at)
    found = Receipt.objects.create(
        registry=registry,
        year=created_at.year,
        serial=n,
        diary_number=f"{n}/{created_at.year}/{registry.code}",
        reference=f"REF{n:09d}",
        received_on=created_at.date(),
        mode=Mode.POST,
        sender=sender,
        subject=f"Letter {n}",
        is_physical=is_physical,
        holder=holder,
        created_by=by,
        created_at=created_at,
    )
    movement = ReceiptMovement.objects.create(
        receipt=found,
        action=ReceiptAction.DIARISE,
        to_post=holder,
        sent_by=by,
        sent_at=created_at,
        due_on=due_on,
    )
    found.current_movement = movement
    found.save(update_fields=["current_movement"])
    return found


@dataclass(frozen=True)
class Copy:
    """One addressee of a letter: an organisation on the instance, or outside (None)."""

    channel: str
    organisation: OrgUnit | None = None


def dispatch(
    file: File,
    *,
    unit: OrgUnit,
    post: Post,
    by: User,
    issued_at: dt.datetime,
    copies: list[Copy],
    pages: int | None = 2,
) -> Dispatch:
    """A letter issued from ``file`` by ``unit``: its draft, version, fair copy (a document
    of ``pages`` pages), office copy and one delivery per copy. Everything but the dispatch
    and its deliveries is dated long ago, so it adds no notes or draft versions to the month
    computed."""
    n = next(_serial)
    document = Document.objects.create(
        sha256=f"{n:064d}",
        size=1000,
        content_type="application/pdf",
        original_name=f"letter-{n}.pdf",
        page_count=pages,
        uploaded_by=by,
        uploaded_at=LONG_AGO,
    )
    draft = Draft.objects.create(
        file=file, serial=n, kind="letter", created_by=by, created_post=post, created_at=LONG_AGO
    )
    version = DraftVersion.objects.create(
        draft=draft, number=1, subject="Letter", body="<p>Text</p>", author=by, post=post,
        created_at=LONG_AGO,
    )
    for order, copy in enumerate(copies, start=1):
        if copy.organisation is None:
            Addressee.objects.create(
                version=version, order=order, kind="external", name=f"Outside {order}",
                email="someone@example.org",
            )
        else:
            Addressee.objects.create(
                version=version, order=order, kind="internal", organisation=copy.organisation
            )
    fair = FairCopy.objects.create(
        draft=draft, version=version, letter_number=f"L-{n}", letter_date=issued_at.date(),
        token=f"token-{n}", document=document, signed_by=by, signed_post=post,
        signed_at=issued_at,
    )
    entry = Note.objects.create(
        file=file, author=by, post=post, kind=NoteKind.ENTRY, body="Issued", is_final=True,
        created_at=LONG_AGO, updated_at=LONG_AGO, finalised_at=LONG_AGO,
    )
    office_copy = CorrespondenceItem.objects.create(
        file=file, document=document, title="Office copy", kind="oc", flag=f"OC{n}",
        first_page=1000 + n * 10, page_count=pages or 1, note=entry, added_by=by,
        added_at=issued_at,
    )
    issued = Dispatch.objects.create(
        fair_copy=fair, unit=unit, year=issued_at.year, serial=n, number=f"D-{n}",
        issued_by=by, issued_post=post, issued_at=issued_at, office_copy=office_copy,
    )
    for addressee, copy in zip(version.addressees.order_by("order"), copies, strict=True):
        Delivery.objects.create(
            dispatch=issued, addressee=addressee, channel=copy.channel,
            email="someone@example.org" if copy.channel == "email" else "",
        )
    return issued


def paper_letter(
    *,
    unit: OrgUnit,
    post: Post,
    by: User,
    recorded_at: dt.datetime,
    organisation: OrgUnit | None = None,
    channel: str = "post",
) -> PaperLetter:
    n = next(_serial)
    return PaperLetter.objects.create(
        unit=unit, year=recorded_at.year, serial=n, number=f"P-{n}", letter_number=f"PL-{n}",
        letter_date=recorded_at.date(), subject="Paper letter", organisation=organisation,
        addressee="Someone", channel=channel, recorded_by=by, recorded_post=post,
        recorded_at=recorded_at,
    )


def draft_version(file: File, *, post: Post, by: User, created_at: dt.datetime) -> DraftVersion:
    n = next(_serial)
    draft = Draft.objects.create(
        file=file, serial=n, kind="letter", created_by=by, created_post=post, created_at=LONG_AGO
    )
    return DraftVersion.objects.create(
        draft=draft, number=1, subject="Draft", body="<p>Text</p>", author=by, post=post,
        created_at=created_at,
    )
