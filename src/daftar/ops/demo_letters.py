"""The demo's letters: drafts for approval at every stage, and letters signed and issued
between the two demo ministries, made through the real services (``draft_create`` …
``draft_sign`` with the demo password … ``letter_issue``), so a new user sees the whole cycle.

- Water-I: a DFA in Urdu revised by the Section Officer (version 2), awaiting approval.
- Water-II: a DFA approved by the Section Officer, with the Deputy Secretary to sign.
- Development-II: a letter signed by the Deputy Secretary, waiting to be issued.
- Development-I: a letter to the Finance Division, signed, issued and delivered on Daftar
  (received by the Finance registry), with a copy to WAPDA by post; the Finance Division's
  reply, issued the same way, waits unread in the Division's Central Registry.

Loaded once: each story is skipped when its file exists. Played in office hours a few days
before the load, like the replayed files; the instance's certificate authority is created
first if it has none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from daftar.dispatch.delivery import deliveries_pending_run
from daftar.dispatch.services import draft_sign, letter_issue
from daftar.drafting.models import AddresseeKind, AddresseeRole, Draft, DraftKind
from daftar.drafting.services import AddresseeInput, draft_approve, draft_create, draft_edit
from daftar.files.correspondence import file_open_from_receipt
from daftar.files.models import File
from daftar.files.services import file_open, note_add
from daftar.lib import clock
from daftar.movement.services import file_send
from daftar.ops.demo_receipts import working_morning
from daftar.org.models import Charge, OrgUnit, Post, User
from daftar.receipts.custody import receipt_mark_read, receipt_send
from daftar.receipts.models import Receipt
from daftar.signing.api import signing_ready
from daftar.signing.ca import ca_init


class Steps:
    """Runs each service call at the next moment of a timeline (a few minutes apart, from a
    morning some working days back), as the replayed files do, so the letters' history reads
    like the rest: about forty steps end well before five in the afternoon."""

    def __init__(self, start: dt.datetime) -> None:
        self.at = start

    def __call__(self, service: Callable[..., T], /, **kwargs: Any) -> T:
        with clock.frozen_at(self.at):
            result = service(**kwargs)
        self.at += STEP
        return result


STEP = dt.timedelta(minutes=6)


T = TypeVar("T")


@dataclass(frozen=True)
class Desk:
    person: User
    post: Post


def desk(code: str) -> Desk:
    charge = (
        Charge.objects.current(clock.now().date())
        .filter(post__code=code)
        .select_related("person", "post")
        .first()
    )
    if charge is None:
        raise LookupError(f"the demo post {code} has no holder")
    return Desk(charge.person, charge.post)


def _to(code: str) -> AddresseeInput:
    return AddresseeInput(organisation_id=OrgUnit.objects.get(code=code).pk)


WAPDA = AddresseeInput(
    kind=AddresseeKind.EXTERNAL,
    role=AddresseeRole.COPY,
    name="The Chairman, WAPDA",
    address="WAPDA House, Shahrah-e-Quaid-e-Azam, Lahore",
)


def _open(do: Steps, d: Desk, subject: str, note: str) -> File:
    file = do(file_open, actor=d.person, post_id=d.post.pk, subject=subject)
    do(note_add, actor=d.person, file_id=file.pk, body=note)
    return file


def _draft(
    do: Steps,
    d: Desk,
    file: File,
    *,
    subject: str,
    body: str,
    addressees: list[AddresseeInput],
    kind: str = DraftKind.LETTER,
    language: str = "en",
    enclosures: str = "",
) -> Draft:
    return do(
        draft_create,
        actor=d.person,
        file_id=file.pk,
        kind=kind,
        language=language,
        classification=0,
        subject=subject,
        body=body,
        references="",
        enclosures=enclosures,
        addressees=addressees,
    )


def _revise(do: Steps, d: Desk, draft: Draft, body: str) -> None:
    version = draft.versions.latest("number")
    do(
        draft_edit,
        actor=d.person,
        draft_id=draft.pk,
        subject=version.subject,
        body=body,
        references=version.references,
        enclosures=version.enclosures,
        addressees=[
            AddresseeInput(
                kind=a.kind,
                role=a.role,
                organisation_id=a.organisation_id,
                post_id=a.post_id,
                name=a.name,
                address=a.address,
                email=a.email,
            )
            for a in version.addressees.all()
        ],
    )


def _approve(do: Steps, d: Desk, draft: Draft) -> None:
    number = draft.versions.latest("number").number
    do(draft_approve, actor=d.person, draft_id=draft.pk, version_number=number)


def _sign(do: Steps, d: Desk, draft: Draft, password: str) -> None:
    do(draft_sign, actor=d.person, draft_id=draft.pk, secret=password)


def _sign_and_issue(do: Steps, d: Desk, draft: Draft, password: str) -> None:
    _sign(do, d, draft, password)
    do(letter_issue, actor=d.person, draft_id=draft.pk)
    # Delivered after the commit already; where that run was held back (inside a test's
    # transaction) this delivers now, so the reply below finds the letter arrived.
    do(deliveries_pending_run, older_than=dt.timedelta(0))


def _send(do: Steps, d: Desk, file: File, to: Desk, remarks: str = "") -> None:
    do(file_send, actor=d.person, file_id=file.pk, to_post_id=to.post.pk, remarks=remarks)


URDU_SUBJECT = "دریائے سندھ کے پانی کی تقسیم: صوبائی محکمہ آبپاشی سے اعداد و شمار کی فراہمی"
URDU_BODY = (
    "<p>مجھے ہدایت ہوئی ہے کہ رواں ربیع سیزن کے دوران دریائے سندھ کے پانی کی تقسیم کے "
    "اعداد و شمار پندرہ دن کے اندر اس ڈویژن کو فراہم کیے جائیں۔</p>"  # noqa: RUF001
    "<p>معاملہ انتہائی اہم ہے۔</p>"  # noqa: RUF001
)


def _draft_under_revision(do: Steps, subject: str, password: str) -> None:
    """Water-I: an Urdu letter drafted by the Assistant, revised by the Section Officer."""
    assistant, officer = desk("ASST-W1"), desk("SO-W1")
    file = _open(do, assistant, subject, "Draft put up.")
    draft = _draft(
        do,
        assistant,
        file,
        subject=URDU_SUBJECT,
        body=URDU_BODY,
        language="ur",
        addressees=[
            AddresseeInput(
                kind=AddresseeKind.EXTERNAL,
                name="سیکرٹری، محکمہ آبپاشی، حکومتِ پنجاب",
                address="لاہور",
            )
        ],
    )
    _send(do, assistant, file, officer, "DFA placed below for approval.")
    _revise(do, officer, draft, URDU_BODY.replace("پندرہ دن", "دس دن"))


def _approved_awaiting_signature(do: Steps, subject: str, password: str) -> None:
    """Water-II: approved by the Section Officer; the Deputy Secretary is to sign it."""
    officer, deputy = desk("SO-W2"), desk("DS-W")
    file = _open(do, officer, subject, "Reports awaited.")
    draft = _draft(
        do,
        officer,
        file,
        kind=DraftKind.OFFICE_MEMORANDUM,
        subject="Progress of flood protection works before the monsoon",
        body="<p>The undersigned is directed to request the monthly progress of the works "
        "approved under the Flood Protection Sector Project, by the 10th of each month.</p>",
        addressees=[
            AddresseeInput(
                kind=AddresseeKind.EXTERNAL,
                name="The Chairman, Federal Flood Commission",
                address="Sector G-5/1, Islamabad",
            )
        ],
    )
    _approve(do, officer, draft)
    _send(do, officer, file, deputy, "DFA approved; for signature please.")


def _signed_awaiting_issue(do: Steps, subject: str, password: str) -> None:
    """Development-II: signed by the Deputy Secretary; not yet issued."""
    officer, deputy = desk("SO-D2"), desk("DS-D")
    file = _open(do, officer, subject, "Inspection due.")
    draft = _draft(
        do,
        officer,
        file,
        subject="Joint inspection of lined distributaries in Sindh",
        body="<p>A joint inspection of the lined distributaries is proposed in the first week "
        "of next month. Kindly nominate an officer.</p>",
        addressees=[
            AddresseeInput(
                kind=AddresseeKind.EXTERNAL,
                name="The Secretary, Irrigation Department, Government of Sindh",
                address="Sindh Secretariat, Karachi",
            )
        ],
    )
    _send(do, officer, file, deputy, "DFA for approval and signature.")
    _approve(do, deputy, draft)
    _sign(do, deputy, draft, password)


FUNDS_SUBJECT = "Release of funds for Mohmand Dam: second quarter"


def _letter_to_finance(do: Steps, subject: str, password: str) -> None:
    """Development-I to the Finance Division (on Daftar), copy to WAPDA (by post); the Finance
    registry receives it, and the Finance Division replies."""
    assistant, officer, deputy = desk("ASST-D1"), desk("SO-D1"), desk("DS-D")
    file = _open(do, assistant, subject, "Funds for Q2 are due.")
    draft = _draft(
        do,
        assistant,
        file,
        subject=FUNDS_SUBJECT,
        body="<p>I am directed to request the release of Rs. 4,500 million for the Mohmand "
        "Dam Hydropower Project for the second quarter, as provided in the PSDP.</p>"
        "<ol><li>Civil works: Rs. 3,900 million</li><li>Resettlement: Rs. 600 million</li></ol>",
        enclosures="Statement of expenditure to date",
        addressees=[_to("FD"), WAPDA],
    )
    _send(do, assistant, file, officer)
    _send(do, officer, file, deputy, "Approved at my level; for signature.")
    _approve(do, deputy, draft)
    _sign_and_issue(do, deputy, draft, password)
    _finance_replies(do, password)


def _finance_replies(do: Steps, password: str) -> None:
    clerk, officer, joint = desk("RI-FD"), desk("SO-BUD1"), desk("JS-BUD")
    receipt = Receipt.objects.get(registry__code="FD-RI", subject=FUNDS_SUBJECT)
    do(receipt_mark_read, actor=clerk.person, receipt_id=receipt.pk)  # received at the registry
    do(receipt_send, actor=clerk.person, receipt_id=receipt.pk, to_post_id=officer.post.pk)
    item = do(file_open_from_receipt, actor=officer.person, receipt_id=receipt.pk)
    file = item.file
    do(note_add, actor=officer.person, file_id=file.pk, body="Funds are available; reply put up.")
    draft = _draft(
        do,
        officer,
        file,
        kind=DraftKind.OFFICE_MEMORANDUM,
        subject="Mohmand Dam: release of Rs. 4,500 million authorised",
        body="<p>The Finance Division authorises the release of Rs. 4,500 million for the "
        "second quarter, subject to the usual conditions of the PSDP.</p>",
        addressees=[_to("WRD")],
    )
    _send(do, officer, file, joint)
    _approve(do, joint, draft)
    _sign_and_issue(do, joint, draft, password)


STORIES: tuple[tuple[str, str, Callable[[Steps, str, str], None]], ...] = (
    ("W-I", "Indus water distribution: data from the provinces", _draft_under_revision),
    ("W-II", "Flood protection works 2026: progress reports", _approved_awaiting_signature),
    ("D-II", "Lining of distributary canals: site inspection", _signed_awaiting_issue),
    ("D-I", "Mohmand Dam: releases for 2026-27", _letter_to_finance),
)


def load_letters(password: str, *, now: dt.datetime) -> int:
    """Play the stories not played yet, on the morning three working days before ``now``;
    returns how many were played."""
    if not signing_ready():
        ca_init(name="Daftar CA (demo)")
    do = Steps(working_morning(now, 3))
    played = 0
    for unit_code, subject, story in STORIES:
        if File.objects.filter(unit__code=unit_code, subject=subject).exists():
            continue
        story(do, subject, password)
        played += 1
    return played
