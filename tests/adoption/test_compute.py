"""levels_compute as a whole: identical on recompute, refuses the future, audited, a fixed
number of queries; the task, the ``daftar levels`` command and the worker's round."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from daftar.adoption.models import MonthlyFigures
from daftar.adoption.services import levels_compute, levels_refresh
from daftar.adoption.tasks import levels_compute_task
from daftar.audit.models import AuditEvent
from daftar.files.services import file_open, note_add
from daftar.lib.errors import InvalidInput
from daftar.movement.services import file_send
from tests.adoption.builders import Chart, activity, at, frozen, make_chart, receipt, trained

pytestmark = pytest.mark.django_db

JANUARY = dt.date(2026, 1, 1)
LATER = at(1, 9, month=3)


@pytest.fixture
def chart(db: None) -> Chart:
    return make_chart()


def files_worked(c: Chart, count: int) -> None:
    """``count`` files opened in Section One, noted and sent up in January."""
    for i in range(count):
        with frozen(at(2 + i % 20, 9)):
            f = file_open(actor=c.bob, post_id=c.asst1.pk, subject=f"File {i}")
            note_add(actor=c.bob, file_id=f.pk, body="Put up.")
        with frozen(at(2 + i % 20, 11)):
            file_send(actor=c.bob, file_id=f.pk, to_post_id=c.so1.pk, due_on=dt.date(2026, 1, 25))


def snapshot() -> list[dict[str, Any]]:
    rows = MonthlyFigures.objects.order_by("unit_id", "month").values()
    return [{k: v for k, v in r.items() if k != "computed_at"} for r in rows]


def test_recomputing_a_month_gives_identical_rows(chart: Chart) -> None:
    files_worked(chart, 4)
    receipt(chart.registry, holder=chart.clerk, by=chart.rita, created_at=at(3))
    with frozen(LATER):
        first = levels_compute(month=JANUARY)
    before = snapshot()
    with frozen(at(2, 9, month=4)):  # later still, and another day
        second = levels_compute(month=dt.date(2026, 1, 17))
    assert snapshot() == before
    assert first.units == second.units == 9 and first.final and second.final
    assert first.month == second.month == JANUARY


def test_a_future_month_is_refused_and_nothing_is_written(chart: Chart) -> None:
    events = AuditEvent.objects.count()
    with frozen(at(31, 23, 59)), pytest.raises(InvalidInput, match="2026-02 has not begun"):
        levels_compute(month=dt.date(2026, 2, 1))
    assert not MonthlyFigures.objects.exists()
    assert AuditEvent.objects.count() == events


def test_the_month_to_date_is_not_final(chart: Chart) -> None:
    with frozen(at(15)):
        report = levels_compute(month=JANUARY)
    assert not report.final
    assert not MonthlyFigures.objects.filter(final=True).exists()


def test_the_computation_is_audited(chart: Chart, django_user_model: Any) -> None:
    with frozen(LATER):
        levels_compute(month=JANUARY, actor=chart.carol)
    event = AuditEvent.objects.get(action="levels_compute")
    assert (event.object_type, event.object_id) == ("adoption_month", "2026-01")
    assert event.actor == chart.carol
    assert event.after is not None
    assert event.after["units"] == 9 and event.after["final"] is True
    assert event.after["levels"] == {"0": 9}


def test_the_number_of_queries_does_not_grow_with_the_files(chart: Chart) -> None:
    def queries(count: int) -> int:
        files_worked(chart, count)
        with frozen(LATER), CaptureQueriesContext(connection) as captured:
            levels_compute(month=JANUARY)
        return len(captured)

    few = queries(3)
    assert queries(30) == few
    assert MonthlyFigures.objects.get(unit=chart.s1, month=JANUARY).notes_electronic == 33


def test_the_task_computes_a_month(chart: Chart) -> None:
    files_worked(chart, 1)
    with frozen(LATER):
        result = levels_compute_task.call("2026-01")
    assert result.startswith("2026-01 (final): 9 units in ")
    assert MonthlyFigures.objects.get(unit=chart.s1, month=JANUARY).moves_electronic == 2


def organisation_ready(c: Chart) -> None:
    """The ministry at level 1: staffed, trained, active, hardly any file work online."""
    for person in (c.alice, c.bob, c.carol, c.dan, c.rita):
        trained(person, on=dt.date(2025, 12, 1), organisation=c.ministry)
        activity(person, at(20))


def test_the_command_prints_each_organisations_level(chart: Chart) -> None:
    organisation_ready(chart)
    out = io.StringIO()
    with frozen(LATER):
        call_command("levels", "--month", "2026-01", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("2026-01 (final): 9 units in ")
    assert lines[1:] == [
        "  FIN Finance Division: level 0 — no active people",
        "  GOV Government: level 1 — 9 of 10 posts staffed, T 63%; level 2 needs R ≥ 50% and "
        "E ≥ 25%: no file work this month",
        "  IRR Irrigation Department: level 0 — no active people",
        "  MOW Ministry of Water: level 1 — 6 of 7 posts staffed, T 100%; level 2 needs R ≥ 50% "
        "and E ≥ 25%: no file work this month",
    ]


def test_the_command_computes_last_month_and_this_month_by_default(chart: Chart) -> None:
    out = io.StringIO()
    with frozen(at(10, month=2)):
        call_command("levels", stdout=out)
    assert "2026-01 (final)" in out.getvalue() and "2026-02 (to date)" in out.getvalue()
    months = set(MonthlyFigures.objects.values_list("month", "final"))
    assert months == {(JANUARY, True), (dt.date(2026, 2, 1), False)}


def test_the_command_computes_every_month_since(chart: Chart) -> None:
    with frozen(at(10, month=3)):
        call_command("levels", "--since", "2025-12", stdout=io.StringIO())
    assert MonthlyFigures.objects.values("month").distinct().count() == 4


def test_the_command_refuses_a_bad_month(chart: Chart) -> None:
    with pytest.raises(CommandError, match="not a month"):
        call_command("levels", "--month", "2026-13", stdout=io.StringIO())
    with frozen(at(10)), pytest.raises(CommandError, match="has not begun"):
        call_command("levels", "--month", "2026-02", stdout=io.StringIO())


def test_the_worker_round_computes_this_month_and_the_ended_one_once(chart: Chart) -> None:
    with frozen(at(10, month=2)):
        first = levels_refresh()
        second = levels_refresh()
    assert [(r.month.month, r.final) for r in first] == [(1, True), (2, False)]
    assert [(r.month.month, r.final) for r in second] == [(2, False)]


@pytest.mark.django_db(transaction=True)  # the worker closes its database connections
def test_the_worker_recomputes_on_its_rounds(chart: Chart) -> None:
    call_command("worker", "--batch", "--fetch-mail-every", "0", stdout=io.StringIO())
    assert not MonthlyFigures.objects.exists()  # the first round comes after --levels-every
    out = io.StringIO()
    call_command(
        "worker", "--batch", "--fetch-mail-every", "0", "--levels-every", "1e-9", stdout=out
    )
    assert "E-office figures of" in out.getvalue()
    assert MonthlyFigures.objects.filter(final=False).exists()
