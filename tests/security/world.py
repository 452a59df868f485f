"""The people and papers the security tests act on, built through the real services.

Two ministries (the cast, and a second cast with the prefix ``X``). At three desks — the
assistant's (the actors' own desk), the outsider's (a colleague in another division, outside
the actors' reporting chain) and the other ministry's assistant's — the same set of papers is
held: a receipt with a scanned letter, a file opened from another receipt (so it has page 1),
a draft note on that file and an e-mail draft waiting at the post.

Each role is a separate person sharing the assistant's post (an additional charge) and given
the role (docs/roles.md); the assistant (dealing staff) is the member. A fourth
set of papers at the same desk is graded above everyone's clearance there. The organisation
admin is staff with the organisation_admin role, holds its own post in the division and no
post that ever held any of the papers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from dataclasses import dataclass, field
from decimal import Decimal

from axes.models import AccessAttempt, AccessFailureLog
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from daftar.adoption.services import levels_compute, policy_update
from daftar.audit.checkpoints import checkpoint_make
from daftar.dispatch.models import Channel, Delivery, Dispatch, FairCopy
from daftar.documents.models import Document
from daftar.documents.services import document_store
from daftar.documents.storage import blob_store
from daftar.documents.tasks import document_ocr
from daftar.drafting.models import AddresseeKind, Draft, DraftKind, DraftStatus
from daftar.drafting.services import AddresseeInput, draft_create
from daftar.files.correspondence import file_open_from_receipt
from daftar.files.models import Classification, CorrespondenceItem, File, FileShare, Note
from daftar.files.services import note_add
from daftar.lib import clock
from daftar.mailroom.models import IncomingMail, Mailbox, TlsMode
from daftar.org import services as org
from daftar.org.models import Post, User
from daftar.org.roles import ROLES, roles_assign
from daftar.receipts.custody import receipt_send
from daftar.receipts.diary import receipt_register
from daftar.receipts.models import Mode, Receipt, ReceiptShare, Sender
from daftar.receipts.senders import sender_create
from daftar.releases.models import Release, ReleasePurpose
from tests.cast import PASSWORD, Cast, make_cast
from tests.documents.samples import text_pdf

_serial = itertools.count(1)

# The roles a person can be given (docs/roles.md), each tried by its own person; the
# organisation admin is tried separately (it is staff, at its own post).
ROLE_NAMES: tuple[str, ...] = tuple(name for name in ROLES if name != "organisation_admin")

MISSING_ID = 987_654_321


@dataclass(frozen=True)
class Issued:
    """A draft for approval on the desk's file, issued as a letter with one paper copy."""

    draft: Draft
    dispatch: Dispatch
    delivery: Delivery


@dataclass(frozen=True)
class Desk:
    """The papers held at one post."""

    post: Post
    holder: User
    receipt: Receipt
    document: Document
    file: File
    note: Note
    draft: IncomingMail
    share: FileShare
    receipt_share: ReceiptShare
    issued: Issued
    letter: Draft  # a draft for approval (DFA) on the file

    def ids(self) -> dict[str, int]:
        """The id each kind of object route takes, for this desk's papers."""
        return {
            "file": self.file.pk,
            "receipt": self.receipt.pk,
            "document": self.document.pk,
            "note": self.note.pk,
            "mail": self.draft.pk,
            "post": self.post.pk,
            "share": self.share.pk,
            "receipt_share": self.receipt_share.pk,
            "dfa": self.issued.draft.pk,
            "dispatch": self.issued.dispatch.pk,
            "delivery": self.issued.delivery.pk,
            "draft": self.letter.pk,
        }

    def share_id(self, kind: str) -> int:
        """The ``share_id`` of a revoke route about an object of ``kind``."""
        return self.receipt_share.pk if kind == "receipt" else self.share.pk


@dataclass
class World:
    cast: Cast
    other: Cast
    desks: dict[str, Desk]  # "own", "colleague", "other_ministry", "above_clearance"
    roles: dict[str, User]
    admin: User
    member: User  # the assistant (dealing staff), author of the draft notes

    def able(self, permission: str | None) -> User:
        """The member, or if they lack ``permission`` the first role's person who has it."""
        if permission is None or self.member.has_perm(permission):
            return self.member
        return next(user for user in self.roles.values() if user.has_perm(permission))

    extra: dict[str, object] = field(default_factory=dict)


def person_at(post: Post, slug: str, *, roles: tuple[str, ...] = ()) -> User:
    user = org.person_create(
        actor=None, email=f"{slug}@mowr.gov.pk", full_name=slug.title(), password=PASSWORD
    )
    org.charge_assign(actor=None, person=user, post=post, start=dt.date(2020, 1, 1))
    roles_assign(actor=None, person=user, roles=list(roles))
    return User.objects.get(pk=user.pk)  # fresh: no permission cache


def scanned_letter(actor: User) -> Document:
    n = next(_serial)
    return document_store(
        actor=actor, name=f"letter-{n}.pdf", content=text_pdf([f"Letter number {n}"])
    )


def received(cast: Cast, sender: Sender, to: Post, subject: str) -> Receipt:
    """A receipt the clerk diarises and marks to ``to``."""
    receipt = receipt_register(
        actor=cast.registry_clerk,
        post_id=cast.registry_post.pk,
        sender_id=sender.pk,
        subject=subject,
        received_on=clock.now().date(),
        mode=Mode.POST,
        letter_number=f"F.{next(_serial)}/2026",
        document_ids=[scanned_letter(cast.registry_clerk).pk],
    )
    receipt_send(actor=cast.registry_clerk, receipt_id=receipt.pk, to_post_id=to.pk)
    return Receipt.objects.get(pk=receipt.pk)


def mail_draft(post: Post, holder: User, subject: str) -> IncomingMail:
    """An e-mail draft waiting at ``post``, as ``mail_fetch`` leaves one."""
    n = next(_serial)
    raw = f"From: a@pc.gov.pk\r\nSubject: {subject}\r\n\r\nSir,\r\n".encode()
    box = Mailbox.objects.create(
        unit=post.unit,
        name=f"box{n}@mowr.gov.pk",
        host="mail.mowr.gov.pk",
        port=993,
        tls=TlsMode.SSL,
        username=f"box{n}",
        password_env="DAFTAR_IMAP_PASSWORD_REGISTRY",
        post=post,
    )
    return IncomingMail.objects.create(
        mailbox=box,
        message_id=f"<{n}@pc.gov.pk>",
        post=post,
        from_name="Tariq Mahmood",
        from_address="a@pc.gov.pk",
        subject=subject,
        sent_at=clock.now(),
        body_text="Sir,",
        raw_sha256=blob_store().put(raw),
        raw_size=len(raw),
        message_document=scanned_letter(holder),
        created_at=clock.now(),
    )


def issued(holder: User, post: Post, file_id: int, label: str) -> Issued:
    """A draft written at the desk, then (as rows: the access routes only read them) its
    fair copy, dispatch and a paper delivery, the file's PUC standing for the office copy."""
    draft = draft_create(
        actor=holder,
        file_id=file_id,
        kind=DraftKind.LETTER,
        language="en",
        classification=0,
        subject=f"Reply ({label})",
        body="<p>Reply.</p>",
        references="",
        enclosures="",
        addressees=[AddresseeInput(kind=AddresseeKind.EXTERNAL, name="DG", address="Lahore")],
    )
    version = draft.current_version
    assert version is not None
    now = clock.now()
    Draft.objects.filter(pk=draft.pk).update(
        status=DraftStatus.ISSUED, approved_version=version, approved_at=now
    )
    fair_copy = FairCopy.objects.create(
        draft=draft,
        version=version,
        letter_number=f"No. {label}",
        letter_date=now.date(),
        token=f"token-{label}",
        document=scanned_letter(holder),
        signed_by=holder,
        signed_post=post,
        signed_at=now,
    )
    dispatch = Dispatch.objects.create(
        fair_copy=fair_copy,
        unit=post.unit,
        year=now.year,
        serial=next(_serial),
        number=f"D-{label}",
        issued_by=holder,
        issued_post=post,
        issued_at=now,
        office_copy=CorrespondenceItem.objects.get(file_id=file_id),
    )
    delivery = Delivery.objects.create(
        dispatch=dispatch, addressee=version.addressees.get(), channel=Channel.POST
    )
    return Issued(Draft.objects.get(pk=draft.pk), dispatch, delivery)


def desk(cast: Cast, post: Post, holder: User, label: str) -> Desk:
    sender = sender_create(
        actor=cast.registry_clerk,
        organisation="Planning Commission",
        name=f"Sender {label}",
        email=f"{hashlib.sha1(label.encode()).hexdigest()[:8]}@pc.gov.pk",  # noqa: S324
    )
    receipt = received(cast, sender, post, f"Release of funds ({label})")
    puc = received(cast, sender, post, f"Repair of tube wells ({label})")
    item = file_open_from_receipt(actor=holder, receipt_id=puc.pk)
    note = note_add(actor=holder, file_id=item.file_id, body=f"Draft note ({label})")
    document_ocr.enqueue(receipt.documents.get().document_id)  # a job row for the admin pages
    # Live shares of the file and the receipt with the registry (made as the share services
    # store them), so the revoke routes name shares that exist.
    shared = {
        "post": cast.registry_post,
        "reason": "For the diary register",
        "until": clock.now().date() + dt.timedelta(days=30),
        "shared_by": holder,
        "shared_from": post,
        "shared_at": clock.now(),
    }
    share = FileShare.objects.create(file_id=item.file_id, **shared)
    receipt_share = ReceiptShare.objects.create(receipt=receipt, **shared)
    letter = draft_create(
        actor=holder,
        file_id=item.file_id,
        kind=DraftKind.LETTER,
        language="en",
        classification=Classification.UNCLASSIFIED,
        subject=f"Reply ({label})",
        body="<p>Funds may be released.</p>",
        references="",
        enclosures="",
        addressees=[AddresseeInput(kind="external", name="The Chairman", address="Lahore")],
    )
    return Desk(
        post=post,
        holder=holder,
        receipt=receipt,
        document=receipt.documents.get().document,
        file=File.objects.get(pk=item.file_id),
        note=note,
        draft=mail_draft(post, holder, f"E-mail ({label})"),
        share=share,
        receipt_share=receipt_share,
        issued=issued(holder, post, item.file_id, label),
        letter=letter,
    )


def above_clearance(cast: Cast) -> Desk:
    """Papers at the actors' own desk graded Secret, above everyone's clearance there (as after
    a grade was raised while the desk's holders lost their clearance): hidden from them all."""
    papers = desk(cast, cast.assistant_post, cast.assistant, "above")
    File.objects.filter(pk=papers.file.pk).update(classification=Classification.SECRET)
    Receipt.objects.filter(pk=papers.receipt.pk).update(classification=Classification.SECRET)
    return papers


def admin_rows(cast: Cast, receipt: Receipt) -> None:
    """One row of each admin model that is not made by the desks above, so that every admin
    page (history, change, a device's QR code) is judged on permission, not on a missing row."""
    checkpoint_make()
    policy_update(actor=cast.secretary, cost_per_page=Decimal("12.00"))
    levels_compute(month=clock.now().date().replace(day=1))
    Release.objects.create(
        object_type="receipts.receipt",
        object_id=str(receipt.pk),
        purpose=ReleasePurpose.EMAIL,
        classification=receipt.classification,
        reason="The sender asked for the slip",
        granted_by=cast.section_officer,
        granted_at=clock.now(),
    )
    clerk = cast.secretary  # no actor here; a signing officer has a device anyway
    TOTPDevice.objects.create(user=clerk, name="phone", confirmed=True)
    StaticDevice.objects.create(user=clerk, name="recovery codes", confirmed=True)
    seen = {"user_agent": "test", "ip_address": "127.0.0.1", "http_accept": "*/*"}
    attempt = {**seen, "username": clerk.email, "path_info": "/accounts/login/"}
    AccessAttempt.objects.create(**attempt, get_data="", post_data="", failures_since_start=1)
    AccessFailureLog.objects.create(**attempt)


def build_world() -> World:
    cast = make_cast()
    other = make_cast("X")
    admin_post = org.post_create(
        actor=None, unit=cast.division, code="ADMIN", designation="System Administrator"
    )
    admin = person_at(admin_post, "org.admin", roles=("organisation_admin",))
    User.objects.filter(pk=admin.pk).update(is_staff=True)
    world = World(
        cast=cast,
        other=other,
        desks={
            "own": desk(cast, cast.assistant_post, cast.assistant, "own"),
            "colleague": desk(cast, cast.outsider_post, cast.outsider, "colleague"),
            "other_ministry": desk(other, other.assistant_post, other.assistant, "other"),
            "above_clearance": above_clearance(cast),
        },
        roles={
            role: person_at(cast.assistant_post, role.replace("_", "."), roles=(role,))
            for role in ROLE_NAMES
        },
        admin=User.objects.get(pk=admin.pk),
        member=User.objects.get(pk=cast.assistant.pk),
    )
    admin_rows(cast, world.desks["own"].receipt)
    return world
