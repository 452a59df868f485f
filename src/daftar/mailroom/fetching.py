"""Fetching a mailbox's e-mail as draft receipts (``mail_fetch``, ``mail_fetch_all``).

For each unseen message of a mailbox, oldest first,

1. skip it if this mailbox already imported its Message-ID (mark it seen: an earlier fetch
   committed and then stopped before it could say so to the server);
2. keep the raw message in the blob store, store a PDF of it and each attachment through
   ``document_store`` (a refused attachment is recorded with the reason, never fatal);
3. in one transaction: the draft (``IncomingMail``), its attachments, the audit event;
4. after the commit, and only then, set ``\\Seen`` on the server.

A crash before 3 commits leaves the message unseen, so the next fetch imports it; a crash
between 3 and 4 leaves it unseen too, and the next fetch finds its Message-ID and skips it.
Documents stored in 2 for an import that never committed stay unreferenced, like an upload
abandoned in the browser.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from daftar.audit.services import event_record
from daftar.documents.models import Document
from daftar.documents.services import document_store
from daftar.documents.storage import blob_store
from daftar.lib import clock
from daftar.lib.errors import InvalidInput, NotFound
from daftar.mailroom.imap import ImapSource, MailSource, MailSourceError, MessageTooLarge
from daftar.mailroom.message import ParsedMail, message_pdf, parse_message, pdf_name
from daftar.mailroom.models import IncomingAttachment, IncomingMail, Mailbox
from daftar.org.models import Charge, ChargeKind, User

log = logging.getLogger(__name__)


@dataclass
class FetchReport:
    """What one fetch of one mailbox did."""

    mailbox_id: int
    mailbox: str
    imported: list[int] = field(default_factory=list)  # ids of the new drafts
    already: int = 0  # imported before, now marked seen
    refused_attachments: int = 0
    failed: list[str] = field(default_factory=list)  # per message: why it was left unseen
    error: str | None = None  # the mailbox could not be read at all

    @property
    def ok(self) -> bool:
        return self.error is None and not self.failed


def mail_fetch(*, mailbox_id: int, source: MailSource | None = None) -> FetchReport:
    """Import the unseen messages of a mailbox as drafts (at most ``MAIL_FETCH_BATCH``).

    ``source`` is the mailbox's IMAP server unless given (another ``MailSource``)."""
    mailbox = Mailbox.objects.select_related("post", "unit").filter(pk=mailbox_id).first()
    if mailbox is None:
        raise NotFound(_("No such mailbox."))
    report = FetchReport(mailbox_id=mailbox.pk, mailbox=mailbox.name)
    if not mailbox.is_active:
        report.error = _("The mailbox is not active.")
        return report
    receiver = _receiver(mailbox)
    if receiver is None:
        report.error = _("%(post)s is vacant: nobody to receive the drafts.") % {
            "post": mailbox.post
        }
        _note_fetch(mailbox, report)
        return report
    try:
        opened = source if source is not None else ImapSource(mailbox)
        try:
            uids = opened.unseen()[: int(settings.MAIL_FETCH_BATCH)]
            for uid in uids:
                _fetch_one(mailbox, opened, uid, receiver=receiver, report=report)
        finally:
            opened.close()
    except MailSourceError as exc:
        report.error = str(exc)
    _note_fetch(mailbox, report)
    return report


def _receiver(mailbox: Mailbox) -> User | None:
    """Who holds the mailbox's post today: the regular holder, else whoever holds it on an
    additional charge or as link officer (the longest-standing first)."""
    charges = list(
        Charge.objects.current(clock.now().date())
        .filter(post=mailbox.post)
        .select_related("person")
        .order_by("start", "pk")
    )
    regular = [c for c in charges if c.kind == ChargeKind.REGULAR]
    chosen = (regular or charges)[:1]
    return chosen[0].person if chosen else None


def _fetch_one(
    mailbox: Mailbox, source: MailSource, uid: str, *, receiver: User, report: FetchReport
) -> None:
    try:
        raw = source.fetch(uid)  # MailSourceError: the connection is gone; stop this fetch
    except MessageTooLarge as exc:
        report.failed.append(f"{uid}: {exc}")
        return  # left unseen, for someone to read in a mail program and move away
    if raw is None:
        return  # deleted on the server since the search: nothing to import
    try:
        mail = parse_message(raw)
        key, earlier = _import_key(mailbox, mail.message_id, hashlib.sha256(raw).hexdigest())
        if key is None:
            report.already += 1
        else:
            mail = dataclasses.replace(mail, message_id=key)
            incoming = _import(mailbox, mail, raw, receiver=receiver, duplicate_of=earlier)
            if incoming is None:
                report.already += 1  # another fetch imported it meanwhile
            else:
                report.imported.append(incoming.pk)
                report.refused_attachments += sum(
                    1 for a in incoming.attachments.all() if a.document_id is None
                )
    except Exception as exc:  # this message stays unseen and is tried next time
        log.exception("Mailbox %s: message %s could not be imported", mailbox.pk, uid)
        report.failed.append(f"{uid}: {type(exc).__name__}: {exc}")
        return
    source.mark_seen(uid)


def _import_key(
    mailbox: Mailbox, message_id: str, sha256: str
) -> tuple[str | None, IncomingMail | None]:
    """The key to import a message under (None: imported already), and the earlier draft
    with the same Message-ID, if any.

    The same Message-ID with the same bytes is the same message fetched again. With other
    bytes (a second delivery with its own Received headers, a mailer that reuses IDs, or a
    forgery) it is imported too, under the ID and its hash, and linked to the earlier draft:
    a clerk discards a duplicate, but a message silently dropped would be lost."""
    earlier = (
        IncomingMail.objects.filter(mailbox=mailbox, message_id=message_id)
        .only("pk", "raw_sha256")
        .first()
    )
    if earlier is None:
        return message_id, None
    if earlier.raw_sha256 == sha256:
        return None, earlier
    variant = f"{message_id[:420]} sha256:{sha256}"
    if IncomingMail.objects.filter(mailbox=mailbox, message_id=variant).exists():
        return None, earlier
    return variant, earlier


def _import(
    mailbox: Mailbox,
    mail: ParsedMail,
    raw: bytes,
    *,
    receiver: User,
    duplicate_of: IncomingMail | None,
) -> IncomingMail | None:
    raw_sha256 = blob_store().put(raw)
    received_at = clock.now()
    printed = document_store(
        actor=receiver,
        name=pdf_name(mail),
        content=message_pdf(mail, received_at=received_at, mailbox=mailbox.name),
    )
    stored: list[tuple[str, str, int, Document | None, str]] = []
    for attachment in mail.attachments:
        try:
            document: Document | None = document_store(
                actor=receiver, name=attachment.filename, content=attachment.content
            )
            refusal = ""
        except InvalidInput as exc:
            document, refusal = None, exc.message
        stored.append(
            (
                attachment.filename,
                attachment.content_type,
                len(attachment.content),
                document,
                refusal,
            )
        )
    try:
        return _incoming_create(
            mailbox=mailbox,
            mail=mail,
            raw_sha256=raw_sha256,
            raw_size=len(raw),
            printed=printed,
            stored=stored,
            received_at=received_at,
            duplicate_of=duplicate_of,
        )
    except IntegrityError:
        if IncomingMail.objects.filter(mailbox=mailbox, message_id=mail.message_id).exists():
            return None
        raise


@transaction.atomic(durable=True)
def _incoming_create(
    *,
    mailbox: Mailbox,
    mail: ParsedMail,
    raw_sha256: str,
    raw_size: int,
    printed: Document,
    stored: Sequence[tuple[str, str, int, Document | None, str]],
    received_at: dt.datetime,
    duplicate_of: IncomingMail | None,
) -> IncomingMail:
    incoming = IncomingMail.objects.create(
        mailbox=mailbox,
        message_id=mail.message_id,
        post=mailbox.post,
        from_name=mail.from_name,
        from_address=mail.from_address,
        subject=mail.subject,
        sent_at=mail.sent_at,
        body_text=mail.body_text,
        raw_sha256=raw_sha256,
        raw_size=raw_size,
        message_document=printed,
        created_at=received_at,
        duplicate_of=duplicate_of,
    )
    IncomingAttachment.objects.bulk_create(
        IncomingAttachment(
            incoming=incoming,
            order=order,
            filename=filename,
            content_type=content_type,
            size=size,
            document=document,
            refusal=refusal,
        )
        for order, (filename, content_type, size, document, refusal) in enumerate(stored, 1)
    )
    event_record(
        actor=None,
        post=mailbox.post,
        action="mail.import",
        obj=incoming,
        after={
            "mailbox": mailbox.pk,
            "message_id": mail.message_id,
            "duplicate_of": duplicate_of.pk if duplicate_of is not None else None,
            "from": mail.from_address,
            "subject": mail.subject,
            "sha256": raw_sha256,
            "documents": [printed.pk, *(s[3].pk for s in stored if s[3] is not None)],
            "refused": [{"name": s[0], "reason": s[4]} for s in stored if s[3] is None],
        },
    )
    return incoming


def _note_fetch(mailbox: Mailbox, report: FetchReport) -> None:
    """Keep when the mailbox was last read and the last error, for the admin screen
    (operational state, not a change of the record: no audit event)."""
    problems = [report.error] if report.error else report.failed
    Mailbox.objects.filter(pk=mailbox.pk).update(
        last_fetch_at=clock.now(), last_error="\n".join(p for p in problems if p)
    )


def mail_fetch_all() -> list[FetchReport]:
    """Fetch every active mailbox, one after another."""
    ids = Mailbox.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True)
    return [mail_fetch(mailbox_id=pk) for pk in list(ids)]
