"""Completing a draft into an e-mail receipt, discarding one, and who may see drafts."""

from __future__ import annotations

import pytest
from pytest_django import DjangoAssertNumQueries

from daftar.lib.errors import Conflict, InvalidInput, NotFound
from daftar.mailroom.fetching import mail_fetch
from daftar.mailroom.models import IncomingMail, IncomingStatus, Mailbox
from daftar.mailroom.selectors import (
    incoming_attachments,
    incoming_for_actor,
    incoming_raw,
    incoming_waiting,
)
from daftar.mailroom.services import mail_discard, mail_register
from daftar.org import services as org
from daftar.receipts.models import Mode, Receipt, ReceiptStatus, Sender
from daftar.receipts.selectors import receipt_documents
from daftar.receipts.senders import sender_create
from tests.cast import Cast
from tests.conftest import last_event
from tests.mailroom.conftest import MailServer
from tests.mailroom.test_fetch import PDF, letter


@pytest.fixture
def draft(registry_mailbox: Mailbox, mail_server: MailServer, imap_user: str) -> IncomingMail:
    mail_server.send(
        letter(
            attachments=[
                ("release-order.pdf", "application/pdf", PDF),
                ("notes.txt", "text/plain", b"not a document we keep"),
            ]
        ),
        to_user=imap_user,
    )
    report = mail_fetch(mailbox_id=registry_mailbox.pk)
    assert report.ok and len(report.imported) == 1, report
    return IncomingMail.objects.get(pk=report.imported[0])


def test_completing_a_draft_diarises_an_email_receipt(cast: Cast, draft: IncomingMail) -> None:
    receipt = mail_register(actor=cast.registry_clerk, incoming_id=draft.pk)

    receipt.refresh_from_db()
    assert receipt.diary_number.startswith("1/") and receipt.diary_number.endswith("/R&I")
    assert receipt.mode == Mode.EMAIL
    assert receipt.registry == cast.registry and receipt.holder == cast.registry_post
    assert receipt.status == ReceiptStatus.OPEN
    assert receipt.subject == "Release of funds for Satpara dam"
    assert receipt.letter_date is not None and receipt.letter_date <= receipt.received_on
    # A new directory entry from the From header.
    sender = receipt.sender
    assert (sender.name, sender.email) == ("Tariq Mahmood", "chief.water@pc.gov.pk")
    last_event(sender, "sender.create")
    # The message as PDF first, then the stored attachment; the refused one is not there.
    stored = [a.document_id for a in incoming_attachments(draft) if a.document_id]
    assert [d.document_id for d in receipt_documents(receipt)] == [
        draft.message_document_id,
        *stored,
    ]
    draft.refresh_from_db()
    assert draft.status == IncomingStatus.REGISTERED and draft.receipt == receipt
    assert draft.decided_by == cast.registry_clerk
    event = last_event(draft, "mail.register")
    assert event.actor == cast.registry_clerk and event.post == cast.registry_post
    assert event.after == {
        "status": "registered",
        "receipt": receipt.pk,
        "diary_number": receipt.diary_number,
    }
    registered = last_event(receipt, "receipt.register")
    assert registered.after is not None and registered.after["mode"] == Mode.EMAIL
    # Dealt with: neither registered again nor discarded.
    with pytest.raises(Conflict):
        mail_register(actor=cast.registry_clerk, incoming_id=draft.pk)
    with pytest.raises(Conflict):
        mail_discard(actor=cast.registry_clerk, incoming_id=draft.pk, reason="spam")


def test_completing_reuses_the_sender_with_that_address_and_takes_the_clerks_entries(
    cast: Cast, draft: IncomingMail
) -> None:
    known = sender_create(
        actor=cast.registry_clerk,
        organisation="Planning Commission",
        name="Tariq Mahmood",
        designation="Chief (Water)",
        email="chief.water@pc.gov.pk",
    )

    receipt = mail_register(
        actor=cast.registry_clerk,
        incoming_id=draft.pk,
        subject="Satpara dam: release of the second instalment",
        letter_number="PC/W/2026/114",
        send_to_post_id=cast.so_post.pk,
        send_remarks="For necessary action",
    )

    receipt.refresh_from_db()
    assert receipt.sender == known and Sender.objects.count() == 1
    assert receipt.subject == "Satpara dam: release of the second instalment"
    assert receipt.letter_number == "PC/W/2026/114"
    assert receipt.holder == cast.so_post  # registered and sent on in the same step


def test_a_subject_too_long_for_the_diary_is_cut(
    cast: Cast, registry_mailbox: Mailbox, mail_server: MailServer, imap_user: str
) -> None:
    mail_server.send(letter(subject="Satpara " * 100), to_user=imap_user)
    [incoming_id] = mail_fetch(mailbox_id=registry_mailbox.pk).imported

    receipt = mail_register(actor=cast.registry_clerk, incoming_id=incoming_id)

    assert len(receipt.subject) <= 500 and receipt.subject.startswith("Satpara Satpara")


def test_a_failed_registration_changes_nothing(cast: Cast, draft: IncomingMail) -> None:
    with pytest.raises(InvalidInput):
        mail_register(actor=cast.registry_clerk, incoming_id=draft.pk, subject="  ")
    draft.refresh_from_db()
    assert draft.status == IncomingStatus.NEW and draft.receipt is None
    assert not Receipt.objects.exists() and not Sender.objects.exists()


def test_discarding_keeps_the_message_and_says_why(cast: Cast, draft: IncomingMail) -> None:
    with pytest.raises(InvalidInput):
        mail_discard(actor=cast.registry_clerk, incoming_id=draft.pk, reason=" ")

    mail_discard(actor=cast.registry_clerk, incoming_id=draft.pk, reason="Duplicate of fax")

    draft.refresh_from_db()
    assert draft.status == IncomingStatus.DISCARDED
    assert draft.discard_reason == "Duplicate of fax"
    event = last_event(draft, "mail.discard")
    assert event.after == {"status": "discarded", "reason": "Duplicate of fax"}
    assert incoming_raw(cast.registry_clerk, draft.pk)  # still there
    with pytest.raises(Conflict):
        mail_register(actor=cast.registry_clerk, incoming_id=draft.pk)


def test_outsiders_get_404_on_drafts(cast: Cast, draft: IncomingMail) -> None:
    for person in (cast.outsider, cast.section_officer, cast.secretary):
        with pytest.raises(NotFound):
            incoming_for_actor(person, draft.pk)
        with pytest.raises(NotFound):
            incoming_raw(person, draft.pk)
        with pytest.raises(NotFound):
            mail_register(actor=person, incoming_id=draft.pk)
        with pytest.raises(NotFound):
            mail_discard(actor=person, incoming_id=draft.pk, reason="not mine")
        with pytest.raises(NotFound):
            incoming_waiting(person, post_id=cast.registry_post.pk)
    with pytest.raises(NotFound):
        incoming_for_actor(cast.registry_clerk, draft.pk + 1000)
    draft.refresh_from_db()
    assert draft.status == IncomingStatus.NEW


def test_drafts_waiting_at_a_post(
    cast: Cast,
    registry_mailbox: Mailbox,
    mail_server: MailServer,
    imap_user: str,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    for n in range(3):
        mail_server.send(letter(subject=f"Letter {n}"), to_user=imap_user)
    report = mail_fetch(mailbox_id=registry_mailbox.pk)
    assert len(report.imported) == 3
    mail_discard(actor=cast.registry_clerk, incoming_id=report.imported[1], reason="spam")

    with django_assert_num_queries(2):  # the posts held, then the drafts with their mailbox
        waiting = list(incoming_waiting(cast.registry_clerk, post_id=cast.registry_post.pk))
        names = [(d.subject, d.mailbox.name) for d in waiting]
    assert names == [("Letter 0", "registry@mowr.gov.pk"), ("Letter 2", "registry@mowr.gov.pk")]


def test_a_draft_fetched_before_the_post_changed_hands(cast: Cast, draft: IncomingMail) -> None:
    """The documents were stored in the old clerk's name; the new clerk registers them."""
    import datetime as dt

    from daftar.lib import clock
    from daftar.org.models import Charge

    today = clock.now().date()
    Charge.objects.filter(post=cast.registry_post).update(end=today - dt.timedelta(days=1))
    newcomer = org.person_create(
        actor=None, email="registry2@mowr.gov.pk", full_name="Sana Javed", password="x" * 16
    )
    org.charge_assign(actor=None, person=newcomer, post=cast.registry_post, start=today)

    receipt = mail_register(actor=newcomer, incoming_id=draft.pk)

    documents = [d.document for d in receipt_documents(receipt)]
    assert all(d.uploaded_by == newcomer for d in documents)
    assert documents[0].sha256 == draft.message_document.sha256  # the same bytes
