"""The custody rules of files, on receipts: one holder, only the holder acts, pull back only
before opening; every change writes its audit event; outsiders get 404."""

from __future__ import annotations

import datetime as dt

import pytest

from daftar.lib import clock
from daftar.lib.errors import Conflict, InvalidInput, NotFound
from daftar.org.models import Post
from daftar.receipts.custody import (
    receipt_close,
    receipt_mark_read,
    receipt_pull_back,
    receipt_return,
    receipt_send,
)
from daftar.receipts.models import Receipt, ReceiptAction, ReceiptMovement, ReceiptStatus
from daftar.receipts.selectors import ReceiptCustodySpell, receipt_timeline
from tests.cast import Cast
from tests.conftest import last_event


def test_mark_to_the_section_put_up_and_return(cast: Cast, receipt: Receipt) -> None:
    across = receipt_send(
        actor=cast.registry_clerk,
        receipt_id=receipt.pk,
        to_post_id=cast.assistant_post.pk,
        remarks="Dealing hand, please.",
    )
    assert across.action == ReceiptAction.SEND_ACROSS
    event = last_event(receipt, "receipt.send_across")
    assert event.actor == cast.registry_clerk and event.post == cast.registry_post
    assert event.before == {"holder": cast.registry_post.code}
    assert event.after is not None and event.after["remarks"] == "Dealing hand, please."

    up = receipt_send(actor=cast.assistant, receipt_id=receipt.pk, to_post_id=cast.so_post.pk)
    assert up.action == ReceiptAction.PUT_UP
    assert last_event(receipt, "receipt.put_up").actor == cast.assistant
    down = receipt_send(
        actor=cast.section_officer, receipt_id=receipt.pk, to_post_id=cast.assistant_post.pk
    )
    assert down.action == ReceiptAction.RETURN  # back to where it came from
    back = receipt_return(actor=cast.assistant, receipt_id=receipt.pk, remarks="Seen.")
    assert back.action == ReceiptAction.RETURN and back.to_post == cast.so_post
    event = last_event(receipt, "receipt.return")
    assert event.actor == cast.assistant and event.after is not None
    assert event.after["holder"] == cast.so_post.code
    receipt.refresh_from_db()
    assert receipt.holder == cast.so_post
    assert receipt.current_movement == back
    assert receipt.inbox_unread is True and receipt.inbox_since == back.sent_at
    # A senior marking down to someone who never had it.
    receipt_send(
        actor=cast.section_officer, receipt_id=receipt.pk, to_post_id=cast.assistant_post.pk
    )
    receipt_send(actor=cast.assistant, receipt_id=receipt.pk, to_post_id=cast.ds_post.pk)
    down2 = receipt_send(
        actor=cast.deputy_secretary, receipt_id=receipt.pk, to_post_id=cast.assistant_post.pk
    )
    assert down2.action == ReceiptAction.RETURN
    assert last_event(receipt, "receipt.return").actor == cast.deputy_secretary


def test_mark_down_and_outsiders_cannot_act(cast: Cast, receipt: Receipt) -> None:
    receipt_send(
        actor=cast.registry_clerk, receipt_id=receipt.pk, to_post_id=cast.secretary_post.pk
    )
    down = receipt_send(actor=cast.secretary, receipt_id=receipt.pk, to_post_id=cast.so_post.pk)
    assert down.action == ReceiptAction.MARK_DOWN
    assert last_event(receipt, "receipt.mark_down").post == cast.secretary_post
    for call in (
        lambda: receipt_send(
            actor=cast.outsider, receipt_id=receipt.pk, to_post_id=cast.outsider_post.pk
        ),
        lambda: receipt_return(actor=cast.outsider, receipt_id=receipt.pk),
        lambda: receipt_pull_back(actor=cast.outsider, receipt_id=receipt.pk),
        lambda: receipt_mark_read(actor=cast.outsider, receipt_id=receipt.pk),
        lambda: receipt_close(actor=cast.outsider, receipt_id=receipt.pk),
    ):
        with pytest.raises(NotFound):
            call()
    receipt.refresh_from_db()
    assert receipt.holder == cast.so_post


def test_only_the_holder_acts(cast: Cast, receipt: Receipt) -> None:
    receipt_send(actor=cast.registry_clerk, receipt_id=receipt.pk, to_post_id=cast.so_post.pk)
    with pytest.raises(Conflict, match="now with Section Officer"):
        receipt_send(actor=cast.registry_clerk, receipt_id=receipt.pk, to_post_id=cast.ds_post.pk)
    with pytest.raises(Conflict, match="now with Section Officer"):
        receipt_close(actor=cast.registry_clerk, receipt_id=receipt.pk)
    assert receipt.movements.count() == 2


def test_send_refuses_bad_input_and_changes_nothing(cast: Cast, receipt: Receipt) -> None:
    with pytest.raises(InvalidInput, match="already with this post"):
        receipt_send(
            actor=cast.registry_clerk, receipt_id=receipt.pk, to_post_id=cast.registry_post.pk
        )
    with pytest.raises(InvalidInput, match="No such post"):
        receipt_send(actor=cast.registry_clerk, receipt_id=receipt.pk, to_post_id=999_999)
    Post.objects.filter(pk=cast.ds_post.pk).update(is_active=False)
    with pytest.raises(InvalidInput, match="no longer an active post"):
        receipt_send(actor=cast.registry_clerk, receipt_id=receipt.pk, to_post_id=cast.ds_post.pk)
    yesterday = clock.now().date() - dt.timedelta(days=1)
    with pytest.raises(InvalidInput, match="past"):
        receipt_send(
            actor=cast.registry_clerk,
            receipt_id=receipt.pk,
            to_post_id=cast.so_post.pk,
            due_on=yesterday,
        )
    with pytest.raises(InvalidInput, match="priority"):
        receipt_send(
            actor=cast.registry_clerk, receipt_id=receipt.pk, to_post_id=cast.so_post.pk, priority=7
        )
    with pytest.raises(Conflict, match="diarised here"):
        receipt_return(actor=cast.registry_clerk, receipt_id=receipt.pk)
    receipt.refresh_from_db()
    assert receipt.holder == cast.registry_post and receipt.movements.count() == 1


def test_pull_back_only_before_opening(cast: Cast, receipt: Receipt) -> None:
    sent = receipt_send(
        actor=cast.registry_clerk, receipt_id=receipt.pk, to_post_id=cast.assistant_post.pk
    )
    with pytest.raises(Conflict, match="Only the post that sent"):
        receipt_pull_back(actor=cast.assistant, receipt_id=receipt.pk)
    pulled = receipt_pull_back(actor=cast.registry_clerk, receipt_id=receipt.pk)
    assert pulled.pk == sent.pk and pulled.pulled_back_at is not None
    receipt.refresh_from_db()
    assert receipt.holder == cast.registry_post
    assert receipt.current_movement_id == sent.previous_id
    assert receipt.inbox_unread is False
    event = last_event(receipt, "receipt.pull_back")
    assert event.actor == cast.registry_clerk and event.post == cast.registry_post
    # The assistant only saw it in the inbox: after the pull back it is not theirs to see.
    with pytest.raises(NotFound):
        receipt_mark_read(actor=cast.assistant, receipt_id=receipt.pk)

    receipt_send(
        actor=cast.registry_clerk, receipt_id=receipt.pk, to_post_id=cast.assistant_post.pk
    )
    assert receipt_mark_read(actor=cast.assistant, receipt_id=receipt.pk) is True
    assert last_event(receipt, "receipt.read").actor == cast.assistant
    assert receipt_mark_read(actor=cast.assistant, receipt_id=receipt.pk) is False  # once
    with pytest.raises(Conflict, match="already opened"):
        receipt_pull_back(actor=cast.registry_clerk, receipt_id=receipt.pk)
    receipt.refresh_from_db()
    assert receipt.holder == cast.assistant_post


def test_acting_opens_the_receipt(cast: Cast, receipt: Receipt) -> None:
    """Sending it on without opening it first still ends the sender's pull back."""
    first = receipt_send(
        actor=cast.registry_clerk, receipt_id=receipt.pk, to_post_id=cast.assistant_post.pk
    )
    receipt_send(actor=cast.assistant, receipt_id=receipt.pk, to_post_id=cast.so_post.pk)
    first.refresh_from_db()
    assert first.read_by == cast.assistant and first.read_at is not None
    with pytest.raises(Conflict):
        receipt_pull_back(actor=cast.registry_clerk, receipt_id=receipt.pk)


def test_close_keeps_it_with_the_holder_and_stops_movement(cast: Cast, receipt: Receipt) -> None:
    receipt_send(
        actor=cast.registry_clerk, receipt_id=receipt.pk, to_post_id=cast.assistant_post.pk
    )
    closed = receipt_close(actor=cast.assistant, receipt_id=receipt.pk, remarks="No action.")
    assert closed.status == ReceiptStatus.CLOSED and closed.closed_at is not None
    event = last_event(receipt, "receipt.close")
    assert event.actor == cast.assistant and event.post == cast.assistant_post
    assert event.after == {"status": "closed", "remarks": "No action."}
    with pytest.raises(Conflict, match="closed"):
        receipt_send(actor=cast.assistant, receipt_id=receipt.pk, to_post_id=cast.so_post.pk)
    with pytest.raises(Conflict, match="already closed"):
        receipt_close(actor=cast.assistant, receipt_id=receipt.pk)


def test_timeline_shows_each_spell_and_pulled_back_sends(cast: Cast, receipt: Receipt) -> None:
    receipt_send(actor=cast.registry_clerk, receipt_id=receipt.pk, to_post_id=cast.ds_post.pk)
    receipt_pull_back(actor=cast.registry_clerk, receipt_id=receipt.pk)
    receipt_send(
        actor=cast.registry_clerk, receipt_id=receipt.pk, to_post_id=cast.assistant_post.pk
    )
    receipt_send(actor=cast.assistant, receipt_id=receipt.pk, to_post_id=cast.so_post.pk)
    line = receipt_timeline(receipt)
    assert [type(s).__name__ for s in line] == [
        "ReceiptCustodySpell",
        "ReceiptMovement",
        "ReceiptCustodySpell",
        "ReceiptCustodySpell",
    ]
    spells = [s for s in line if isinstance(s, ReceiptCustodySpell)]
    assert [s.movement.to_post for s in spells] == [
        cast.registry_post,
        cast.assistant_post,
        cast.so_post,
    ]
    assert spells[0].until == spells[1].since and spells[-1].until is None
    pulled = line[1]
    assert isinstance(pulled, ReceiptMovement) and pulled.to_post == cast.ds_post
    assert pulled.pulled_back_at is not None
