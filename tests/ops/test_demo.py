from __future__ import annotations

import datetime as dt
import io
import itertools

import pytest
from django.core.management import call_command
from django.db.models import F, Q

from daftar.audit.models import AuditEvent
from daftar.dispatch.models import Delivery, FairCopy
from daftar.documents.selectors import document_bytes
from daftar.drafting.models import Draft
from daftar.files.models import (
    Classification,
    CorrespondenceItem,
    CorrespondenceKind,
    File,
    FileStatus,
    Note,
    NoteKind,
)
from daftar.lib import clock
from daftar.movement.models import Action, Movement
from daftar.ops.demo import (
    ADMIN_EMAIL,
    DEMO_PASSWORD,
    PKT,
    add_working,
    demo_load,
    working_minutes,
)
from daftar.ops.demo_files import FILES
from daftar.ops.demo_journeys import PATTERNS
from daftar.ops.demo_letters import STORIES
from daftar.ops.demo_receipts import LETTERS
from daftar.org.models import Charge, OrgUnit, Post, User
from daftar.receipts.models import Mode, Receipt, ReceiptStatus
from daftar.signing.api import pdf_verify


def _counts() -> dict[str, int]:
    return {
        "units": OrgUnit.objects.count(),
        "posts": Post.objects.count(),
        "people": User.objects.count(),
        "charges": Charge.objects.count(),
        "files": File.objects.count(),
        "notes": Note.objects.count(),
        "movements": Movement.objects.count(),
        "events": AuditEvent.objects.count(),
    }


def _run() -> str:
    out = io.StringIO()
    # The programme's other organisations are tested in test_demo_programme.py.
    call_command("demo", "--no-programme", stdout=out)
    return out.getvalue()


# A Sunday night in Karachi: the replayed history then ends on Friday afternoon, where a step
# at 16:59:30 once had its action a minute later, after office hours.
LOADED_AT = dt.datetime(2026, 11, 29, 18, 7, 19, tzinfo=dt.UTC)


def test_demo_builds_a_consistent_ministry_and_a_second_run_changes_nothing(db: None) -> None:
    started = LOADED_AT
    with clock.frozen_at(LOADED_AT):
        output = _run()

    # --- the people and the logins table
    people = User.objects.exclude(email=ADMIN_EMAIL)
    assert 27 <= people.count() <= 36
    assert all(p.email.endswith(("@mowr.gov.pk", "@finance.gov.pk")) for p in people)
    assert OrgUnit.objects.filter(code="FD", parent__code="MOF", kind="division").exists()
    assert all(p.check_password(DEMO_PASSWORD) for p in people)
    admin = User.objects.get(email=ADMIN_EMAIL)
    assert admin.is_staff and admin.is_superuser and admin.check_password(DEMO_PASSWORD)
    assert DEMO_PASSWORD in output and "http://127.0.0.1:8000" in output and ADMIN_EMAIL in output
    assert "must set up two-factor login" in output
    assert "omer.abbasi@mowr.gov.pk" in output and "Secretary" in output
    division = OrgUnit.objects.get(code="WRD")
    assert division.name == "Water Resources Division" and division.parent is not None
    assert division.parent.name == "Ministry of Water Resources"
    grades = set(Post.objects.values_list("grade", flat=True))
    assert {22, 21, 20, 19, 17}.issubset(grades)
    assert OrgUnit.objects.filter(kind="wing").count() == 2
    assert OrgUnit.objects.filter(kind="registry").exists()

    # --- the files: about sixty, at every stage
    files = File.objects.all()
    # The sixty replayed, one opened by a Section Officer from a letter (the PUC), one per
    # letter story, and the Finance Division's file its reply is on.
    assert files.count() == len(FILES) + 1 + len(STORIES) + 1
    assert files.filter(status=FileStatus.PARKED).count() >= 2
    assert files.filter(status=FileStatus.CLOSED).count() >= 2
    assert files.filter(is_physical=True).count() >= 2
    assert files.filter(classification__gte=Classification.RESTRICTED).count() >= 2
    assert files.filter(classification=Classification.CONFIDENTIAL).exists()
    today = clock.now().date()
    overdue = files.filter(status=FileStatus.OPEN, current_movement__due_on__lt=today)
    assert overdue.count() >= 2
    unread = files.filter(status=FileStatus.OPEN, current_movement__read_at__isnull=True)
    assert unread.exclude(current_movement__action=Action.OPEN).count() >= 5
    assert Movement.objects.filter(pulled_back_at__isnull=False).count() >= 2
    assert Movement.objects.filter(action=Action.RETURN).exists()
    assert Movement.objects.filter(action=Action.MARK_DOWN).exists()
    assert Movement.objects.filter(action=Action.SEND_ACROSS).exists()
    assert Note.objects.filter(kind=NoteKind.AGREE).count() >= 2
    assert Note.objects.filter(is_final=False).exists()  # drafts still being written
    assert not files.filter(subject__contains="{").exists()  # the years are filled in
    assert not Note.objects.filter(body__contains="{").exists()

    # The Section Officer and the Assistant of Development-I have unread files waiting.
    for code in ("SO-D1", "ASST-D1"):
        waiting = unread.filter(holder__code=code).count()
        assert waiting >= 3, code
        assert f"{waiting} unread files waiting" in output

    # --- custody: one holder per file, the post its current movement brought it to
    assert not files.filter(current_movement__isnull=True).exists()
    assert not files.exclude(holder_id=F("current_movement__to_post_id")).exists()
    for file in files.prefetch_related("movements"):
        kept = [m for m in file.movements.all() if m.pulled_back_at is None]
        kept.sort(key=lambda m: (m.sent_at, m.pk))
        assert kept[-1].pk == file.current_movement_id, file.number
        for earlier, later in itertools.pairwise(kept):
            assert later.from_post_id == earlier.to_post_id, file.number
    assert not Movement.objects.filter(~Q(read_at=None), ~Q(pulled_back_at=None)).exists()
    physical_notes = Note.objects.filter(file__is_physical=True)
    assert not physical_notes.exists()

    # --- history: replayed over the last two months, in office hours, never in the future
    oldest = files.order_by("created_at").first()
    assert oldest is not None and oldest.created_at > started - dt.timedelta(days=62)
    assert files.filter(created_at__lt=started - dt.timedelta(days=20)).exists()
    for moment in Movement.objects.values_list("sent_at", flat=True):
        assert moment <= started
        local = moment.astimezone(PKT)
        assert local.weekday() < 5 and 9 <= local.hour < 17, local
    replayed = AuditEvent.objects.filter(object_type__in=["files.file", "files.note"])
    assert replayed.exists() and not replayed.filter(at__gt=started).exists()

    # --- every change went through the services: their audit events match the records
    assert AuditEvent.objects.filter(action="file.open").count() == files.count()
    entries = Note.objects.filter(kind=NoteKind.RECEIPT)
    written = Note.objects.exclude(kind__in=[NoteKind.RECEIPT, NoteKind.ENTRY])
    assert AuditEvent.objects.filter(action="note.add").count() == written.count()
    assert AuditEvent.objects.filter(action="file.receipt_put").count() == entries.count()
    # Entries written final by approvals and issues: one per draft.approve and draft.issue.
    done = AuditEvent.objects.filter(action__in=["draft.approve", "draft.issue"]).count()
    assert Note.objects.filter(kind=NoteKind.ENTRY).count() == done

    # --- the registry's letters: diarised with their scans, sent on, two put on files
    receipts = Receipt.objects.exclude(mode=Mode.INTERNAL)
    assert receipts.count() == len(LETTERS)
    assert all(r.documents.count() == 1 for r in receipts)
    assert all(r.registry.code == "R&I" and r.holder.code != "RI-UDC" for r in receipts)
    opened, on_file = CorrespondenceItem.objects.filter(receipt__in=receipts).order_by(
        "receipt__subject"
    )
    assert opened.kind == CorrespondenceKind.PUC and opened.file.subject == opened.subject
    assert opened.file.holder.code == "SO-D1" and opened.note.kind == NoteKind.RECEIPT
    assert on_file.file.subject.startswith("Dasu hydropower project")
    assert on_file.subject.startswith("Dasu hydropower project: follow-up")
    unopened = receipts.filter(status=ReceiptStatus.OPEN, inbox_unread=True)
    assert unopened.count() == len(LETTERS) - 2
    assert "5 letters diarised" in output
    for moment in receipts.values_list("created_at", flat=True):
        local = moment.astimezone(PKT)
        assert local.weekday() < 5 and 9 <= local.hour < 17 and moment <= started, local
    sends = Movement.objects.exclude(action=Action.OPEN).count()
    moves = [f"file.{a}" for a in Action.values if a != Action.OPEN]
    moved = AuditEvent.objects.filter(action__in=moves).count()
    assert moved == sends
    pulled = Movement.objects.filter(pulled_back_at__isnull=False).count()
    assert AuditEvent.objects.filter(action="file.pull_back").count() == pulled

    _check_letters(output)

    # --- idempotent: the second run changes nothing and says so
    before = _counts()
    again = _run()
    assert _counts() == before
    assert "nothing changed" in again and "0 people (32 already there)" in again


def _check_letters(output: str) -> None:
    """Drafts at every stage; a letter signed, sealed, issued and received by the Finance
    Division on Daftar, and the reply waiting unread at the Division's Central Registry."""
    assert "Letters: drafts for approval at every stage" in output
    statuses = set(Draft.objects.values_list("status", flat=True))
    assert statuses == {"draft", "approved", "signed", "issued"}
    revised = Draft.objects.get(status="draft")
    assert revised.language == "ur" and revised.versions.count() == 2
    issued = Delivery.objects.filter(channel="internal").select_related("receipt__registry")
    arrived = Receipt.objects.filter(dispatch_delivery__in=issued).values_list(
        "registry__code", flat=True
    )
    assert sorted(arrived) == ["FD-RI", "R&I"]
    to_finance = issued.get(receipt__registry__code="FD-RI")
    assert to_finance.status == "received" and to_finance.received_at is not None
    reply = issued.get(receipt__registry__code="R&I")
    assert reply.status == "delivered"
    assert Receipt.objects.get(dispatch_delivery=reply).inbox_unread
    assert Delivery.objects.filter(channel="post", status="pending").count() == 1  # WAPDA
    for fair_copy in FairCopy.objects.select_related("document"):
        report = pdf_verify(document_bytes(fair_copy.document))
        assert report.ok and len(report.signatures) == 2, report.summary
    final = Note.objects.filter(is_final=True, file__drafts__isnull=False).distinct()
    assert final.exists() and not final.filter(signature__isnull=True).exists()


def test_demo_keeps_admin_edits_when_run_again(db: None) -> None:
    demo_load(programme=False)
    person = User.objects.get(email="omer.abbasi@mowr.gov.pk")
    User.objects.filter(pk=person.pk).update(full_name="Omer F. Abbasi")  # edited in the admin
    before = _counts()
    report = demo_load(programme=False)
    assert report.org is None and "left as it is" in report.org_note
    assert report.files_created == 0
    assert _counts() == before


def test_every_pattern_used_by_the_demo_exists() -> None:
    assert {f.pattern for f in FILES} <= set(PATTERNS)
    assert len({(f.section, f.subject) for f in FILES}) == len(FILES)


@pytest.mark.parametrize(
    ("start", "minutes", "expected"),
    [
        # Friday 16:30 + 60 office minutes = Monday 09:30
        (dt.datetime(2026, 11, 20, 16, 30, tzinfo=PKT), 60, dt.datetime(2026, 11, 23, 9, 30)),
        # Saturday night + 0 = Monday 09:00
        (dt.datetime(2026, 11, 21, 22, 0, tzinfo=PKT), 0, dt.datetime(2026, 11, 23, 9, 0)),
        # Tuesday 10:00 + 8 hours = Wednesday 10:00
        (dt.datetime(2026, 11, 24, 10, 0, tzinfo=PKT), 480, dt.datetime(2026, 11, 25, 10, 0)),
    ],
)
def test_office_time_arithmetic(start: dt.datetime, minutes: int, expected: dt.datetime) -> None:
    moved = add_working(start, minutes)
    assert moved == expected.replace(tzinfo=PKT)
    assert working_minutes(start, moved) == minutes
