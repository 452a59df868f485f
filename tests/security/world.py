"""The people and papers the security tests act on, built through the real services.

Two ministries (the cast, and a second cast with the prefix ``X``). At three desks — the
assistant's (the actors' own desk), the outsider's (a colleague in another division, outside
the actors' reporting chain) and the other ministry's assistant's — the same set of papers is
held: a receipt with a scanned letter, a file opened from another receipt (so it has page 1),
a draft note on that file and an e-mail draft waiting at the post.

Each role is a separate person sharing the assistant's post (an additional charge) and holding
the role's permissions; the organisation admin is staff, holds its own post in the division and
no post that ever held any of the papers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from dataclasses import dataclass, field

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from daftar.documents.models import Document
from daftar.documents.services import document_store
from daftar.documents.storage import blob_store
from daftar.documents.tasks import document_ocr
from daftar.files.correspondence import file_open_from_receipt
from daftar.files.models import File, Note
from daftar.files.services import note_add
from daftar.lib import clock
from daftar.mailroom.models import IncomingMail, Mailbox, TlsMode
from daftar.org import services as org
from daftar.org.models import Post, User
from daftar.receipts.models import Mode, Receipt, Sender
from daftar.receipts.services import receipt_register, receipt_send, sender_create
from tests.cast import PASSWORD, Cast, make_cast
from tests.documents.samples import text_pdf

_serial = itertools.count(1)

# The roles of issue 4 and the contract permissions each holds (the roles branch declares the
# codenames in the apps' Meta.permissions; here they are made if they do not exist yet).
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "registry_clerk": ("receipts.diarise_receipt", "mailroom.handle_mail"),
    "dealing_staff": ("files.open_file",),
    "officer": ("files.open_file", "files.share_file"),
    "signing_officer": ("files.open_file", "files.share_file", "files.sign_document"),
    "records_officer": ("files.record_file",),
    "programme_office": ("org.view_programme_figures",),
    "auditor": ("audit.view_trail",),
}
ADMIN_PERMISSIONS = ("org.manage_organisation",)

MISSING_ID = 987_654_321


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

    def ids(self) -> dict[str, int]:
        """The id each kind of object route takes, for this desk's papers."""
        return {
            "file": self.file.pk,
            "receipt": self.receipt.pk,
            "document": self.document.pk,
            "note": self.note.pk,
            "mail": self.draft.pk,
            "post": self.post.pk,
        }


@dataclass
class World:
    cast: Cast
    other: Cast
    desks: dict[str, Desk]  # "own", "colleague", "other_ministry"
    roles: dict[str, User]
    admin: User
    member: User  # the assistant: a person with no function permission
    extra: dict[str, object] = field(default_factory=dict)


def permission(codename: str) -> Permission:
    """The contract permission ``app.codename``, made on the app's first model if missing."""
    app, code = codename.split(".")
    found = Permission.objects.filter(content_type__app_label=app, codename=code).first()
    if found is not None:
        return found
    content_type = ContentType.objects.filter(app_label=app).order_by("model").first()
    assert content_type is not None, f"no models in app {app}"
    return Permission.objects.create(content_type=content_type, codename=code, name=codename)


def person_at(post: Post, slug: str, *, perms: tuple[str, ...] = ()) -> User:
    user = org.person_create(
        actor=None, email=f"{slug}@mowr.gov.pk", full_name=slug.title(), password=PASSWORD
    )
    org.charge_assign(actor=None, person=user, post=post, start=dt.date(2020, 1, 1))
    user.user_permissions.add(*(permission(p) for p in perms))
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
    return Desk(
        post=post,
        holder=holder,
        receipt=receipt,
        document=receipt.documents.get().document,
        file=File.objects.get(pk=item.file_id),
        note=note,
        draft=mail_draft(post, holder, f"E-mail ({label})"),
    )


def build_world() -> World:
    cast = make_cast()
    other = make_cast("X")
    admin_post = org.post_create(
        actor=None, unit=cast.division, code="ADMIN", designation="System Administrator"
    )
    admin = person_at(admin_post, "org.admin", perms=ADMIN_PERMISSIONS)
    User.objects.filter(pk=admin.pk).update(is_staff=True)
    Group.objects.create(name="Registry clerks")  # so the admin's group pages name a row
    return World(
        cast=cast,
        other=other,
        desks={
            "own": desk(cast, cast.assistant_post, cast.assistant, "own"),
            "colleague": desk(cast, cast.outsider_post, cast.outsider, "colleague"),
            "other_ministry": desk(other, other.assistant_post, other.assistant, "other"),
        },
        roles={
            role: person_at(cast.assistant_post, role.replace("_", "."), perms=perms)
            for role, perms in ROLE_PERMISSIONS.items()
        },
        admin=User.objects.get(pk=admin.pk),
        member=cast.assistant,
    )
