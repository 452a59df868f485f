"""The chain as services write it: consecutive, linked, and re-computable from the rows as
the database gives them back (SQLite JSON text and PostgreSQL jsonb alike)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from pytest_django import DjangoAssertNumQueries

from daftar.audit.chain import GENESIS, link
from daftar.audit.models import AuditEvent, ChainHead
from daftar.audit.services import event_record
from daftar.files.models import File
from daftar.files.services import note_add
from tests.cast import Cast

AWKWARD = {
    "zeta": {"b": [3, 2.5, {"y": None, "x": True}], "a": "last"},
    "when": dt.date(2026, 11, 29),
    "stamp": dt.datetime(2026, 11, 29, 10, 11, 12, 345678, tzinfo=dt.UTC),
    "amount": Decimal("1234567.8900"),
    "urdu": "پانی کے وسائل کی وزارت — فائل نمبر ۱۲",
    "floats": [0.1, 1e20, 1.0, -0.0, 1e-7, 3.141592653589793, 1.5e300],
    "big": 12345678901234567890123,
    "": "empty key",
    'quote"key': "back\\slash\nnew line\ttab",
}


def test_awkward_values_round_trip_to_the_same_hash(cast: Cast, file: File) -> None:
    with transaction.atomic():
        event = event_record(
            actor=cast.assistant, action="test.awkward", obj=file, before=AWKWARD, after=AWKWARD
        )
    stored = AuditEvent.objects.get(pk=event.pk)  # as the database gives it back
    assert stored.before != AWKWARD  # dates, decimals and the datetime came back as text
    assert link(stored.prev_hash, stored.content()) == stored.hash == event.hash
    assert stored.at == event.at and stored.at.microsecond == event.at.microsecond


def test_each_event_links_to_the_one_before(cast: Cast, file: File) -> None:
    for n in range(3):
        note_add(actor=cast.assistant, file_id=file.pk, body=f"Note {n}")
    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert len(events) > 3
    previous = GENESIS
    for event in events:
        assert event.prev_hash == previous
        assert link(previous, event.content()) == event.hash
        previous = event.hash
    head = ChainHead.objects.get()
    assert (head.seq, head.hash) == (events[-1].seq, events[-1].hash)


def test_an_append_costs_a_fixed_number_of_queries(
    cast: Cast, file: File, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with transaction.atomic(), django_assert_num_queries(3):  # lock head, insert, move head
        event_record(actor=cast.assistant, action="test.count", obj=file)


def test_a_lost_head_row_is_rebuilt_from_the_newest_event(cast: Cast, file: File) -> None:
    newest = AuditEvent.objects.order_by("-seq").first()
    assert newest is not None
    ChainHead.objects.all().delete()
    with transaction.atomic():
        event = event_record(actor=cast.assistant, action="test.after", obj=file)
    assert (event.seq, event.prev_hash) == (newest.seq + 1, newest.hash)
