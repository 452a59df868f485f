"""Receipts by the need-to-know rule: the diarising unit, holders and the chain above them,
within clearance; classified receipts go only to cleared posts, from diarising on."""

from __future__ import annotations

import pytest

from daftar.files.models import Classification
from daftar.lib.errors import InvalidInput, NotFound
from daftar.org.models import User
from daftar.receipts.custody import receipt_return, receipt_send
from daftar.receipts.models import Receipt, ReceiptMovement, Sender
from daftar.receipts.selectors import document_for_actor, receipt_for_actor, receipts_visible
from tests.cast import Cast
from tests.receipts.conftest import register


def sees(person: User, receipt: Receipt) -> bool:
    try:
        receipt_for_actor(person, receipt.pk)
    except NotFound:
        return False
    return True


@pytest.fixture
def cleared_clerk(cast: Cast) -> User:
    """The registry clerk, vetted for Confidential papers."""
    User.objects.filter(pk=cast.registry_clerk.pk).update(clearance=Classification.CONFIDENTIAL)
    cast.registry_clerk.refresh_from_db()
    return cast.registry_clerk


def test_the_diarising_unit_and_the_chain_above_the_holders_see_it(
    cast: Cast, receipt: Receipt
) -> None:
    assert not sees(cast.assistant, receipt) and not sees(cast.deputy_secretary, receipt)
    receipt_send(actor=cast.registry_clerk, receipt_id=receipt.pk, to_post_id=cast.so_post.pk)
    assert sees(cast.deputy_secretary, receipt) and sees(cast.secretary, receipt)
    assert not sees(cast.assistant, receipt)  # the SO's colleague, not below the SO
    assert sees(cast.registry_clerk, receipt)
    assert list(receipts_visible(cast.outsider)) == []


def test_a_receipt_above_the_clerks_clearance_cannot_be_diarised(
    cast: Cast, sender: Sender
) -> None:
    with pytest.raises(InvalidInput, match="no clearance for Confidential"):
        register(cast, sender, classification=Classification.CONFIDENTIAL)
    assert not Receipt.objects.exists()


@pytest.mark.usefixtures("cleared_clerk")
def test_register_and_send_to_a_post_not_cleared_is_refused_whole(
    cast: Cast, sender: Sender
) -> None:
    with pytest.raises(InvalidInput, match="holds no clearance for Confidential"):
        register(
            cast,
            sender,
            classification=Classification.CONFIDENTIAL,
            send_to_post_id=cast.assistant_post.pk,
        )
    assert not Receipt.objects.exists()  # and the diary number was not used up
    receipt = register(
        cast, sender, classification=Classification.CONFIDENTIAL, send_to_post_id=cast.so_post.pk
    )
    assert receipt.diary_number.startswith("1/")
    assert not sees(cast.assistant, receipt)  # the section's, but above his clearance
    with pytest.raises(InvalidInput, match="holds no clearance for Confidential"):
        receipt_send(
            actor=cast.section_officer, receipt_id=receipt.pk, to_post_id=cast.assistant_post.pk
        )
    receipt_send(actor=cast.section_officer, receipt_id=receipt.pk, to_post_id=cast.ds_post.pk)
    assert ReceiptMovement.objects.filter(receipt=receipt).count() == 3


def test_a_return_to_a_post_no_longer_cleared_is_refused(
    cast: Cast, sender: Sender, cleared_clerk: User
) -> None:
    receipt = register(
        cast, sender, classification=Classification.CONFIDENTIAL, send_to_post_id=cast.so_post.pk
    )
    User.objects.filter(pk=cleared_clerk.pk).update(clearance=Classification.RESTRICTED)
    with pytest.raises(InvalidInput, match="holds no clearance for Confidential"):
        receipt_return(actor=cast.section_officer, receipt_id=receipt.pk)
    receipt.refresh_from_db()
    assert receipt.holder_id == cast.so_post.pk


def test_a_document_is_seen_through_its_receipt_only(cast: Cast, sender: Sender) -> None:
    """``document_for_actor``: the receipt's rule decides; a document of another receipt,
    even one the actor may see, is not reached through this one."""
    first, second = register(cast, sender), register(cast, sender, subject="Second letter")
    doc = first.documents.get().document_id
    attached = document_for_actor(cast.registry_clerk, first.pk, doc)
    assert attached.document_id == doc and attached.receipt == first
    with pytest.raises(NotFound):
        document_for_actor(cast.registry_clerk, second.pk, doc)  # not this receipt's
    with pytest.raises(NotFound):
        document_for_actor(cast.outsider, first.pk, doc)  # another Division's receipt
