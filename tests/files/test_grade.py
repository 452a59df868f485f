"""The most restrictive paper sets the file's grade; a grade is lowered only by an officer."""

from __future__ import annotations

import pytest

from daftar.files.correspondence import receipt_put_on_file
from daftar.files.grading import file_classify
from daftar.files.models import Classification, File
from daftar.files.services import file_open
from daftar.lib.errors import InvalidInput
from daftar.movement.services import file_send
from daftar.org.models import User
from daftar.org.services import charge_assign
from daftar.receipts.models import Receipt, ReceiptStatus, Sender
from daftar.receipts.senders import sender_create
from tests.cast import Cast
from tests.conftest import last_event
from tests.receipts.conftest import register


@pytest.fixture
def sender(cast: Cast) -> Sender:
    return sender_create(actor=cast.registry_clerk, organisation="Indus Commission")


@pytest.fixture
def confidential_receipt(cast: Cast, sender: Sender) -> Receipt:
    User.objects.filter(pk=cast.registry_clerk.pk).update(clearance=Classification.CONFIDENTIAL)
    cast.registry_clerk.refresh_from_db()
    return register(
        cast, sender, classification=Classification.CONFIDENTIAL, send_to_post_id=cast.so_post.pk
    )


@pytest.fixture
def so_file(cast: Cast) -> File:
    return file_open(actor=cast.section_officer, post_id=cast.so_post.pk, subject="Dam safety")


def test_a_paper_raises_the_file_to_its_grade(
    cast: Cast, confidential_receipt: Receipt, so_file: File
) -> None:
    receipt_put_on_file(
        actor=cast.section_officer, receipt_id=confidential_receipt.pk, file_id=so_file.pk
    )
    so_file.refresh_from_db()
    assert so_file.classification == Classification.CONFIDENTIAL
    event = last_event(so_file, "file.receipt_put")
    assert event.before == {"classification": Classification.UNCLASSIFIED}
    assert event.after is not None
    assert event.after["classification"] == Classification.CONFIDENTIAL


def test_a_paper_is_refused_when_a_holder_of_the_desk_is_not_cleared(
    cast: Cast, confidential_receipt: Receipt, so_file: File
) -> None:
    charge_assign(
        actor=None,
        person=cast.assistant,
        post=cast.so_post,
        start=cast.assistant.charges.get().start,
        kind="additional",
    )
    with pytest.raises(InvalidInput, match="holds no clearance for Confidential"):
        receipt_put_on_file(
            actor=cast.section_officer, receipt_id=confidential_receipt.pk, file_id=so_file.pk
        )
    so_file.refresh_from_db()
    confidential_receipt.refresh_from_db()
    assert so_file.classification == Classification.UNCLASSIFIED
    assert confidential_receipt.status == ReceiptStatus.OPEN
    assert not so_file.correspondence.exists()


def test_only_an_officer_lowers_a_grade_with_a_reason_and_not_below_its_papers(
    cast: Cast, confidential_receipt: Receipt, so_file: File
) -> None:
    file_classify(
        actor=cast.section_officer, file_id=so_file.pk, classification=Classification.RESTRICTED
    )
    assert last_event(so_file, "file.classify").after == {
        "classification": Classification.RESTRICTED,
        "reason": "",
    }
    with pytest.raises(InvalidInput, match="BPS-19 or above"):
        file_classify(
            actor=cast.section_officer,
            file_id=so_file.pk,
            classification=Classification.UNCLASSIFIED,
            reason="Public now",
        )
    with pytest.raises(InvalidInput, match="no clearance for Secret"):
        file_classify(
            actor=cast.section_officer, file_id=so_file.pk, classification=Classification.SECRET
        )
    receipt_put_on_file(
        actor=cast.section_officer, receipt_id=confidential_receipt.pk, file_id=so_file.pk
    )
    file_send(actor=cast.section_officer, file_id=so_file.pk, to_post_id=cast.ds_post.pk)
    ds = cast.deputy_secretary
    with pytest.raises(InvalidInput, match="Say why"):
        file_classify(actor=ds, file_id=so_file.pk, classification=Classification.RESTRICTED)
    with pytest.raises(InvalidInput, match="A paper on the file is Confidential"):
        file_classify(
            actor=ds, file_id=so_file.pk, classification=Classification.RESTRICTED, reason="Old"
        )
    file_classify(actor=ds, file_id=so_file.pk, classification=Classification.SECRET)
    file_classify(
        actor=ds,
        file_id=so_file.pk,
        classification=Classification.CONFIDENTIAL,
        reason="Graded Secret in error",
    )
    so_file.refresh_from_db()
    assert so_file.classification == Classification.CONFIDENTIAL
    assert last_event(so_file, "file.classify").before == {"classification": Classification.SECRET}
