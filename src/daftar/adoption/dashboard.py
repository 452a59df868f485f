"""How the programme screens and their exports present the figures: the month in the address,
the sort orders of the table, the columns every export shares, and the method in words.

One list of columns feeds the CSV, the spreadsheet and the PDF, so the three always agree.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daftar.adoption.models import AdoptionPolicy, MonthlyFigures
from daftar.adoption.period import month_of
from daftar.adoption.selectors import Row
from daftar.lib import clock
from daftar.lib.errors import InvalidInput

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
TREND_SYMBOLS = {"up": "▲", "down": "▼", "same": "▬"}


def month_parse(text: str) -> dt.date:
    """``YYYY-MM`` as the month's first day; InvalidInput with a clear message otherwise."""
    match = _MONTH.match(text.strip())
    if match is None or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
        raise InvalidInput(
            _("“%(text)s” is not a month: write it as year and month, e.g. 2025-03.")
            % {"text": text[:20]}
        )
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


def month_label(month: dt.date) -> str:
    return formats.date_format(month, "F Y")


def month_default(months: list[dt.date]) -> dt.date | None:
    """The last complete month that has figures; else the newest month there is (to date)."""
    this_month = month_of(clock.now())
    complete = [m for m in months if m < this_month]
    if complete:
        return max(complete)
    return max(months) if months else None


# The table's sort orders: name → the row's value. Numbers sort high to low on the first
# click, names A to Z; a blank share (no such work) always sorts last.
SORTS: dict[str, Callable[[Row], Any]] = {
    "name": lambda row: row.unit.name.casefold(),
    "ministry": lambda row: row.ministry.name.casefold() if row.ministry else None,
    "level": lambda row: row.figures.level,
    "e": lambda row: row.figures.e,
    "r": lambda row: row.figures.r,
    "d": lambda row: row.figures.d,
    "x": lambda row: row.figures.x,
    "trained": lambda row: row.figures.t,
    "active": lambda row: row.figures.a,
    "pages": lambda row: row.figures.pages_saved,
    "hours": lambda row: row.figures.hours_saved,
}
TEXT_SORTS = frozenset({"name", "ministry"})
DEFAULT_SORT = "name"


def sort_parse(text: str | None) -> str:
    """A known order (``e`` or ``-e``), else the default: a stale link never fails."""
    text = (text or "").strip()
    return text if text.lstrip("-") in SORTS else DEFAULT_SORT


def rows_sorted(rows: list[Row], sort: str) -> list[Row]:
    """Sorted by ``sort`` (``-`` reverses the natural order), ties by name then id, blanks
    last either way: the same order every time, with or without JavaScript."""
    key = sort.lstrip("-")
    descending = (key not in TEXT_SORTS) != sort.startswith("-")
    by_name = sorted(rows, key=lambda row: (row.unit.name.casefold(), row.unit.id))
    value = SORTS[key]
    present = [row for row in by_name if value(row) is not None]
    blank = [row for row in by_name if value(row) is None]
    return sorted(present, key=value, reverse=descending) + blank


def sort_link(current: str, key: str) -> str:
    """The ``sort`` a header's link asks for: its natural order, or the reverse when the
    table is already in it."""
    return f"-{key}" if current == key else key


@dataclass(frozen=True)
class Column:
    header: Any  # a lazy translation
    value: Callable[[Row], Any]
    number_format: str = "General"


def _pct(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _wait(figures: MonthlyFigures) -> float | None:
    return float(figures.median_wait_hours) if figures.median_wait_hours is not None else None


COLUMNS: list[Column] = [
    Column(gettext_lazy("Month"), lambda row: row.figures.month.strftime("%Y-%m")),
    Column(gettext_lazy("Code"), lambda row: row.unit.code),
    Column(gettext_lazy("Organisation or unit"), lambda row: row.unit.name),
    Column(gettext_lazy("Ministry"), lambda row: row.ministry.name if row.ministry else ""),
    Column(gettext_lazy("Level"), lambda row: row.figures.level),
    Column(gettext_lazy("Reason"), lambda row: row.figures.reason),
    Column(gettext_lazy("Usage % (E)"), lambda row: _pct(row.figures.e), "0.0"),
    Column(gettext_lazy("Trend of E"), lambda row: row.trend or ""),
    Column(gettext_lazy("R %"), lambda row: _pct(row.figures.r), "0.0"),
    Column(gettext_lazy("D %"), lambda row: _pct(row.figures.d), "0.0"),
    Column(gettext_lazy("X %"), lambda row: _pct(row.figures.x), "0.0"),
    Column(gettext_lazy("People"), lambda row: row.figures.people),
    Column(gettext_lazy("Trained"), lambda row: row.figures.people_trained),
    Column(gettext_lazy("T %"), lambda row: _pct(row.figures.t), "0.0"),
    Column(gettext_lazy("Active"), lambda row: row.figures.people_active),
    Column(gettext_lazy("A %"), lambda row: _pct(row.figures.a), "0.0"),
    Column(gettext_lazy("Pages saved"), lambda row: row.figures.pages_saved),
    Column(gettext_lazy("Cost saved"), lambda row: float(row.figures.cost_saved), "#,##0.00"),
    Column(gettext_lazy("Hours saved"), lambda row: float(row.figures.hours_saved), "0.0"),
    Column(gettext_lazy("Median wait (hours)"), lambda row: _wait(row.figures), "0.0"),
    Column(gettext_lazy("Overdue"), lambda row: row.figures.overdue),
    Column(gettext_lazy("Month complete"), lambda row: "yes" if row.figures.final else "no"),
]


def method(policy: AdoptionPolicy) -> list[str]:
    """How the figures are computed, in words, with the thresholds and costs in force."""
    p = policy
    return [
        _(
            "Daftar computes these figures each month from its own records (files, notes, "
            "movements, receipts, letters, charges, training records and the audit trail); "
            "nobody types them in, and nobody here sees a file's contents. An organisation "
            "counts the work of its wings and sections; an attached department or subordinate "
            "office reports on its own."
        ),
        _(
            "E (usage %) is the share of file work (notes and movements) done on electronic "
            "files rather than on paper files. R is the share of receipts diarised with an "
            "electronic copy. D is the share of outgoing letters signed electronically. X is "
            "the share of copies to other organisations sent electronically. T is the share of "
            "people holding posts who have a training record; A the share who used Daftar in "
            "the month. A dash means there was no such work that month."
        ),
        _(
            "Levels form a ladder: a level needs every rule of the levels below it. "
            "Level 1: at least one active person, %(staffed)s%% of posts staffed and "
            "T ≥ %(t)s%%. Level 2: R ≥ %(r2)s%% and E ≥ %(e2)s%%. Level 3: E ≥ %(e3)s%% and "
            "R ≥ %(r3)s%%. Level 4: E ≥ %(e4)s%%, R ≥ %(r4)s%%, D ≥ %(d4)s%% and X ≥ %(x4)s%%. "
            "With no file work E fails; with no receipts, letters or copies to other "
            "organisations R, D or X pass, since nothing was done on paper."
        )
        % {
            "staffed": p.staffed_min,
            "t": p.trained_min,
            "r2": p.l2_receipts_min,
            "e2": p.l2_electronic_min,
            "e3": p.l3_electronic_min,
            "r3": p.l3_receipts_min,
            "e4": p.l4_electronic_min,
            "r4": p.l4_receipts_min,
            "d4": p.l4_signed_min,
            "x4": p.l4_external_min,
        },
        _(
            "Pages saved: each note written electronically, each draft version and each page "
            "of a letter delivered electronically is a page not printed. Cost saved = pages "
            "saved × %(currency)s %(cost)s a page."  # noqa: RUF001
        )
        % {"currency": p.currency, "cost": p.cost_per_page},
        _(
            "Hours saved: a paper file takes %(hours)s hours from desk to desk; each electronic "
            "movement saves that time less the time until it was read (never less than "
            "nothing; a movement not yet read claims nothing)."
        )
        % {"hours": p.paper_transit_hours},
    ]
