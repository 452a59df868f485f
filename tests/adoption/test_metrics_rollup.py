"""The roll-up: a unit's row covers the units below it, distinct things counted once, an
attached department reports on its own, the Government unit counts everything."""

from __future__ import annotations

import datetime as dt

import pytest

from daftar.adoption.models import MonthlyFigures
from daftar.adoption.rollup import UnitNode, covering
from daftar.adoption.services import levels_compute
from daftar.files.services import file_open, note_add
from daftar.movement.services import file_send
from daftar.org.models import OrgUnit
from tests.adoption.builders import Chart, activity, at, frozen, make_chart, receipt

pytestmark = pytest.mark.django_db

JANUARY = dt.date(2026, 1, 1)


def row(unit: OrgUnit) -> MonthlyFigures:
    return MonthlyFigures.objects.get(unit=unit, month=JANUARY)


@pytest.fixture
def chart(db: None) -> Chart:
    c = make_chart()
    with frozen(at(5)):
        f1 = file_open(actor=c.alice, post_id=c.so1.pk, subject="In Section One")
        f2 = file_open(actor=c.alice, post_id=c.so2.pk, subject="In Section Two")
        f3 = file_open(actor=c.cora, post_id=c.so_canals.pk, subject="In the department")
        f4 = file_open(actor=c.fred, post_id=c.so_budget.pk, subject="In Finance")
        note_add(actor=c.alice, file_id=f1.pk, body="A note.")
    with frozen(at(6)):
        file_send(actor=c.alice, file_id=f1.pk, to_post_id=c.so2.pk)  # S1 → S2: one file
        file_send(actor=c.alice, file_id=f2.pk, to_post_id=c.ds.pk)
        file_send(actor=c.cora, file_id=f3.pk, to_post_id=c.director.pk)
        file_send(actor=c.fred, file_id=f4.pk, to_post_id=c.so1.pk)
    with frozen(at(7)):
        file_send(actor=c.alice, file_id=f1.pk, to_post_id=c.ds.pk)  # on from S2
    receipt(c.registry, holder=c.clerk, by=c.rita, created_at=at(7))
    activity(c.bob, at(8))
    with frozen(at(1, 9, month=3)):
        levels_compute(month=JANUARY)
    return c


def test_a_wing_covers_its_two_sections_counting_a_file_and_a_person_once(chart: Chart) -> None:
    c = chart
    s1, s2, wing = row(c.s1), row(c.s2), row(c.wing)
    assert (s1.moves_electronic, s2.moves_electronic) == (2, 3)  # S2: f2 opened and sent, f1 sent
    assert wing.moves_electronic == 5 and wing.notes_electronic == 1
    assert (s1.files_electronic, s2.files_electronic, wing.files_electronic) == (1, 2, 2)
    # alice holds SO-1 and SO-2; bob Assistant-1; dan the wing's DS post
    assert (s1.people, s2.people, wing.people) == (2, 1, 3)
    assert (s1.people_active, s2.people_active, wing.people_active) == (2, 1, 2)
    assert (wing.posts, wing.posts_staffed) == (5, 4)


def test_an_attached_department_reports_on_its_own(chart: Chart) -> None:
    c = chart
    attached, ministry = row(c.attached), row(c.ministry)
    assert (row(c.canals).moves_electronic, attached.moves_electronic) == (2, 2)
    assert attached.people == 2  # ivan and cora
    assert ministry.moves_electronic == 5  # the wing's; not the department's
    assert ministry.people == 5  # carol, dan, alice, bob, rita
    assert ministry.receipts_electronic == 1


def test_the_government_counts_everything(chart: Chart) -> None:
    gov = row(chart.gov)
    assert gov.moves_electronic == 9 and gov.files_electronic == 4
    assert gov.people == 8 and gov.posts == 10 and gov.receipts_electronic == 1


def test_every_unit_has_a_row(chart: Chart) -> None:
    assert MonthlyFigures.objects.filter(month=JANUARY).count() == OrgUnit.objects.count()


def test_a_loop_in_a_mis_entered_chart_ends_the_walk() -> None:
    units = {
        1: UnitNode(1, 2, "section", "A", "A"),
        2: UnitNode(2, 1, "wing", "B", "B"),
    }
    assert covering(units, 1) == [1, 2]


def test_a_government_above_an_attached_department_still_covers_it() -> None:
    units = {
        1: UnitNode(1, None, "government", "GOV", "Government"),
        2: UnitNode(2, 1, "ministry", "MIN", "Ministry"),
        3: UnitNode(3, 2, "attached_department", "ATT", "Department"),
        4: UnitNode(4, 3, "subordinate_office", "SUB", "Office"),
        5: UnitNode(5, 4, "section", "SEC", "Section"),
    }
    assert covering(units, 5) == [5, 4, 1]
    assert covering(units, 3) == [3, 1]
