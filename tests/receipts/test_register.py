from __future__ import annotations

import datetime as dt

import pytest

from daftar.lib import clock
from daftar.lib.errors import InvalidInput, NotFound
from daftar.org import services as org
from daftar.org.models import OrgUnit, UnitKind
from daftar.receipts.diary import receipt_register
from daftar.receipts.models import Mode, Receipt, ReceiptAction, ReceiptDocument, Sender
from daftar.receipts.selectors import (
    receipt_by_diary_number_for_actor,
    receipt_documents,
    receipt_for_actor,
)
from tests.cast import Cast
from tests.conftest import last_event
from tests.receipts.conftest import register, today, upload


def test_register_diarises_at_the_registry_and_holds_it_there(cast: Cast, sender: Sender) -> None:
    first = upload(cast.registry_clerk, "scan-1.pdf")
    second = upload(cast.registry_clerk, "scan-2.pdf")
    receipt = register(cast, sender, document_ids=[second.pk, first.pk])
    year = clock.now().year
    assert receipt.diary_number == f"1/{year}/R&I"
    assert (receipt.registry, receipt.year, receipt.serial) == (cast.registry, year, 1)
    assert receipt.holder == cast.registry_post
    assert receipt.current_movement is not None
    assert receipt.current_movement.action == ReceiptAction.DIARISE
    assert receipt.inbox_unread is False
    assert [rd.document for rd in receipt_documents(receipt)] == [second, first]
    assert len(receipt.reference) == 8
    event = last_event(receipt, "receipt.register")
    assert event.actor == cast.registry_clerk and event.post == cast.registry_post
    assert event.after is not None
    assert event.after["diary_number"] == receipt.diary_number
    assert event.after["documents"] == [second.pk, first.pk]
    # The clerk finds it by number; the outsider, who never held it, cannot.
    found = receipt_by_diary_number_for_actor(cast.registry_clerk, receipt.diary_number.lower())
    assert found == receipt
    with pytest.raises(NotFound):
        receipt_for_actor(cast.outsider, receipt.pk)
    with pytest.raises(NotFound):
        receipt_by_diary_number_for_actor(cast.outsider, receipt.diary_number)
    with pytest.raises(NotFound):
        receipt_for_actor(cast.section_officer, receipt.pk)  # not yet sent to them


def test_register_refuses_a_post_the_actor_does_not_hold(cast: Cast, sender: Sender) -> None:
    with pytest.raises(NotFound):
        receipt_register(
            actor=cast.outsider,
            post_id=cast.registry_post.pk,
            sender_id=sender.pk,
            subject="x",
            received_on=today(),
            mode=Mode.HAND,
            is_physical=True,
        )
    assert not Receipt.objects.exists()


def test_diary_numbers_follow_the_units_template(cast: Cast, sender: Sender) -> None:
    OrgUnit.objects.filter(pk=cast.registry.pk).update(
        diary_number_template="WRD-R&I/{year}/{serial:05d}"
    )
    receipt = register(cast, sender, is_physical=True)
    assert receipt.diary_number == f"WRD-R&I/{clock.now().year}/00001"


def test_a_broken_template_is_refused_and_takes_no_number(cast: Cast, sender: Sender) -> None:
    OrgUnit.objects.filter(pk=cast.registry.pk).update(diary_number_template="{serial}/{month}")
    with pytest.raises(InvalidInput, match="diary number template"):
        register(cast, sender, is_physical=True)
    OrgUnit.objects.filter(pk=cast.registry.pk).update(diary_number_template="D-{serial}")
    assert register(cast, sender, is_physical=True).diary_number == "D-1"


def test_each_diary_counts_on_its_own(cast: Cast, sender: Sender) -> None:
    """The section keeps its own diary beside the Central Registry's."""
    register(cast, sender, is_physical=True)
    register(cast, sender, is_physical=True)
    in_section = receipt_register(
        actor=cast.assistant,
        post_id=cast.assistant_post.pk,
        sender_id=sender.pk,
        subject="Handed over at the section",
        received_on=today(),
        mode=Mode.HAND,
        is_physical=True,
    )
    assert (in_section.registry, in_section.serial) == (cast.section, 1)
    assert in_section.diary_number == f"1/{clock.now().year}/D-I"


def test_diary_years_are_the_organisations(cast: Cast, sender: Sender) -> None:
    """New Year's night in Karachi (UTC+5) is still 31 December in UTC."""
    with clock.frozen_at(dt.datetime(2026, 12, 31, 18, 30, tzinfo=dt.UTC)):  # 23:30 PKT
        december = register(cast, sender, is_physical=True, received_on=dt.date(2026, 12, 31))
    with clock.frozen_at(dt.datetime(2026, 12, 31, 21, 0, tzinfo=dt.UTC)):  # 02:00 PKT
        january = register(cast, sender, is_physical=True, received_on=dt.date(2027, 1, 1))
        with pytest.raises(InvalidInput, match="future"):
            register(cast, sender, is_physical=True, received_on=dt.date(2027, 1, 2))
    assert (december.year, december.serial) == (2026, 1)
    assert (january.year, january.serial) == (2027, 1)
    assert january.diary_number == "1/2027/R&I"


def test_a_failed_registration_leaves_no_gap(cast: Cast, sender: Sender) -> None:
    # Numbered, then refused at the send: the whole diarisation rolls back with its number.
    with pytest.raises(InvalidInput, match="No such post"):
        register(cast, sender, send_to_post_id=999_999)
    assert not Receipt.objects.exists()
    assert not ReceiptDocument.objects.exists()
    receipt = register(cast, sender)
    assert receipt.serial == 1


def test_electronic_receipts_need_the_actors_own_unused_uploads(cast: Cast, sender: Sender) -> None:
    with pytest.raises(InvalidInput, match="at least one document"):
        register(cast, sender, document_ids=[])
    someone_elses = upload(cast.assistant)
    with pytest.raises(InvalidInput, match="not among your uploads"):
        register(cast, sender, document_ids=[someone_elses.pk])
    with pytest.raises(InvalidInput, match="not among your uploads"):
        register(cast, sender, document_ids=[987_654])
    mine = upload(cast.registry_clerk, "petition.pdf")
    with pytest.raises(InvalidInput, match="twice"):
        register(cast, sender, document_ids=[mine.pk, mine.pk])
    first = register(cast, sender, document_ids=[mine.pk])
    with pytest.raises(
        InvalidInput, match=f"petition.pdf is already on receipt {first.diary_number}"
    ):
        register(cast, sender, document_ids=[upload(cast.registry_clerk).pk, mine.pk])
    with pytest.raises(InvalidInput, match="physical receipt"):
        register(cast, sender, is_physical=True, document_ids=[upload(cast.registry_clerk).pk])
    physical = register(cast, sender, is_physical=True)
    assert not receipt_documents(physical).exists()
    assert [first.serial, physical.serial] == [1, 2]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"subject": "   "}, "needs a subject"),
        ({"subject": "x" * 501}, "longer than 500"),
        ({"mode": "pigeon"}, "Unknown mode"),
        ({"language": "fr"}, "Unknown language"),
        ({"priority": 9}, "classification or priority"),
        ({"classification": 9}, "classification or priority"),
        ({"letter_date": dt.date.today() + dt.timedelta(days=400)}, "dated after"),
        ({"received_on": dt.date.today() + dt.timedelta(days=2)}, "future"),
        ({"due_on": dt.date.today() + dt.timedelta(days=2)}, "due date goes with sending"),
    ],
)
def test_register_refuses_bad_input(
    cast: Cast, sender: Sender, change: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        register(cast, sender, **change)
    assert not Receipt.objects.exists()


def test_register_refuses_an_unknown_sender(cast: Cast) -> None:
    with pytest.raises(InvalidInput, match="No such sender"):
        receipt_register(
            actor=cast.registry_clerk,
            post_id=cast.registry_post.pk,
            sender_id=424_242,
            subject="x",
            received_on=today(),
            mode=Mode.FAX,
            is_physical=True,
        )


def test_register_and_send_in_one_step(cast: Cast, sender: Sender) -> None:
    due = today() + dt.timedelta(days=7)
    receipt = register(
        cast,
        sender,
        send_to_post_id=cast.so_post.pk,
        send_remarks="For necessary action.",
        due_on=due,
    )
    receipt.refresh_from_db()
    assert receipt.holder == cast.so_post
    assert receipt.inbox_unread is True and receipt.inbox_due_on == due
    movement = receipt.current_movement
    assert movement is not None
    assert movement.action == ReceiptAction.SEND_ACROSS
    assert movement.from_post == cast.registry_post and movement.remarks == "For necessary action."
    assert movement.previous is not None and movement.previous.action == ReceiptAction.DIARISE
    assert last_event(receipt, "receipt.register").actor == cast.registry_clerk
    sent = last_event(receipt, "receipt.send_across")
    assert sent.post == cast.registry_post and sent.after is not None
    assert sent.after["holder"] == cast.so_post.code
    # Both desks that held it see it now; the outsider still does not.
    assert receipt_for_actor(cast.section_officer, receipt.pk) == receipt
    assert receipt_for_actor(cast.registry_clerk, receipt.pk) == receipt
    with pytest.raises(NotFound):
        receipt_for_actor(cast.outsider, receipt.pk)


def test_a_second_registry_numbers_its_own_diary(cast: Cast, sender: Sender) -> None:
    other = org.unit_create(
        actor=None, code="FIN-R&I", name="Finance Registry", kind=UnitKind.REGISTRY
    )
    OrgUnit.objects.filter(pk=other.pk).update(diary_number_template="FD/{serial}/{year}")
    post = org.post_create(actor=None, unit=other, code="FIN-RC", designation="Receipt Clerk")
    org.charge_assign(actor=None, person=cast.outsider, post=post, start=dt.date(2020, 1, 1))
    register(cast, sender, is_physical=True)
    theirs = receipt_register(
        actor=cast.outsider,
        post_id=post.pk,
        sender_id=sender.pk,
        subject="Budget call",
        received_on=today(),
        mode=Mode.INTERNAL,
        is_physical=True,
    )
    assert theirs.diary_number == f"FD/1/{clock.now().year}"
