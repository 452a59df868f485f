"""The acknowledgement slip: a PDF (WeasyPrint) with the diary number, date, subject and a
reference, e-mailed to the sender through a real SMTP server (aiosmtpd on 127.0.0.1)."""

from __future__ import annotations

import email
import email.policy
import io
import socket
from collections.abc import Iterator
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from pypdf import PdfReader
from pypdf.generic import DictionaryObject
from pytest_django.fixtures import Settings

from daftar.audit.models import AuditEvent
from daftar.lib.errors import Conflict, InvalidInput, NotFound
from daftar.receipts.acknowledge import receipt_acknowledge
from daftar.receipts.acknowledgement import (
    CROCKFORD,
    acknowledgement_pdf,
    display_reference,
    normalise_reference,
    reference_for,
)
from daftar.receipts.custody import receipt_send
from daftar.receipts.models import Language, Receipt, Sender
from daftar.receipts.selectors import receipt_by_reference_for_actor
from daftar.receipts.senders import sender_create
from tests.cast import Cast
from tests.conftest import last_event
from tests.receipts.conftest import register


class Inbox:
    """An aiosmtpd handler keeping every message it accepts."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self) -> list[EmailMessage]:
        found = []
        for envelope in self.envelopes:
            content = envelope.content
            assert isinstance(content, bytes)
            message = email.message_from_bytes(content, policy=email.policy.default)
            assert isinstance(message, EmailMessage)
            found.append(message)
        return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def smtp(settings: Settings) -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 10
    settings.DEFAULT_FROM_EMAIL = "R&I <registry@mowr.gov.pk>"
    try:
        yield inbox
    finally:
        controller.stop()


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_acknowledge_emails_the_slip_after_commit(
    cast: Cast, receipt: Receipt, smtp: Inbox
) -> None:
    result = receipt_acknowledge(actor=cast.registry_clerk, receipt_id=receipt.pk)
    assert result.emailed_to == "chief.water@pc.gov.pk" and result.error is None
    assert result.reference == display_reference(receipt.reference)
    event = last_event(receipt, "receipt.acknowledge")
    assert event.actor == cast.registry_clerk and event.post == cast.registry_post
    assert event.after == {"email": "chief.water@pc.gov.pk", "reference": receipt.reference}

    (envelope,) = smtp.envelopes
    assert envelope.rcpt_tos == ["chief.water@pc.gov.pk"]
    assert envelope.mail_from == "registry@mowr.gov.pk"
    (message,) = smtp.messages()
    assert receipt.diary_number in str(message["Subject"])
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    assert result.reference in body.get_content()
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    pdf = attachment.get_content()
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    for expected in (
        "Acknowledgement of receipt",
        receipt.diary_number,
        "Release of funds for Satpara dam",
        receipt.received_on.strftime("%-d %B %Y"),
        result.reference,
        "Water Resources Division",
        "Central Registry",
        "Tariq Mahmood, Chief (Water) (Planning Commission)",
        "F.4(12)/2026-Dev",
    ):
        assert expected in text, (expected, text)


def test_acknowledge_without_email_returns_the_slip_to_print(
    cast: Cast, receipt: Receipt, smtp: Inbox
) -> None:
    result = receipt_acknowledge(actor=cast.registry_clerk, receipt_id=receipt.pk, email=False)
    assert result.emailed_to is None and result.error is None
    assert receipt.diary_number in pdf_text(result.pdf)
    assert last_event(receipt, "receipt.acknowledge").after == {
        "email": None,
        "reference": receipt.reference,
    }
    assert smtp.envelopes == []


def test_acknowledge_by_email_needs_an_address(cast: Cast, smtp: Inbox) -> None:
    walk_in = sender_create(actor=cast.registry_clerk, name="Muhammad Aslam", address="Skardu")
    receipt = register(cast, walk_in, is_physical=True)
    with pytest.raises(InvalidInput, match="no e-mail address"):
        receipt_acknowledge(actor=cast.registry_clerk, receipt_id=receipt.pk)
    assert not AuditEvent.objects.filter(action="receipt.acknowledge").exists()
    assert smtp.envelopes == []


def test_who_may_acknowledge(cast: Cast, receipt: Receipt, smtp: Inbox) -> None:
    receipt_send(
        actor=cast.registry_clerk, receipt_id=receipt.pk, to_post_id=cast.assistant_post.pk
    )
    receipt_send(actor=cast.assistant, receipt_id=receipt.pk, to_post_id=cast.so_post.pk)
    with pytest.raises(NotFound):
        receipt_acknowledge(actor=cast.outsider, receipt_id=receipt.pk)
    with pytest.raises(Conflict, match="diarised"):
        receipt_acknowledge(actor=cast.assistant, receipt_id=receipt.pk)  # held it once only
    by_holder = receipt_acknowledge(actor=cast.section_officer, receipt_id=receipt.pk)
    assert last_event(receipt, "receipt.acknowledge").post == cast.so_post
    by_registry = receipt_acknowledge(actor=cast.registry_clerk, receipt_id=receipt.pk)
    assert last_event(receipt, "receipt.acknowledge").post == cast.registry_post
    assert by_holder.reference == by_registry.reference
    assert len(smtp.envelopes) == 2


def test_a_failed_delivery_is_recorded_and_reported(
    cast: Cast, receipt: Receipt, settings: Settings
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens there
    result = receipt_acknowledge(actor=cast.registry_clerk, receipt_id=receipt.pk)
    assert result.emailed_to is None and result.error
    assert result.pdf.startswith(b"%PDF")  # still there to print and post
    assert last_event(receipt, "receipt.acknowledge").after is not None
    failed = last_event(receipt, "receipt.acknowledge_failed")
    assert failed.actor == cast.registry_clerk
    assert failed.after == {"email": "chief.water@pc.gov.pk", "error": result.error}


def test_references_are_short_keyed_and_forgiving(
    cast: Cast, receipt: Receipt, sender: Sender, settings: Settings
) -> None:
    other = register(cast, sender)
    assert receipt.reference != other.reference
    assert len(receipt.reference) == 8 and set(receipt.reference) <= set(CROCKFORD)
    assert receipt.reference == reference_for(receipt.diary_number)
    shown = display_reference(receipt.reference)
    assert shown[4] == "-"
    # Read over the telephone: lower case, spaces, O for zero and I or L for one.
    spoken = shown.lower().replace("0", "o").replace("1", "l").replace("-", " ")
    assert normalise_reference(spoken) == receipt.reference
    assert receipt_by_reference_for_actor(cast.registry_clerk, spoken) == receipt
    with pytest.raises(NotFound):
        receipt_by_reference_for_actor(cast.outsider, shown)
    settings.SECRET_KEY = "another instance's key " * 3
    assert reference_for(receipt.diary_number) != receipt.reference  # not guessable


def test_a_colliding_reference_takes_the_next_one(
    cast: Cast, receipt: Receipt, sender: Sender
) -> None:
    """Make the first receipt hold the reference the second one would get."""
    second_number = f"2/{receipt.year}/R&I"
    Receipt.objects.filter(pk=receipt.pk).update(reference=reference_for(second_number))
    second = register(cast, sender)
    assert second.diary_number == second_number
    assert second.reference == reference_for(second_number, attempt=1)
    assert second.reference != reference_for(second_number)


def test_an_urdu_subject_is_set_in_nastaliq(cast: Cast, sender: Sender) -> None:
    receipt = register(
        cast,
        sender,
        subject="ستپارہ ڈیم کے لیے فنڈز کا اجرا",
        language=Language.URDU,
    )
    pdf = acknowledgement_pdf(receipt)
    reader = PdfReader(io.BytesIO(pdf))
    fonts = set()
    for page in reader.pages:
        resources = page["/Resources"].get_object()
        assert isinstance(resources, DictionaryObject)
        font_table = resources["/Font"].get_object()
        assert isinstance(font_table, DictionaryObject)
        for font in font_table.values():
            described = font.get_object()
            assert isinstance(described, DictionaryObject)
            fonts.add(str(described["/BaseFont"]))
    assert any("Noto-Nastaliq-Urdu" in name for name in fonts), fonts
    assert receipt.diary_number in pdf_text(pdf)
