"""Letters signed on paper under concurrency (PostgreSQL): entered at the same moment in one
unit's register, alone or beside an electronic issue, they take distinct, gap-free serials of
the unit's one dispatch series."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest

from daftar.dispatch.models import Dispatch, PaperLetter
from daftar.dispatch.paper import paper_letter_record
from daftar.dispatch.services import letter_issue
from daftar.files.services import file_open
from daftar.lib import clock
from daftar.org.models import Sequence
from tests.cast import Cast
from tests.dispatch.conftest import approved, signed, to_outside
from tests.movement.test_concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _enter(cast: Cast, n: int) -> PaperLetter:
    return paper_letter_record(
        actor=cast.deputy_secretary,
        unit_id=cast.ds_post.unit_id,
        letter_number=f"No. WR-{n}/2026",
        letter_date=clock.now().date() - dt.timedelta(days=1),
        subject=f"Letter {n}",
        addressee="The Chairman, WAPDA, Lahore",
        channel="post",
    )


def test_two_paper_letters_at_once_take_different_serials(cast: Cast) -> None:
    results = run_together([partial(_enter, cast, n) for n in range(2)])
    assert all(isinstance(r, PaperLetter) for r in results)
    assert sorted(r.serial for r in results) == [1, 2]
    assert len({r.number for r in results}) == 2
    key = f"dispatch:{cast.ds_post.unit_id}:{results[0].year}"
    assert Sequence.objects.get(key=key).last_value == 2


def test_paper_and_electronic_letters_at_once_share_the_series(cast: Cast) -> None:
    file = file_open(actor=cast.assistant, post_id=cast.assistant_post.pk, subject="Canals")
    draft = approved(cast, file, [to_outside(email="")])
    signed(cast, draft)
    calls: list[Callable[[], Any]] = [
        partial(_enter, cast, 1),
        partial(letter_issue, actor=cast.deputy_secretary, draft_id=draft.pk),
        partial(_enter, cast, 2),
    ]
    results = run_together(calls)
    paper = [r for r in results if isinstance(r, PaperLetter)]
    issued = [r for r in results if isinstance(r, Dispatch)]
    assert len(paper) == 2 and len(issued) == 1
    assert sorted([*(p.serial for p in paper), issued[0].serial]) == [1, 2, 3]
    key = f"dispatch:{cast.ds_post.unit_id}:{issued[0].year}"
    assert Sequence.objects.get(key=key).last_value == 3
