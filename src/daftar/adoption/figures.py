"""From the rolled-up tallies to the month's ``MonthlyFigures`` rows, level and reason
included (not saved here: ``services.levels_compute`` writes them)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from daftar.adoption.levels import level_of
from daftar.adoption.metrics import HOUR_MICROSECONDS, Counter
from daftar.adoption.models import AdoptionPolicy, MonthlyFigures
from daftar.adoption.period import Period
from daftar.adoption.rollup import Tally, roll_up, units_load

TENTH = Decimal("0.1")


def month_figures(
    period: Period, *, policy: AdoptionPolicy, computed_at: dt.datetime
) -> list[MonthlyFigures]:
    """Every unit's row for ``period``, ordered by unit id."""
    units = units_load()
    counter = Counter(period, units, policy.paper_transit_hours)
    totals = roll_up(units, counter.count_all())
    rows = []
    for unit_id in sorted(totals):
        row = figures_row(totals[unit_id], counter, policy=policy)
        row.unit_id, row.month, row.final = unit_id, period.month, period.final
        row.computed_at = computed_at
        row.level, row.reason = level_of(row, policy)
        rows.append(row)
    return rows


def figures_row(tally: Tally, counter: Counter, *, policy: AdoptionPolicy) -> MonthlyFigures:
    return MonthlyFigures(
        notes_electronic=tally.notes_electronic,
        moves_electronic=tally.moves_electronic,
        moves_physical=tally.moves_physical,
        files_electronic=len(tally.files_electronic),
        files_physical=len(tally.files_physical),
        receipts_electronic=tally.receipts_electronic,
        receipts_physical=tally.receipts_physical,
        letters_signed=tally.letters_signed,
        letters_paper=tally.letters_paper,
        external_electronic=tally.external_electronic,
        external_paper=tally.external_paper,
        posts=tally.posts,
        posts_staffed=len(tally.posts_staffed),
        people=len(tally.people),
        people_trained=len(tally.people & counter.trained),
        people_active=len(tally.people & counter.active),
        median_wait_hours=median_hours(tally.waits),
        overdue=tally.overdue,
        pages_saved=tally.pages_saved,
        cost_saved=(tally.pages_saved * policy.cost_per_page).quantize(Decimal("0.01")),
        hops_electronic=tally.hops_electronic,
        hours_saved=hours(tally.saved_microseconds),
    )


def hours(microseconds: int | Decimal) -> Decimal:
    """Microseconds as hours, one decimal, half up."""
    return (Decimal(microseconds) / HOUR_MICROSECONDS).quantize(TENTH, rounding=ROUND_HALF_UP)


def median_hours(waits: list[int]) -> Decimal | None:
    """The median wait in hours (one decimal); None when no file moved on."""
    if not waits:
        return None
    ordered = sorted(waits)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return hours(ordered[middle])
    return hours(Decimal(ordered[middle - 1] + ordered[middle]) / 2)
