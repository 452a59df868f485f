"""The receipts inbox: order (unread, priority, due date, waiting) and query counts that do
not grow with the desk."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from daftar.files.models import Priority
from daftar.lib import clock
from daftar.receipts.custody import receipt_close, receipt_mark_read, receipt_send
from daftar.receipts.models import Receipt, ReceiptStatus, Sender
from daftar.receipts.selectors import (
    receipt_for_actor,
    receipt_inbox,
    receipt_inbox_counts,
    receipt_timeline,
    receipts_sent,
)
from tests.cast import Cast
from tests.receipts.conftest import register


def _send(cast: Cast, receipt: Receipt, **kw: object) -> None:
    receipt_send(
        actor=cast.registry_clerk,
        receipt_id=receipt.pk,
        to_post_id=cast.so_post.pk,
        **kw,  # type: ignore[arg-type]
    )


def test_inbox_order_unread_then_priority_due_and_waiting(cast: Cast, sender: Sender) -> None:
    start = clock.now() - dt.timedelta(days=3)
    made = []
    for hours in range(5):
        with clock.frozen_at(start + dt.timedelta(hours=hours)):
            made.append(register(cast, sender))
    routine_old, routine_new, immediate, due_soon, opened = made
    today = clock.now().date()
    with clock.frozen_at(start + dt.timedelta(hours=6)):
        _send(cast, routine_old)
        _send(cast, routine_new)
        _send(cast, immediate, priority=Priority.IMMEDIATE)
        _send(cast, due_soon, due_on=today + dt.timedelta(days=1))
        _send(cast, opened, priority=Priority.MOST_IMMEDIATE)
    receipt_mark_read(actor=cast.section_officer, receipt_id=opened.pk)
    order = [r.pk for r in receipt_inbox(cast.so_post.pk)]
    assert order == [immediate.pk, due_soon.pk, routine_old.pk, routine_new.pk, opened.pk]

    receipt_close(actor=cast.section_officer, receipt_id=routine_old.pk)
    assert routine_old.pk not in [r.pk for r in receipt_inbox(cast.so_post.pk)]
    closed = receipt_inbox(cast.so_post.pk, status=ReceiptStatus.CLOSED)
    assert [r.pk for r in closed] == [routine_old.pk]
    counts = receipt_inbox_counts([cast.so_post.pk, cast.registry_post.pk])
    assert (counts[cast.so_post.pk].open, counts[cast.so_post.pk].unread) == (4, 3)
    assert counts[cast.registry_post.pk].open == 0


def _read_inbox(post_id: int) -> int:
    with CaptureQueriesContext(connection) as ctx:
        for receipt in receipt_inbox(post_id)[:25]:
            movement = receipt.current_movement
            assert movement is not None
            _ = (
                receipt.diary_number,
                receipt.subject,
                str(receipt.sender),
                movement.remarks,
                movement.from_post.designation if movement.from_post else "",
            )
        receipt_inbox_counts([post_id])
    return len(ctx.captured_queries)


def test_inbox_query_count_is_constant(cast: Cast, sender: Sender) -> None:
    others = [
        Sender.objects.create(
            organisation=f"Office {i}", created_by=cast.registry_clerk, created_at=clock.now()
        )
        for i in range(6)
    ]
    _send(cast, register(cast, sender))
    small = _read_inbox(cast.so_post.pk)
    for other in others:
        for _ in range(3):
            _send(cast, register(cast, other))
    assert Receipt.objects.filter(holder=cast.so_post).count() == 19
    assert _read_inbox(cast.so_post.pk) == small == 2


def test_timeline_and_sent_items_query_counts(cast: Cast, receipt: Receipt) -> None:
    hops = [cast.assistant_post, cast.so_post, cast.ds_post]
    people = [cast.registry_clerk, cast.assistant, cast.section_officer]
    for person, post in zip(people, hops, strict=True):
        receipt_send(actor=person, receipt_id=receipt.pk, to_post_id=post.pk)
    with CaptureQueriesContext(connection) as ctx:
        line = receipt_timeline(receipt)
        sent = list(receipts_sent(cast.registry_post.pk))
        _ = [s.receipt.holder.designation for s in sent]
    assert len(line) == 4 and len(sent) == 1
    assert len(ctx.captured_queries) == 2
    with CaptureQueriesContext(connection) as ctx:
        found = receipt_for_actor(cast.deputy_secretary, receipt.pk)
        _ = (found.holder.unit.name, found.registry.name, str(found.sender))
    assert len(ctx.captured_queries) == 1
