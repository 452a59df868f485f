"""Dispatch numbers under concurrency (PostgreSQL): letters issued at the same moment from
one unit take distinct, gap-free numbers; a refused issue gives its number back."""

from __future__ import annotations

from functools import partial

import pytest

from daftar.dispatch.models import Dispatch
from daftar.dispatch.services import letter_issue
from daftar.files.services import file_open
from daftar.org.models import Sequence
from daftar.releases.services import ReleaseRequired
from tests.cast import Cast
from tests.dispatch.conftest import approved, signed, to_outside
from tests.movement.test_concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_simultaneous_issues_take_distinct_gap_free_numbers(cast: Cast) -> None:
    drafts = []
    for n in range(4):
        file = file_open(
            actor=cast.assistant,
            post_id=cast.assistant_post.pk,
            subject=f"Scheme {n}",
            classification=1 if n == 3 else 0,
        )
        # The last one is Restricted and goes by e-mail without a release: refused.
        email = "chairman@wapda.gov.pk" if n == 3 else ""
        draft = approved(cast, file, [to_outside(email=email)], classification=1 if n == 3 else 0)
        signed(cast, draft)
        drafts.append(draft)

    results = run_together(
        [partial(letter_issue, actor=cast.deputy_secretary, draft_id=d.pk) for d in drafts]
    )

    issued = [r for r in results if isinstance(r, Dispatch)]
    assert isinstance(results[3], ReleaseRequired)
    assert sorted(d.serial for d in issued) == [1, 2, 3]
    assert len({d.number for d in issued}) == 3
    year = issued[0].year
    key = f"dispatch:{cast.ds_post.unit_id}:{year}"
    assert Sequence.objects.get(key=key).last_value == 3
    assert Dispatch.objects.count() == 3
