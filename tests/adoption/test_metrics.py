"""Each count of the month on hand-built data with known answers (docs/adoption.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from daftar.adoption.models import MonthlyFigures
from daftar.adoption.services import levels_compute
from daftar.files.services import file_open, note_add
from daftar.movement.services import file_mark_read, file_pull_back, file_send
from daftar.org.models import OrgUnit
from tests.adoption.builders import (
    Chart,
    Copy,
    activity,
    at,
    dispatch,
    draft_version,
    frozen,
    make_chart,
    paper_letter,
    receipt,
    trained,
)

pytestmark = pytest.mark.django_db

JANUARY = dt.date(2026, 1, 1)
LATER = at(1, 9, month=3)  # the moment January is computed (final)


@pytest.fixture
def chart(db: None) -> Chart:
    return make_chart()


def compute(month: dt.date = JANUARY) -> None:
    with frozen(LATER):
        levels_compute(month=month)


def row(unit: OrgUnit, month: dt.date = JANUARY) -> MonthlyFigures:
    return MonthlyFigures.objects.get(unit=unit, month=month)


def test_file_work_counts_notes_and_movements_by_the_posts_unit(chart: Chart) -> None:
    c = chart
    with frozen(at(5)):
        paper = file_open(actor=c.bob, post_id=c.asst1.pk, subject="Paper file", is_physical=True)
        e_file = file_open(actor=c.bob, post_id=c.asst1.pk, subject="Electronic file")
        note_add(actor=c.bob, file_id=e_file.pk, body="Please see.")
        note_add(actor=c.bob, file_id=e_file.pk, body="Second note.")
    with frozen(at(6)):
        file_send(actor=c.bob, file_id=e_file.pk, to_post_id=c.so1.pk)  # both notes final
        file_send(actor=c.bob, file_id=paper.pk, to_post_id=c.so1.pk)
    with frozen(at(7)):
        note_add(actor=c.alice, file_id=e_file.pk, body="Draft, never sent: not final.")
    with frozen(at(8)):
        file_send(actor=c.alice, file_id=paper.pk, to_post_id=c.ds.pk)  # a section two...
    with frozen(at(9)):
        file_pull_back(actor=c.alice, file_id=paper.pk)  # ...pulled back: still counted
    with frozen(at(3, month=2)):
        file_send(actor=c.alice, file_id=e_file.pk, to_post_id=c.ds.pk)  # February
    compute()
    s1 = row(c.s1)
    # Section One: 2 notes; moves: 2 openings + 2 sends (asst) + 1 pulled-back send (SO)
    assert s1.notes_electronic == 2
    assert (s1.moves_electronic, s1.moves_physical) == (2, 3)
    assert (s1.files_electronic, s1.files_physical) == (1, 1)
    assert s1.e == Decimal("57.1")  # (2 + 2) / (2 + 2 + 3)
    assert row(c.wing).moves_physical == 3 and row(c.s2).moves_physical == 0


def test_an_opening_counts_for_the_post_that_opened_the_file(chart: Chart) -> None:
    with frozen(at(5)):
        file_open(actor=chart.dan, post_id=chart.ds.pk, subject="Opened by the DS")
    compute()
    assert row(chart.wing).moves_electronic == 1
    assert row(chart.s1).moves_electronic == 0


def test_receipts_count_in_the_diary_that_diarised_them_in_the_month(chart: Chart) -> None:
    c = chart
    receipt(c.registry, holder=c.clerk, by=c.rita, created_at=at(1, 0, 0))
    receipt(c.registry, holder=c.clerk, by=c.rita, created_at=at(31, 23, 59))
    receipt(c.registry, holder=c.clerk, by=c.rita, created_at=at(15), is_physical=True)
    # 31 December 23:30 in Karachi is December; 31 January 19:30 UTC is February in Karachi
    receipt(c.registry, holder=c.clerk, by=c.rita, created_at=at(31, 23, 30, month=12, year=2025))
    receipt(c.registry, holder=c.clerk, by=c.rita, created_at=at(1, 0, 30, month=2))
    receipt(c.s1, holder=c.so1, by=c.alice, created_at=at(10))  # the section's own diary
    compute()
    reg = row(c.registry)
    assert (reg.receipts_electronic, reg.receipts_physical) == (2, 1)
    assert (row(c.s1).receipts_electronic, row(c.s1).receipts_physical) == (1, 0)
    assert (row(c.ministry).receipts_electronic, row(c.ministry).receipts_physical) == (3, 1)


def test_letters_signed_and_on_paper_and_copies_outside_the_organisation(chart: Chart) -> None:
    c = chart
    with frozen(at(2)):
        f = file_open(actor=c.alice, post_id=c.so1.pk, subject="Letters")
    copies = [
        Copy("internal", c.finance),  # another organisation, electronically
        Copy("internal", c.ministry),  # the issuing unit's own organisation: not counted
        Copy("email"),  # outside the instance, electronically
        Copy("post"),  # outside, on paper
        Copy("courier", c.attached),  # an attached department is another organisation
    ]
    dispatch(f, unit=c.s1, post=c.so1, by=c.alice, issued_at=at(10), copies=copies, pages=3)
    dispatch(f, unit=c.s1, post=c.so1, by=c.alice, issued_at=at(2, month=2), copies=[Copy("email")])
    paper_letter(unit=c.s1, post=c.so1, by=c.alice, recorded_at=at(11))  # outside: external
    paper_letter(unit=c.s1, post=c.so1, by=c.alice, recorded_at=at(12), organisation=c.finance)
    paper_letter(unit=c.s1, post=c.so1, by=c.alice, recorded_at=at(12), organisation=c.ministry)
    compute()
    s1 = row(c.s1)
    assert (s1.letters_signed, s1.letters_paper) == (1, 3)
    # electronic: Finance, e-mail; paper: post, courier to IRR, paper letters outside and to FIN
    assert (s1.external_electronic, s1.external_paper) == (2, 2 + 2)
    assert s1.d == Decimal("25.0") and s1.x == Decimal("33.3")


def test_posts_staffed_people_trained_and_active(chart: Chart) -> None:
    c = chart
    trained(c.alice, on=dt.date(2026, 1, 31), organisation=c.ministry)  # on the as-of date
    trained(c.bob, on=dt.date(2026, 2, 1), organisation=c.ministry)  # after it: not yet
    activity(c.bob, at(31, 23, 59))
    activity(c.alice, at(1, 0, 0, month=2))  # February
    compute()
    s1 = row(c.s1)
    assert (s1.posts, s1.posts_staffed, s1.people) == (3, 2, 2)
    assert (s1.people_trained, s1.people_active) == (1, 1)
    assert s1.staffed == Decimal("66.7") and s1.t == Decimal("50.0")


def test_a_charge_ended_before_the_as_of_date_does_not_staff_the_post(chart: Chart) -> None:
    from daftar.org.models import Charge

    Charge.objects.filter(person=chart.bob).update(end=dt.date(2026, 1, 30))
    compute()
    assert (row(chart.s1).posts_staffed, row(chart.s1).people) == (1, 1)


def test_median_wait_counts_the_files_that_moved_on_in_the_month(chart: Chart) -> None:
    c = chart
    with frozen(at(20, 10, month=12, year=2025)):
        old = file_open(actor=c.bob, post_id=c.asst1.pk, subject="Since December")
    with frozen(at(2, 10)):
        f = file_open(actor=c.bob, post_id=c.asst1.pk, subject="January")
    with frozen(at(2, 12)):
        file_send(actor=c.bob, file_id=f.pk, to_post_id=c.so1.pk)  # waited 2 h with bob
    with frozen(at(2, 18)):
        file_send(actor=c.bob, file_id=old.pk, to_post_id=c.so1.pk)  # waited since December
    with frozen(at(3, 12)):
        file_send(actor=c.alice, file_id=f.pk, to_post_id=c.ds.pk)  # 24 h with alice
    with frozen(at(3, 13)):
        file_pull_back(actor=c.alice, file_id=f.pk)  # not a departure; alice holds it again
    with frozen(at(4, 16)):
        file_send(actor=c.alice, file_id=f.pk, to_post_id=c.ds.pk)  # 52 h since it came
    compute()
    # Section One waits: 2 h, 13 days 8 h (= 320 h), 52 h (the pull back does not split it)
    assert row(c.s1).median_wait_hours == Decimal("52.0")
    assert row(c.wing).median_wait_hours == Decimal("52.0")
    assert row(c.s2).median_wait_hours is None


def test_median_of_an_even_number_of_waits_is_the_mean_of_the_middle_two(chart: Chart) -> None:
    c = chart
    with frozen(at(2, 10)):
        f = file_open(actor=c.bob, post_id=c.asst1.pk, subject="Even")
    with frozen(at(2, 11)):
        file_send(actor=c.bob, file_id=f.pk, to_post_id=c.so1.pk)  # 1 h
    with frozen(at(2, 13, 15)):
        file_send(actor=c.alice, file_id=f.pk, to_post_id=c.asst1.pk)  # 2 h 15 min
    compute()
    assert row(c.s1).median_wait_hours == Decimal("1.6")  # (1 + 2.25) / 2 = 1.625


def test_overdue_counts_what_is_held_past_its_due_date_at_the_as_of_moment(chart: Chart) -> None:
    c = chart
    with frozen(at(2)):
        late = file_open(actor=c.bob, post_id=c.asst1.pk, subject="Late")
        due_last_day = file_open(actor=c.bob, post_id=c.asst1.pk, subject="Due 31 January")
        moved_on = file_open(actor=c.bob, post_id=c.asst1.pk, subject="Moved on")
        pulled = file_open(actor=c.bob, post_id=c.asst1.pk, subject="Pulled back")
        file_send(actor=c.bob, file_id=late.pk, to_post_id=c.so1.pk, due_on=dt.date(2026, 1, 10))
        file_send(
            actor=c.bob, file_id=due_last_day.pk, to_post_id=c.so1.pk, due_on=dt.date(2026, 1, 31)
        )
        file_send(actor=c.bob, file_id=moved_on.pk, to_post_id=c.so1.pk, due_on=dt.date(2026, 1, 5))
        file_send(actor=c.bob, file_id=pulled.pk, to_post_id=c.so2.pk, due_on=dt.date(2026, 1, 5))
        file_pull_back(actor=c.bob, file_id=pulled.pk)
    with frozen(at(20)):
        file_send(actor=c.alice, file_id=moved_on.pk, to_post_id=c.ds.pk)  # no due date now
    with frozen(at(3, month=2)):
        file_send(actor=c.alice, file_id=late.pk, to_post_id=c.ds.pk)  # after January ended
    receipt(c.registry, holder=c.clerk, by=c.rita, created_at=at(3), due_on=dt.date(2026, 1, 9))
    receipt(c.registry, holder=c.clerk, by=c.rita, created_at=at(3), due_on=dt.date(2026, 2, 9))
    compute()
    assert row(c.s1).overdue == 2  # late and due_last_day, held by SO-1 at the end of January
    assert row(c.s2).overdue == 0
    assert row(c.registry).overdue == 1
    assert row(c.ministry).overdue == 3
    # The month to date, on 20 January: due_last_day is not yet due, moved_on was not yet sent
    with frozen(at(20, 9)):
        levels_compute(month=JANUARY)
    assert row(c.s1).overdue == 2  # late and moved_on


def test_savings_pages_cost_and_hours(chart: Chart) -> None:
    c = chart
    with frozen(at(2, 9)):
        f = file_open(actor=c.bob, post_id=c.asst1.pk, subject="Savings")
        note_add(actor=c.bob, file_id=f.pk, body="One.")
    with frozen(at(2, 10)):
        file_send(actor=c.bob, file_id=f.pk, to_post_id=c.so1.pk)  # opened after 1 h: 3 h saved
    with frozen(at(2, 11)):
        file_mark_read(actor=c.alice, file_id=f.pk)
    with frozen(at(2, 12)):
        file_send(actor=c.alice, file_id=f.pk, to_post_id=c.asst1.pk)  # opened after 5 h: 0
    with frozen(at(2, 17)):
        file_mark_read(actor=c.bob, file_id=f.pk)
    with frozen(at(2, 18)):
        file_send(actor=c.bob, file_id=f.pk, to_post_id=c.so1.pk)  # never opened: claims 0
    with frozen(at(2, 19)):
        paper = file_open(actor=c.bob, post_id=c.asst1.pk, subject="Paper", is_physical=True)
    with frozen(at(2, 20)):
        file_send(actor=c.bob, file_id=paper.pk, to_post_id=c.so1.pk)  # paper: not a hop
    draft_version(f, post=c.so1, by=c.alice, created_at=at(4))
    draft_version(f, post=c.so1, by=c.alice, created_at=at(4, month=2))  # February
    copies = [Copy("internal", c.finance), Copy("email"), Copy("post"), Copy("hand", c.ministry)]
    dispatch(f, unit=c.s1, post=c.so1, by=c.alice, issued_at=at(10), copies=copies, pages=3)
    dispatch(f, unit=c.s1, post=c.so1, by=c.alice, issued_at=at(11), copies=[Copy("internal", c.ministry)], pages=None)
    compute()
    s1 = row(c.s1)
    # 1 note + 1 draft version + 2 electronic copies of 3 pages + 1 of unknown pages (1)
    assert s1.pages_saved == 1 + 1 + 6 + 1
    assert s1.cost_saved == Decimal("90.00")  # 9 pages at Rs 10
    assert s1.hops_electronic == 3 and s1.hours_saved == Decimal("3.0")
