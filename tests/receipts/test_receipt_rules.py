"""The custody rules of receipts, as a hypothesis state machine through the real services
(the receipt counterpart of tests/movement/test_movement_rules.py).

Random members of the cast, the outsider included, send, return, pull back, open and close
two receipts. A small model predicts every outcome, exact error class included; after every
step the database must agree with it: one holder, the ``to_post`` of the current movement;
the inbox keys mirror that movement; a pull back succeeds only before the receiver opened
(or acted on) the receipt; a success writes exactly one audit event by the actor, a refusal
none and changes nothing; each person sees exactly the receipts their post has held.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from daftar.audit.models import AuditEvent
from daftar.files.models import Priority
from daftar.lib.errors import Conflict, DaftarError, InvalidInput, NotFound
from daftar.org.models import Post, User
from daftar.org.selectors import chain_above
from daftar.receipts import custody, diary, senders
from daftar.receipts.models import Mode, Receipt, ReceiptMovement, ReceiptStatus
from daftar.receipts.selectors import receipts_visible
from tests.cast import make_cast
from tests.receipts.conftest import today, upload

T = TypeVar("T")
_example_numbers = itertools.count(1)

PEOPLE = st.one_of(st.just("holder"), st.just("sender"), st.integers(min_value=0, max_value=5))
Who = int | str
POSTS = st.integers(min_value=0, max_value=5)
RECEIPTS = st.integers(min_value=0, max_value=1)


@dataclass
class Hop:
    pk: int
    from_post: int | None
    to_post: int
    read: bool
    previous: Hop | None
    pulled_back: bool = False


@dataclass
class ReceiptModel:
    pk: int
    registry_id: int
    holder: int
    status: str
    current: Hop
    hops: list[Hop] = field(default_factory=list)

    def held_by(self) -> set[int]:
        return {hop.to_post for hop in self.hops if not hop.pulled_back}


class ReceiptRules(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        cast = make_cast(prefix=f"r{next(_example_numbers)}-")
        self.people: list[User] = [
            cast.assistant,
            cast.section_officer,
            cast.deputy_secretary,
            cast.secretary,
            cast.registry_clerk,
            cast.outsider,
        ]
        self.posts: list[Post] = [
            cast.assistant_post,
            cast.so_post,
            cast.ds_post,
            cast.secretary_post,
            cast.registry_post,
            cast.outsider_post,
        ]
        self.above = {post.pk: set(chain_above(post)) for post in self.posts}
        sender = senders.sender_create(actor=cast.registry_clerk, organisation="IRSA")
        self.receipts: list[ReceiptModel] = []
        for diarist, physical in [(4, False), (0, True)]:  # the R&I's diary, the section's
            person = self.people[diarist]
            made = diary.receipt_register(
                actor=person,
                post_id=self.posts[diarist].pk,
                sender_id=sender.pk,
                subject="Water accord",
                received_on=today(),
                mode=Mode.POST,
                is_physical=physical,
                document_ids=[] if physical else [upload(person).pk],
            )
            assert made.current_movement is not None
            hop = Hop(made.current_movement.pk, None, made.holder_id, True, None)
            self.receipts.append(
                ReceiptModel(made.pk, made.registry_id, made.holder_id, made.status, hop, [hop])
            )
        self.ids = [m.pk for m in self.receipts]

    def person(self, who: Who, model: ReceiptModel) -> int:
        if who == "holder":
            return next(i for i, post in enumerate(self.posts) if post.pk == model.holder)
        if who == "sender":
            sender = model.current.from_post or model.holder
            return next(i for i, post in enumerate(self.posts) if post.pk == sender)
        assert isinstance(who, int)
        return who

    def holder_check(self, who: int, model: ReceiptModel) -> type[DaftarError] | None:
        post = self.posts[who].pk
        if post not in self.visible(model):
            return NotFound
        if post != model.holder:
            return Conflict
        return None

    def snapshot(self) -> tuple[list[Any], list[Any]]:
        return (
            list(
                Receipt.objects.filter(pk__in=self.ids)
                .order_by("pk")
                .values_list("pk", "holder_id", "status", "current_movement_id", "inbox_unread")
            ),
            list(
                ReceiptMovement.objects.filter(receipt_id__in=self.ids)
                .order_by("pk")
                .values_list("pk", "to_post_id", "read_at", "pulled_back_at")
            ),
        )

    def attempt(self, who: int, expected: type[DaftarError] | None, call: Callable[[], T]) -> T:
        event(
            f"{getattr(call, '__name__', '?')}: {'ok' if expected is None else expected.__name__}"
        )
        before = self.snapshot()
        last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        if expected is None:
            result = call()
            events = list(AuditEvent.objects.filter(pk__gt=last))
            assert len(events) == 1, [e.action for e in events]
            assert events[0].actor_id == self.people[who].pk
            return result
        with pytest.raises(expected):
            call()
        assert self.snapshot() == before
        assert not AuditEvent.objects.filter(pk__gt=last).exists()
        return None  # type: ignore[return-value]

    def moved(self, model: ReceiptModel, movement_pk: int, to_post: int) -> None:
        model.current.read = True  # acting opened it
        hop = Hop(movement_pk, model.holder, to_post, False, model.current)
        model.hops.append(hop)
        model.current = hop
        model.holder = to_post

    @rule(
        acting=PEOPLE,
        which=RECEIPTS,
        to=POSTS,
        priority=st.none() | st.sampled_from(Priority.values),
    )
    def send(self, acting: Who, which: int, to: int, priority: int | None) -> None:
        model = self.receipts[which]
        who = self.person(acting, model)
        target = self.posts[to].pk
        expected = self.holder_check(who, model)
        if expected is None and model.status == ReceiptStatus.CLOSED:
            expected = Conflict
        if expected is None and target == model.holder:
            expected = InvalidInput

        def receipt_send() -> ReceiptMovement:
            return custody.receipt_send(
                actor=self.people[who], receipt_id=model.pk, to_post_id=target, priority=priority
            )

        sent = self.attempt(who, expected, receipt_send)
        if sent is not None:
            self.moved(model, sent.pk, target)

    @rule(which=RECEIPTS, to=POSTS)
    def holder_sends(self, which: int, to: int) -> None:
        self.send("holder", which, to, None)

    @rule(acting=PEOPLE, which=RECEIPTS)
    def send_back(self, acting: Who, which: int) -> None:
        model = self.receipts[which]
        who = self.person(acting, model)
        expected = self.holder_check(who, model)
        closed = model.status == ReceiptStatus.CLOSED
        diarised_here = model.current.from_post is None  # no one to return it to
        if expected is not NotFound and (diarised_here or (expected is None and closed)):
            expected = Conflict

        def receipt_return() -> ReceiptMovement:
            return custody.receipt_return(actor=self.people[who], receipt_id=model.pk)

        returned = self.attempt(who, expected, receipt_return)
        if returned is not None:
            assert model.current.from_post is not None
            self.moved(model, returned.pk, model.current.from_post)

    @rule(acting=PEOPLE, which=RECEIPTS)
    def pull_back(self, acting: Who, which: int) -> None:
        model = self.receipts[which]
        who = self.person(acting, model)
        post = self.posts[who].pk
        expected: type[DaftarError] | None = None
        if post not in self.visible(model):
            expected = NotFound
        elif model.current.from_post != post or model.current.read:
            expected = Conflict

        def receipt_pull_back() -> ReceiptMovement:
            return custody.receipt_pull_back(actor=self.people[who], receipt_id=model.pk)

        pulled = self.attempt(who, expected, receipt_pull_back)
        if pulled is not None:
            current = model.current
            assert pulled.pk == current.pk and current.previous is not None
            current.pulled_back = True
            model.holder = post
            model.current = current.previous

    @rule(acting=PEOPLE, which=RECEIPTS)
    def open_receipt(self, acting: Who, which: int) -> None:
        model = self.receipts[which]
        who = self.person(acting, model)
        post = self.posts[who].pk

        def receipt_mark_read() -> bool:
            return custody.receipt_mark_read(actor=self.people[who], receipt_id=model.pk)

        if post not in self.visible(model):
            self.attempt(who, NotFound, receipt_mark_read)
            return
        first = post == model.holder and not model.current.read
        events = AuditEvent.objects.count()
        before = self.snapshot()
        assert receipt_mark_read() is first
        if first:
            assert AuditEvent.objects.count() == events + 1
            model.current.read = True
        else:
            assert AuditEvent.objects.count() == events
            assert self.snapshot() == before

    @rule(acting=PEOPLE, which=RECEIPTS)
    def close(self, acting: Who, which: int) -> None:
        model = self.receipts[which]
        who = self.person(acting, model)
        expected = self.holder_check(who, model)
        if expected is None and model.status == ReceiptStatus.CLOSED:
            expected = Conflict

        def receipt_close() -> Receipt:
            return custody.receipt_close(actor=self.people[who], receipt_id=model.pk)

        closed = self.attempt(who, expected, receipt_close)
        if closed is not None:
            model.status = ReceiptStatus.CLOSED
            model.current.read = True

    @invariant()
    def one_holder_matching_the_model(self) -> None:
        for model in self.receipts:
            receipt = Receipt.objects.select_related("current_movement").get(pk=model.pk)
            current = receipt.current_movement
            assert current is not None
            assert receipt.holder_id == current.to_post_id == model.holder
            assert receipt.current_movement_id == model.current.pk
            assert current.pulled_back_at is None
            assert (
                receipt.inbox_unread,
                receipt.inbox_priority,
                receipt.inbox_due_on,
                receipt.inbox_since,
            ) == (current.read_at is None, current.priority, current.due_on, current.sent_at)
            assert receipt.status == model.status
            assert (receipt.closed_at is not None) == (receipt.status == ReceiptStatus.CLOSED)

    @invariant()
    def movements_match_the_model(self) -> None:
        hops = {hop.pk: hop for model in self.receipts for hop in model.hops}
        rows = ReceiptMovement.objects.filter(receipt_id__in=self.ids).values_list(
            "pk", "from_post_id", "to_post_id", "read_at", "pulled_back_at"
        )
        assert {row[0] for row in rows} == set(hops)
        for pk, from_post, to_post, read_at, pulled_back_at in rows:
            hop = hops[pk]
            assert (from_post, to_post) == (hop.from_post, hop.to_post)
            assert (read_at is not None) == hop.read
            assert (pulled_back_at is not None) == hop.pulled_back
            assert not (read_at is not None and pulled_back_at is not None)

    def visible(self, model: ReceiptModel) -> set[int]:
        """Need to know (docs/access.md): the posts that held it, the posts above them, the
        posts of the unit that diarised it (every receipt here is Unclassified)."""
        held = model.held_by()
        above = {pk for post in held for pk in self.above[post]}
        unit = {post.pk for post in self.posts if post.unit_id == model.registry_id}
        return held | above | unit

    def teardown(self) -> None:
        for person, post in zip(self.people, self.posts, strict=True):
            seen = set(
                receipts_visible(person).filter(pk__in=self.ids).values_list("pk", flat=True)
            )
            assert seen == {m.pk for m in self.receipts if post.pk in self.visible(m)}


def test_receipt_rules(transactional_db: None) -> None:
    run_state_machine_as_test(
        ReceiptRules,
        settings=settings(
            max_examples=10,
            stateful_step_count=30,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
