"""The diary register and receipt search: access applied, one query each."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from daftar.lib import clock
from daftar.receipts.custody import receipt_send
from daftar.receipts.models import Sender
from daftar.receipts.selectors import diary_entries, receipt_search
from daftar.receipts.senders import sender_create
from tests.cast import Cast
from tests.receipts.conftest import register


def test_diary_lists_a_year_in_serial_order_as_far_as_the_actor_may_see(
    cast: Cast, sender: Sender
) -> None:
    with clock.frozen_at(dt.datetime(2025, 12, 31, 18, 0, tzinfo=dt.UTC)):  # 23:00 PKT
        last_year = register(cast, sender, received_on=dt.date(2025, 12, 31))
    with clock.frozen_at(dt.datetime(2026, 1, 2, 6, 0, tzinfo=dt.UTC)):
        this_year = [
            register(cast, sender, subject=f"Paper {i}", received_on=dt.date(2026, 1, 2))
            for i in range(3)
        ]
    receipt_send(actor=cast.registry_clerk, receipt_id=this_year[1].pk, to_post_id=cast.so_post.pk)
    year = 2026
    with CaptureQueriesContext(connection) as ctx:
        rows = list(diary_entries(cast.registry_clerk, unit_id=cast.registry.pk, year=year))
        _ = [(r.diary_number, str(r.sender), r.holder.designation) for r in rows]
    assert len(ctx.captured_queries) == 1
    assert rows == this_year and [r.serial for r in rows] == [1, 2, 3]
    old = list(diary_entries(cast.registry_clerk, unit_id=cast.registry.pk, year=2025))
    assert old == [last_year]
    seen_by_so = list(diary_entries(cast.section_officer, unit_id=cast.registry.pk, year=year))
    assert seen_by_so == [this_year[1]]
    assert list(diary_entries(cast.outsider, unit_id=cast.registry.pk, year=year)) == []


def test_receipt_search_matches_every_word_within_access(cast: Cast, sender: Sender) -> None:
    wapda = sender_create(actor=cast.registry_clerk, organisation="WAPDA")
    dams = register(cast, sender, subject="Satpara dam: release of funds")
    canal = register(cast, wapda, subject="Lining of canals", letter_number="WP/77/2026")
    register(cast, wapda, subject="Dam safety review")
    assert list(receipt_search(cast.registry_clerk, "satpara")) == [dams]
    assert list(receipt_search(cast.registry_clerk, "wapda wp/77")) == [canal]
    assert [r.subject for r in receipt_search(cast.registry_clerk, "dam")] == [
        "Dam safety review",
        "Satpara dam: release of funds",
    ]
    assert list(receipt_search(cast.registry_clerk, canal.diary_number)) == [canal]
    assert list(receipt_search(cast.outsider, "dam")) == []
    with CaptureQueriesContext(connection) as ctx:
        _ = [(r.diary_number, str(r.sender)) for r in receipt_search(cast.registry_clerk, "dam")]
    assert len(ctx.captured_queries) == 1
