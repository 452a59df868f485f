"""Concurrency on PostgreSQL: two fetches of one mailbox at once, two completions of one
draft at once (threads on their own connections, as in tests/movement/test_concurrency.py)."""

from __future__ import annotations

import threading
from functools import partial
from typing import Any

import pytest

from daftar.lib.errors import Conflict
from daftar.mailroom import fetching
from daftar.mailroom.fetching import FetchReport, mail_fetch
from daftar.mailroom.models import IncomingMail, IncomingStatus, Mailbox
from daftar.mailroom.services import mail_register
from daftar.receipts.models import Receipt
from tests.cast import Cast, make_cast
from tests.mailroom.conftest import MailServer
from tests.mailroom.test_fetch import letter, unseen
from tests.movement.test_concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cast() -> Cast:
    return make_cast()


def test_two_fetches_at_once_import_a_message_once(
    registry_mailbox: Mailbox,
    mail_server: MailServer,
    imap_user: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    mail_server.send(letter(), to_user=imap_user)
    # Both fetches read the message and store its documents; they meet just before the
    # transaction that creates the draft, so both try to create it.
    meet = threading.Barrier(2)
    create = fetching._incoming_create

    def together(**kwargs: Any) -> IncomingMail:
        meet.wait(timeout=30)
        return create(**kwargs)

    monkeypatch.setattr(fetching, "_incoming_create", together)

    reports: list[FetchReport] = run_together(
        [partial(mail_fetch, mailbox_id=registry_mailbox.pk)] * 2
    )

    assert all(r.ok for r in reports), reports
    assert sorted(len(r.imported) for r in reports) == [0, 1]
    assert sorted(r.already for r in reports) == [0, 1]
    assert IncomingMail.objects.count() == 1
    assert unseen(mail_server, imap_user) == []


def test_two_completions_of_one_draft_make_one_receipt(
    cast: Cast, registry_mailbox: Mailbox, mail_server: MailServer, imap_user: str
) -> None:
    mail_server.send(letter(), to_user=imap_user)
    [incoming_id] = mail_fetch(mailbox_id=registry_mailbox.pk).imported

    results = run_together(
        [partial(mail_register, actor=cast.registry_clerk, incoming_id=incoming_id)] * 2
    )

    assert sorted(type(r).__name__ for r in results) == ["Conflict", "Receipt"]
    assert any(isinstance(r, Conflict) for r in results)
    assert Receipt.objects.count() == 1
    incoming = IncomingMail.objects.get(pk=incoming_id)
    assert incoming.status == IncomingStatus.REGISTERED
    assert incoming.receipt == Receipt.objects.get()
