"""Concurrency on PostgreSQL (the style of tests/movement/test_concurrency.py): threads on
their own connections, lined up on a barrier, diarise and send at once."""

from __future__ import annotations

from functools import partial

import pytest

from daftar.audit.models import AuditEvent
from daftar.lib.errors import Conflict, InvalidInput
from daftar.org.models import Sequence
from daftar.receipts.custody import receipt_mark_read, receipt_pull_back, receipt_send
from daftar.receipts.diary import receipt_register
from daftar.receipts.models import Mode, Receipt, ReceiptDocument, ReceiptMovement
from daftar.receipts.senders import sender_create
from tests.cast import Cast, make_cast
from tests.movement.test_concurrency import run_together
from tests.receipts.conftest import register, today, upload

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cast() -> Cast:
    return make_cast()


def test_concurrent_diarisation_is_gap_free(cast: Cast) -> None:
    threads, per_thread = 8, 10
    sender = sender_create(actor=cast.registry_clerk, organisation="Planning Commission")
    # Each thread diarises electronic receipts with its own uploads.
    uploads = [[upload(cast.registry_clerk).pk for _ in range(per_thread)] for _ in range(threads)]

    def diarist(index: int) -> list[Receipt]:
        return [
            receipt_register(
                actor=cast.registry_clerk,
                post_id=cast.registry_post.pk,
                sender_id=sender.pk,
                subject=f"Batch {index}-{n}",
                received_on=today(),
                mode=Mode.POST,
                document_ids=[uploads[index][n]],
            )
            for n in range(per_thread)
        ]

    results = run_together([partial(diarist, i) for i in range(threads)])
    made = [r for batch in results for r in batch]
    total = threads * per_thread
    assert sorted(r.serial for r in made) == list(range(1, total + 1))
    assert len({r.diary_number for r in made}) == total
    assert len({r.reference for r in made}) == total
    stored = Receipt.objects.filter(registry=cast.registry)
    assert sorted(stored.values_list("serial", flat=True)) == list(range(1, total + 1))
    (sequence,) = Sequence.objects.filter(key__startswith=f"diary:{cast.registry.pk}:")
    assert sequence.last_value == total
    assert ReceiptDocument.objects.count() == total
    assert AuditEvent.objects.filter(action="receipt.register").count() == total


def test_one_upload_diarised_twice_at_once_makes_one_receipt(cast: Cast) -> None:
    sender = sender_create(actor=cast.registry_clerk, organisation="IRSA")
    for _ in range(3):
        shared = upload(cast.registry_clerk)
        results = run_together(
            [partial(register, cast, sender, document_ids=[shared.pk]) for _ in range(4)]
        )
        assert sum(isinstance(r, Receipt) for r in results) == 1
        assert sum(isinstance(r, InvalidInput) for r in results) == 3
        assert ReceiptDocument.objects.filter(document=shared).count() == 1
    # The refusals gave their numbers back.
    serials = sorted(Receipt.objects.values_list("serial", flat=True))
    assert serials == [1, 2, 3]


def test_concurrent_sends_of_one_receipt_have_one_winner(cast: Cast) -> None:
    sender = sender_create(actor=cast.registry_clerk, organisation="WAPDA")
    targets = [cast.so_post, cast.ds_post, cast.secretary_post, cast.assistant_post]
    for _ in range(5):
        receipt = register(cast, sender)
        results = run_together(
            [
                partial(
                    receipt_send,
                    actor=cast.registry_clerk,
                    receipt_id=receipt.pk,
                    to_post_id=post.pk,
                )
                for post in targets
            ]
        )
        winners = [r for r in results if isinstance(r, ReceiptMovement)]
        assert len(winners) == 1
        assert sum(isinstance(r, Conflict) for r in results) == len(targets) - 1
        receipt.refresh_from_db()
        assert receipt.holder_id == winners[0].to_post_id
        assert receipt.current_movement_id == winners[0].pk
        assert ReceiptMovement.objects.filter(receipt=receipt).count() == 2
        events = AuditEvent.objects.filter(object_id=str(receipt.pk), action__startswith="receipt.")
        assert events.exclude(action="receipt.register").count() == 1


def test_pull_back_races_the_receiver_opening(cast: Cast) -> None:
    sender = sender_create(actor=cast.registry_clerk, organisation="NESPAK")
    outcomes = {"pulled": 0, "opened": 0}
    for _ in range(8):
        receipt = register(cast, sender)
        sent = receipt_send(
            actor=cast.registry_clerk, receipt_id=receipt.pk, to_post_id=cast.assistant_post.pk
        )
        pull, opened = run_together(
            [
                partial(receipt_pull_back, actor=cast.registry_clerk, receipt_id=receipt.pk),
                partial(receipt_mark_read, actor=cast.assistant, receipt_id=receipt.pk),
            ]
        )
        sent.refresh_from_db()
        receipt.refresh_from_db()
        if isinstance(pull, ReceiptMovement):
            outcomes["pulled"] += 1
            assert sent.read_at is None and receipt.holder_id == cast.registry_post.pk
            assert opened is False or isinstance(opened, Exception)
        else:
            outcomes["opened"] += 1
            assert isinstance(pull, Conflict) and opened is True
            assert sent.pulled_back_at is None and receipt.holder_id == cast.assistant_post.pk
        current = receipt.current_movement
        assert current is not None and receipt.holder_id == current.to_post_id
        assert receipt.inbox_unread == (current.read_at is None)
    assert sum(outcomes.values()) == 8
