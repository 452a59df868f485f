"""Delivery on Daftar, end to end: the signed letter arrives in the other organisation's
Central Registry as a receipt with the very same PDF, its signatures verify there, and the
sender sees when a person there first opened it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from daftar.audit.models import AuditEvent
from daftar.dispatch.delivery import deliveries_pending_run, delivery_retry
from daftar.dispatch.models import Channel, DeliveryStatus
from daftar.dispatch.services import letter_issue
from daftar.documents.selectors import document_bytes
from daftar.drafting.models import Draft
from daftar.files.models import File
from daftar.files.services import file_open
from daftar.lib import clock
from daftar.org.models import User
from daftar.receipts.models import Mode, Receipt
from daftar.signing.api import pdf_verify, verification_url
from tests.accounts.helpers import sign_in
from tests.cast import Cast
from tests.conftest import last_event
from tests.dispatch.conftest import Planning, after, approved, signed, to_org

Capture = Callable[..., Any]


def test_a_letter_arrives_in_the_other_registry_and_is_received(
    cast: Cast,
    file: File,
    planning: Planning,
    approved_draft: Draft,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    fair_copy = signed(cast, approved_draft)
    with django_capture_on_commit_callbacks(execute=True):
        dispatch = letter_issue(actor=cast.deputy_secretary, draft_id=approved_draft.pk)
    delivery = dispatch.deliveries.get(channel=Channel.INTERNAL)
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.delivered_at is not None
    receipt = delivery.receipt
    assert receipt is not None
    assert receipt.registry == planning.registry and receipt.holder == planning.post
    assert receipt.mode == Mode.INTERNAL and receipt.inbox_unread
    assert receipt.diary_number.endswith("/PD-R&I") and receipt.serial == 1
    assert receipt.subject == fair_copy.version.subject
    assert (receipt.letter_number, receipt.letter_date) == (
        fair_copy.letter_number,
        fair_copy.letter_date,
    )
    assert receipt.sender.organisation == "Water Resources Division"
    assert receipt.sender.name == "Imran Qureshi"
    assert receipt.sender.designation == cast.ds_post.designation
    assert f"Dispatch no. {dispatch.number}" in receipt.remarks
    (attached,) = receipt.documents.select_related("document")
    # Its own row, over the very same stored bytes (no second copy of the blob).
    assert attached.document_id != fair_copy.document_id
    assert attached.document.sha256 == fair_copy.document.sha256
    pdf = document_bytes(attached.document)
    assert pdf == document_bytes(fair_copy.document)
    report = pdf_verify(pdf)
    assert report.ok and [s.kind for s in report.signatures] == ["personal", "seal"]
    (event,) = AuditEvent.objects.filter(
        action="dispatch.deliver", object_id=str(dispatch.pk), after__channel=Channel.INTERNAL
    )
    assert after(event)["receipt"] == receipt.diary_number
    assert after(last_event(receipt, "receipt.register"))["dispatch"] == dispatch.number

    # The clerk in the Planning Division opens it: that is when it was received.
    clerk = Client()
    sign_in(clerk, planning.clerk)
    page = clerk.get(reverse("receipt-detail", args=[receipt.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Arrived on Daftar from Water Resources Division" in text
    assert dispatch.number in text and verification_url(fair_copy.token) in text
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RECEIVED
    assert delivery.received_by == planning.post
    assert delivery.received_at is not None and delivery.received_at >= delivery.delivered_at
    assert last_event(dispatch, "dispatch.received").actor == planning.clerk
    first_seen = delivery.received_at
    clerk.get(reverse("receipt-detail", args=[receipt.pk]))  # a second look changes nothing
    delivery.refresh_from_db()
    assert delivery.received_at == first_seen

    # The sender sees it on the dispatch page.
    sender = Client()
    sign_in(sender, cast.deputy_secretary)
    shown = sender.get(reverse("dispatch-detail", args=[dispatch.pk])).content.decode()
    assert "Received" in shown and planning.post.designation in shown
    assert escape(receipt.diary_number) in shown


def test_no_cleared_holder_in_the_registry_fails_with_the_reason(
    cast: Cast, file: File, django_capture_on_commit_callbacks: Capture
) -> None:
    finance = cast.outsider_post.unit.parent  # no registry, nobody at its top
    assert finance is not None
    draft = approved(cast, file, [to_org(finance)])
    signed(cast, draft)
    receipts = Receipt.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        dispatch = letter_issue(actor=cast.deputy_secretary, draft_id=draft.pk)
    delivery = dispatch.deliveries.get()
    assert delivery.status == DeliveryStatus.FAILED and delivery.receipt is None
    assert "Finance Division has no post held by someone cleared" in delivery.error
    assert Receipt.objects.count() == receipts  # nothing half-written
    assert after(last_event(dispatch, "dispatch.deliver_failed"))["error"] == delivery.error
    # Tried again without a change, it fails again and says so.
    again = delivery_retry(actor=cast.deputy_secretary, delivery_id=delivery.pk)
    assert again.status == DeliveryStatus.FAILED and again.attempts == 2


def test_a_classified_letter_waits_for_a_cleared_holder(
    cast: Cast, planning: Planning, django_capture_on_commit_callbacks: Capture
) -> None:
    User.objects.filter(pk=cast.assistant.pk).update(clearance=2)
    cast.assistant.refresh_from_db()
    file = file_open(
        actor=cast.assistant,
        post_id=cast.assistant_post.pk,
        subject="Dam security",
        classification=2,
    )
    draft = approved(cast, file, [to_org(planning.division)], classification=2)
    signed(cast, draft)
    with django_capture_on_commit_callbacks(execute=True):
        dispatch = letter_issue(actor=cast.deputy_secretary, draft_id=draft.pk)
    delivery = dispatch.deliveries.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert "cleared for Confidential" in delivery.error
    # The clerk is cleared; the retry delivers.
    User.objects.filter(pk=planning.clerk.pk).update(clearance=2)
    done = delivery_retry(actor=cast.deputy_secretary, delivery_id=delivery.pk)
    assert done.status == DeliveryStatus.DELIVERED
    assert done.receipt is not None and done.receipt.classification == 2


def test_a_delivery_whose_after_commit_run_was_lost_is_run_by_the_worker(
    cast: Cast, file: File, planning: Planning, approved_draft: Draft
) -> None:
    signed(cast, approved_draft)
    # Inside the test's transaction the after-commit run never happens: as if the process
    # had stopped right after the commit.
    dispatch = letter_issue(actor=cast.deputy_secretary, draft_id=approved_draft.pk)
    delivery = dispatch.deliveries.get(channel=Channel.INTERNAL)
    by_mail = dispatch.deliveries.get(channel=Channel.EMAIL)
    assert {delivery.status, by_mail.status} == {DeliveryStatus.PENDING}
    assert deliveries_pending_run(older_than=dt.timedelta(minutes=2)) == []  # not lost yet
    with clock.frozen_at(dispatch.issued_at + dt.timedelta(minutes=3)):
        ran = deliveries_pending_run(older_than=dt.timedelta(minutes=2))
        assert ran == sorted([delivery.pk, by_mail.pk])
        assert deliveries_pending_run(older_than=dt.timedelta(minutes=2)) == []
    delivery.refresh_from_db()
    by_mail.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert by_mail.status == DeliveryStatus.SENT and len(mail.outbox) == 1
    assert Receipt.objects.filter(registry=planning.registry).count() == 1
