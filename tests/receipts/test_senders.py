from __future__ import annotations

import pytest

from daftar.lib.errors import InvalidInput, NotFound
from daftar.receipts.models import Sender
from daftar.receipts.selectors import sender_search
from daftar.receipts.senders import sender_create
from tests.cast import Cast
from tests.conftest import last_event


def test_sender_create_records_and_reuses_the_same_entry(cast: Cast) -> None:
    sender = sender_create(
        actor=cast.registry_clerk,
        organisation="  WAPDA ",
        name="Engr. Asif  Khan",
        designation="Member (Water)",
        email="Member.Water@WAPDA.gov.pk",
    )
    assert (sender.organisation, sender.name, sender.email) == (
        "WAPDA",
        "Engr. Asif Khan",
        "member.water@wapda.gov.pk",
    )
    event = last_event(sender, "sender.create")
    assert event.actor == cast.registry_clerk
    assert event.after is not None and event.after["organisation"] == "WAPDA"
    again = sender_create(
        actor=cast.assistant,
        organisation="wapda",
        name="engr. asif khan",
        designation="member (water)",
        email="member.water@wapda.gov.pk",
    )
    assert again == sender and Sender.objects.count() == 1
    other = sender_create(actor=cast.registry_clerk, organisation="WAPDA", name="Chairman")
    assert other != sender and str(other) == "Chairman (WAPDA)"


def test_sender_create_refuses_bad_input(cast: Cast) -> None:
    with pytest.raises(InvalidInput, match="organisation or a name"):
        sender_create(actor=cast.registry_clerk, designation="Director")
    with pytest.raises(InvalidInput, match="not a valid e-mail"):
        sender_create(actor=cast.registry_clerk, name="A citizen", email="not-an-address")
    with pytest.raises(InvalidInput, match="longer than"):
        sender_create(actor=cast.registry_clerk, name="x" * 201)
    assert not Sender.objects.exists()


def test_sender_create_needs_a_post(cast: Cast) -> None:
    from daftar.org.services import person_create

    nobody = person_create(actor=None, email="new.joiner@mowr.gov.pk", full_name="New Joiner")
    with pytest.raises(NotFound):
        sender_create(actor=nobody, organisation="IRSA")


def test_sender_search_matches_every_word_anywhere(cast: Cast) -> None:
    irsa = sender_create(actor=cast.registry_clerk, organisation="IRSA", name="Chairman")
    wapda = sender_create(
        actor=cast.registry_clerk,
        organisation="WAPDA",
        name="Asif Khan",
        email="asif@wapda.gov.pk",
    )
    citizen = sender_create(actor=cast.registry_clerk, name="Muhammad Aslam", address="Skardu")
    assert list(sender_search("chair")) == [irsa]
    assert list(sender_search("wapda khan")) == [wapda]
    assert list(sender_search("aslam")) == [citizen]
    assert list(sender_search("khan irsa")) == []
    assert list(sender_search("")) == [citizen, irsa, wapda]
