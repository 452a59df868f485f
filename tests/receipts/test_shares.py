"""Read-only shares of receipts: the shared post sees the receipt until the share ends or is
revoked and never acts on it; refusals say why and change nothing (docs/access.md, Shares)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from pytest_django import DjangoAssertNumQueries

from daftar.audit.models import AuditEvent
from daftar.files.models import Classification
from daftar.lib import clock
from daftar.lib.errors import Conflict, InvalidInput, NotFound
from daftar.org import services as org
from daftar.org.models import Post, User
from daftar.receipts.custody import receipt_close, receipt_return, receipt_send
from daftar.receipts.models import Receipt, ReceiptShare
from daftar.receipts.selectors import receipt_for_actor, receipts_visible
from daftar.receipts.shares import receipt_share, receipt_share_revoke, receipt_shares_of
from tests.cast import Cast
from tests.conftest import last_event


def sees(person: User, receipt: Receipt) -> bool:
    try:
        receipt_for_actor(person, receipt.pk)
    except NotFound:
        return False
    return True


def soon(days: int = 7) -> dt.date:
    return clock.now().date() + dt.timedelta(days=days)


@pytest.fixture
def with_so(cast: Cast, receipt: Receipt) -> Receipt:
    """The receipt sent by the registry to the Section Officer (an officer: may share)."""
    receipt_send(actor=cast.registry_clerk, receipt_id=receipt.pk, to_post_id=cast.so_post.pk)
    return receipt


def share_with_outsider(cast: Cast, receipt: Receipt, until: dt.date | None = None) -> ReceiptShare:
    return receipt_share(
        actor=cast.section_officer,
        receipt_id=receipt.pk,
        post_id=cast.outsider_post.pk,
        until=until or soon(),
        reason="Budget to comment on the release",
    )


def test_a_share_lets_a_post_read_until_revoked_but_never_act(cast: Cast, with_so: Receipt) -> None:
    assert not sees(cast.outsider, with_so)
    share = share_with_outsider(cast, with_so)
    event = last_event(with_so, "receipt.share")
    assert event.actor == cast.section_officer and event.post == cast.so_post
    assert event.after == {
        "share": share.pk,
        "post": cast.outsider_post.code,
        "until": soon().isoformat(),
        "reason": "Budget to comment on the release",
    }
    assert sees(cast.outsider, with_so)
    assert with_so in receipts_visible(cast.outsider)
    # Sight only: every action needs custody, and the share cannot be passed on.
    with pytest.raises(Conflict):
        receipt_send(actor=cast.outsider, receipt_id=with_so.pk, to_post_id=cast.outsider_post.pk)
    with pytest.raises(Conflict):
        receipt_return(actor=cast.outsider, receipt_id=with_so.pk)
    with pytest.raises(Conflict):
        receipt_close(actor=cast.outsider, receipt_id=with_so.pk)
    with pytest.raises(InvalidInput, match="Only the post that holds the receipt can share"):
        receipt_share(
            actor=cast.outsider,
            receipt_id=with_so.pk,
            post_id=cast.secretary_post.pk,
            until=soon(),
            reason="Passing it on",
        )
    with pytest.raises(InvalidInput, match="or made the share can end it"):
        receipt_share_revoke(actor=cast.outsider, receipt_id=with_so.pk, share_id=share.pk)

    receipt_share_revoke(actor=cast.section_officer, receipt_id=with_so.pk, share_id=share.pk)
    assert last_event(with_so, "receipt.share_revoke").before == {
        "share": share.pk,
        "post": cast.outsider_post.code,
        "until": soon().isoformat(),
    }
    assert not sees(cast.outsider, with_so)
    assert list(receipt_shares_of(with_so.pk)) == []
    with pytest.raises(NotFound, match="already ended"):
        receipt_share_revoke(actor=cast.section_officer, receipt_id=with_so.pk, share_id=share.pk)


def test_a_share_ends_after_its_last_day(cast: Cast, with_so: Receipt) -> None:
    share_with_outsider(cast, with_so, until=clock.now().date())
    assert sees(cast.outsider, with_so)  # the end date is inclusive
    ReceiptShare.objects.update(until=clock.now().date() - dt.timedelta(days=1))  # days pass
    assert not sees(cast.outsider, with_so)
    assert list(receipt_shares_of(with_so.pk)) == []


def test_the_sharing_post_may_end_it_after_the_receipt_moved_on(
    cast: Cast, with_so: Receipt
) -> None:
    share = share_with_outsider(cast, with_so)
    receipt_send(actor=cast.section_officer, receipt_id=with_so.pk, to_post_id=cast.ds_post.pk)
    assert sees(cast.outsider, with_so)  # a share outlives a move
    receipt_share_revoke(actor=cast.section_officer, receipt_id=with_so.pk, share_id=share.pk)
    event = last_event(with_so, "receipt.share_revoke")
    assert event.actor == cast.section_officer and event.post == cast.so_post
    assert not sees(cast.outsider, with_so)


def test_shares_are_refused_with_a_reason_and_change_nothing(cast: Cast, with_so: Receipt) -> None:
    vacant = org.post_create(
        actor=None,
        unit=cast.section,
        code="ASST2-D1",
        designation="Assistant-II (Development-I)",
        grade=15,
        reports_to=cast.so_post,
    )
    closed = org.post_create(
        actor=None, unit=cast.section, code="OLD-D1", designation="Abolished", grade=15
    )
    Post.objects.filter(pk=closed.pk).update(is_active=False)

    def ask(actor: User, *, post: Post = cast.outsider_post, **kw: object) -> None:
        fields: dict[str, object] = {"until": soon(), "reason": "To read"} | kw
        receipt_share(actor=actor, receipt_id=with_so.pk, post_id=post.pk, **fields)  # type: ignore[arg-type]

    assistant = cast.assistant  # dealing staff: not given files.share_file
    receipt_send(
        actor=cast.section_officer, receipt_id=with_so.pk, to_post_id=cast.assistant_post.pk
    )
    with pytest.raises(PermissionDenied, match="not permitted to share receipts"):
        ask(assistant)
    receipt_return(actor=assistant, receipt_id=with_so.pk)  # back with the SO
    so = cast.section_officer
    with pytest.raises(InvalidInput, match="Say why the receipt is shared"):
        ask(so, reason="   ")
    with pytest.raises(InvalidInput, match="in the past"):
        ask(so, until=clock.now().date() - dt.timedelta(days=1))
    with pytest.raises(InvalidInput, match="at most 365 days"):
        ask(so, until=soon(366))
    with pytest.raises(InvalidInput, match="already with this post"):
        ask(so, post=cast.so_post)
    with pytest.raises(InvalidInput, match="No such post"):
        ask(so, post=closed)
    with pytest.raises(InvalidInput, match="no one holding it today"):
        ask(so, post=vacant)
    with pytest.raises(InvalidInput, match="Only the post that holds the receipt"):
        ask(cast.deputy_secretary)  # sees it from above, does not hold it
    with pytest.raises(NotFound):
        receipt_share(
            actor=cast.outsider,
            receipt_id=with_so.pk,
            post_id=cast.registry_post.pk,
            until=soon(),
            reason="Not open to me",
        )
    assert not ReceiptShare.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="receipt.share").exists()
    assert not sees(cast.outsider, with_so)


def test_a_classified_receipt_is_shared_only_with_a_cleared_post(
    cast: Cast, with_so: Receipt
) -> None:
    Receipt.objects.filter(pk=with_so.pk).update(classification=Classification.CONFIDENTIAL)
    with pytest.raises(InvalidInput, match="holds no clearance for Confidential"):
        receipt_share(
            actor=cast.section_officer,
            receipt_id=with_so.pk,
            post_id=cast.registry_post.pk,  # the clerk is cleared to Restricted only
            until=soon(),
            reason="For the register",
        )
    assert not ReceiptShare.objects.exists()
    share_with_outsider(cast, with_so)  # cleared to Confidential
    assert sees(cast.outsider, with_so)
    # A share never lifts the clearance rule: above the clearance, the share gives nothing.
    User.objects.filter(pk=cast.outsider.pk).update(clearance=Classification.RESTRICTED)
    assert not sees(User.objects.get(pk=cast.outsider.pk), with_so)


def test_shares_are_nested_in_the_one_visibility_query(
    cast: Cast, with_so: Receipt, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    share_with_outsider(cast, with_so)
    with django_assert_num_queries(1):
        assert [r.pk for r in receipts_visible(cast.outsider)] == [with_so.pk]
    with django_assert_num_queries(1):
        receipt_for_actor(cast.outsider, with_so.pk)
