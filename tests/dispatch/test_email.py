"""E-mail delivery against a real SMTP server on loopback (aiosmtpd): the signed PDF arrives
attached, byte for byte, and its signatures verify; a server that is down leaves the
delivery failed with the reason, and a retry sends it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from pytest_django.fixtures import Settings

from daftar.dispatch.delivery import delivery_retry
from daftar.dispatch.models import DeliveryStatus
from daftar.dispatch.services import letter_issue
from daftar.documents.selectors import document_bytes
from daftar.files.models import File
from daftar.signing.api import pdf_verify
from tests.cast import Cast
from tests.conftest import last_event
from tests.dispatch.conftest import after, approved, signed, to_outside
from tests.receipts.test_acknowledge import Inbox, free_port

Capture = Callable[..., Any]


def _mail_settings(settings: Settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 10
    settings.DEFAULT_FROM_EMAIL = "R&I <registry@mowr.gov.pk>"


@pytest.fixture
def smtp(settings: Settings) -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    _mail_settings(settings, controller.port)
    try:
        yield inbox
    finally:
        controller.stop()


def test_the_letter_is_emailed_with_the_signed_pdf(
    cast: Cast, file: File, smtp: Inbox, django_capture_on_commit_callbacks: Capture
) -> None:
    draft = approved(cast, file, [to_outside()])
    fair_copy = signed(cast, draft)
    with django_capture_on_commit_callbacks(execute=True):
        dispatch = letter_issue(actor=cast.deputy_secretary, draft_id=draft.pk)
    delivery = dispatch.deliveries.get()
    assert delivery.status == DeliveryStatus.SENT and delivery.delivered_at is not None
    (envelope,) = smtp.envelopes
    assert envelope.rcpt_tos == ["chairman@wapda.gov.pk"]
    (message,) = smtp.messages()
    assert message["Message-ID"] == delivery.message_id and "@mowr.gov.pk>" in delivery.message_id
    assert fair_copy.letter_number in message["Subject"]
    assert dispatch.number in message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    pdf = attachment.get_content()
    assert pdf == document_bytes(fair_copy.document)
    report = pdf_verify(pdf)
    assert report.ok and len(report.signatures) == 2
    event = last_event(dispatch, "dispatch.deliver")
    assert after(event)["message_id"] == delivery.message_id
    assert event.actor == cast.deputy_secretary


def test_a_server_down_fails_and_the_retry_sends(
    cast: Cast, file: File, settings: Settings, django_capture_on_commit_callbacks: Capture
) -> None:
    port = free_port()
    _mail_settings(settings, port)  # nothing listens there yet
    draft = approved(cast, file, [to_outside()])
    signed(cast, draft)
    with django_capture_on_commit_callbacks(execute=True):
        dispatch = letter_issue(actor=cast.deputy_secretary, draft_id=draft.pk)
    delivery = dispatch.deliveries.get()
    assert delivery.status == DeliveryStatus.FAILED and delivery.error
    assert delivery.message_id == "" and delivery.attempts == 1
    assert after(last_event(dispatch, "dispatch.deliver_failed"))["error"] == delivery.error

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        done = delivery_retry(actor=cast.deputy_secretary, delivery_id=delivery.pk)
    finally:
        controller.stop()
    assert done.status == DeliveryStatus.SENT and done.error == "" and done.attempts == 2
    assert len(inbox.envelopes) == 1
    with pytest.raises(Exception, match="Only a failed delivery"):
        delivery_retry(actor=cast.deputy_secretary, delivery_id=delivery.pk)
