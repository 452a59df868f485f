"""The receipt page's "Shared to read" panel: the holder shares (after proving it is them) and
ends a share; the shared post reads the page and is offered no action."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from daftar.accounts import state
from daftar.lib import clock
from daftar.org.models import User
from daftar.receipts.custody import receipt_send
from daftar.receipts.models import Receipt, ReceiptShare, Sender
from daftar.receipts.senders import sender_create
from daftar.receipts.shares import receipt_share
from tests.cast import PASSWORD, Cast
from tests.conftest import last_event
from tests.receipts.conftest import register
from tests.web.conftest import count_queries, text_of

Login = Callable[[User], Client]


@pytest.fixture
def sender(cast: Cast) -> Sender:
    return sender_create(
        actor=cast.registry_clerk, organisation="Planning Commission", name="Tariq Mahmood"
    )


def detail(receipt: Receipt) -> str:
    return reverse("receipt-detail", args=[receipt.pk])


def with_assistant(cast: Cast, receipt: Receipt) -> Receipt:
    receipt_send(
        actor=cast.registry_clerk, receipt_id=receipt.pk, to_post_id=cast.assistant_post.pk
    )
    return receipt


def test_the_holder_shares_and_ends_a_share_from_the_receipt_page(
    cast: Cast, sender: Sender, login: Login
) -> None:
    receipt = with_assistant(cast, register(cast, sender))
    until = (clock.now().date() + dt.timedelta(days=5)).isoformat()
    form = {"to_post": cast.outsider_post.pk, "until": until, "reason": "Costs to Budget"}
    share_url = reverse("receipt-share", args=[receipt.pk])
    # The assistant holds it but, as dealing staff, may not share: no form, and 403.
    assistant = login(cast.assistant)
    assert 'id="share-post-search"' not in text_of(assistant.get(detail(receipt)))
    assert assistant.post(share_url, form).status_code == 403
    assert login(cast.outsider).get(detail(receipt)).status_code == 404

    receipt_send(actor=cast.assistant, receipt_id=receipt.pk, to_post_id=cast.so_post.pk)
    officer = login(cast.section_officer)
    page = text_of(officer.get(detail(receipt)))
    assert 'id="share-post-search"' in page and share_url in page
    # Sharing asks for the password again once the login's proof is old, then comes back.
    session = officer.session
    session[state.REAUTH] = state.now_seconds() - settings.REAUTH_SECONDS - 1
    session.save()
    asked = officer.post(share_url, form, HTTP_REFERER=f"http://testserver{detail(receipt)}")
    assert asked.status_code == 302 and asked["Location"].startswith(reverse("accounts:confirm"))
    assert not ReceiptShare.objects.exists()
    back = officer.post(asked["Location"], {"password": PASSWORD})
    assert back.status_code == 302 and back["Location"] == detail(receipt)
    assert officer.post(share_url, form).status_code == 302
    share = ReceiptShare.objects.get()
    assert last_event(receipt, "receipt.share").actor == cast.section_officer

    outsider_page = text_of(login(cast.outsider).get(detail(receipt)))
    assert "Costs to Budget" in outsider_page
    assert reverse("receipt-send", args=[receipt.pk]) not in outsider_page  # reading only
    assert share_url not in outsider_page
    refused = officer.post(share_url, {**form, "reason": ""})
    assert refused.status_code == 400 and ReceiptShare.objects.count() == 1
    far = (clock.now().date() + dt.timedelta(days=400)).isoformat()
    refused = officer.post(share_url, {**form, "until": far})
    assert refused.status_code == 400 and "at most 365 days" in text_of(refused)
    assert ReceiptShare.objects.count() == 1

    revoke = reverse("receipt-share-revoke", args=[receipt.pk, share.pk])
    assert login(cast.outsider).post(revoke).status_code == 400  # may read, may not end it
    assert login(cast.assistant).post(revoke).status_code == 400  # held it once: reads only
    ended = officer.post(revoke)
    assert ended.status_code == 302 and ended["Location"] == detail(receipt)
    assert login(cast.outsider).get(detail(receipt)).status_code == 404
    assert officer.post(revoke).status_code == 404  # already ended


def test_share_routes_refuse_get_and_strangers(cast: Cast, sender: Sender, login: Login) -> None:
    receipt = register(cast, sender)
    share_url = reverse("receipt-share", args=[receipt.pk])
    officer = login(cast.outsider)
    assert officer.get(share_url).status_code == 405
    form = {"to_post": cast.outsider_post.pk, "until": clock.now().date(), "reason": "Mine now"}
    assert officer.post(share_url, form).status_code == 404  # not open to the outsider
    huge = reverse("receipt-share-revoke", args=[receipt.pk, 10**20])
    assert officer.post(huge).status_code == 404
    assert not ReceiptShare.objects.exists()


def test_shares_add_no_query_per_share_to_the_receipt_page(
    cast: Cast, sender: Sender, login: Login
) -> None:
    def shared(times: int) -> Receipt:
        receipt = register(cast, sender, subject=f"{times} shares")
        receipt_send(actor=cast.registry_clerk, receipt_id=receipt.pk, to_post_id=cast.so_post.pk)
        for post in [cast.outsider_post, cast.ds_post, cast.secretary_post][:times]:
            receipt_share(
                actor=cast.section_officer,
                receipt_id=receipt.pk,
                post_id=post.pk,
                until=clock.now().date(),
                reason="To read",
            )
        return receipt

    one, three = shared(1), shared(3)
    client = login(cast.section_officer)
    client.get(detail(one))  # opening marks them read
    client.get(detail(three))
    few, _ = count_queries(client, detail(one))
    many, sql = count_queries(client, detail(three))
    assert few == many, sql
