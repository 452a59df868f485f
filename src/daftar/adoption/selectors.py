"""What the programme screens read: the ``MonthlyFigures`` summary rows and the names of the
units, never a file. Every selector starts from ``access.organisations_visible`` and answers
``NotFound`` to a person who may see nothing, so the views cannot forget the rule.

Reporting organisations (the rows of the national table) are the divisions, attached
departments and subordinate offices, and a ministry that has no division directly under it (a
ministry with divisions is reported through them). The total is the Government unit's own row,
which covers everything; without one, the sum of the organisations' counts.

Each page costs the same few queries however many organisations there are: the unit tree in
one query, the month and the month before in one, the twelve months of the charts in one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q

from daftar.adoption.access import organisations_visible
from daftar.adoption.models import MonthlyFigures
from daftar.adoption.period import month_shift
from daftar.adoption.rollup import SEPARATE_KINDS, UnitNode, covering, units_load
from daftar.lib.errors import NotFound
from daftar.org.models import ORGANISATION_KINDS, UnitKind

MONTHS_SHOWN = 12
REPORTING_KINDS = frozenset(
    {UnitKind.DIVISION, UnitKind.ATTACHED_DEPARTMENT, UnitKind.SUBORDINATE_OFFICE}
)
COUNT_FIELDS = tuple(
    f.name
    for f in MonthlyFigures._meta.get_fields()
    if f.get_internal_type() == "PositiveIntegerField"
)


@dataclass
class UnitTree:
    """Every unit's place, loaded in one query (a few thousand short rows at most)."""

    units: dict[int, UnitNode]
    children: dict[int | None, list[int]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def load(cls) -> UnitTree:
        tree = cls(units=units_load())
        for node in tree.units.values():
            tree.children[node.parent_id].append(node.id)
        return tree

    def above(self, unit_id: int) -> Iterable[UnitNode]:
        """The unit and its ancestors, nearest first (stops on a cycle in a mis-entered chart)."""
        seen: set[int] = set()
        current = self.units.get(unit_id)
        while current is not None and current.id not in seen:
            seen.add(current.id)
            yield current
            current = self.units.get(current.parent_id) if current.parent_id else None

    def ministry_of(self, unit_id: int) -> UnitNode | None:
        return next(
            (u for u in self.above(unit_id) if u.kind == UnitKind.MINISTRY and u.id != unit_id),
            None,
        )

    def reporting(self) -> list[int]:
        return [
            u.id
            for u in self.units.values()
            if u.kind in REPORTING_KINDS
            or (
                u.kind == UnitKind.MINISTRY
                and not any(self.units[c].kind == UnitKind.DIVISION for c in self.children[u.id])
            )
        ]

    def governments(self) -> list[int]:
        return [u.id for u in self.units.values() if u.kind == UnitKind.GOVERNMENT]

    def within(self, unit_id: int, visible: set[int] | None) -> bool:
        return visible is None or any(u.id in visible for u in self.above(unit_id))

    def covered(self, unit_id: int, others: set[int]) -> bool:
        """Whether another of ``others`` already counts the unit's work in its row (a division
        in its ministry's, anything in the Government's), as the roll-up added it up, so a
        sum must not count it twice."""
        return any(u in others for u in covering(self.units, unit_id)[1:])

    def members(self, org_id: int) -> list[tuple[UnitNode, int]]:
        """The units below an organisation that count in its figures, depth first, with their
        depth; a unit that is an organisation itself is listed but not opened."""
        found: list[tuple[UnitNode, int]] = []
        stack = [(c, 1) for c in reversed(self.children[org_id])]
        while stack:
            unit_id, depth = stack.pop()
            node = self.units[unit_id]
            if node.kind in SEPARATE_KINDS:
                continue
            found.append((node, depth))
            if node.kind not in ORGANISATION_KINDS:
                stack.extend((c, depth + 1) for c in reversed(self.children[unit_id]))
        return found


@dataclass(frozen=True)
class Row:
    """One unit's month in a table, with the month before for the trend of E."""

    unit: UnitNode
    figures: MonthlyFigures
    ministry: UnitNode | None = None
    previous: MonthlyFigures | None = None
    depth: int = 0

    @property
    def trend(self) -> str | None:
        """ "up", "down" or "same" for E against the month before; None when either is blank."""
        now = self.figures.e
        before = self.previous.e if self.previous is not None else None
        if now is None or before is None:
            return None
        return "up" if now > before else "down" if now < before else "same"


@dataclass(frozen=True)
class Programme:
    """The national table for a month and everything around it."""

    month: dt.date
    rows: list[Row]
    total: MonthlyFigures | None
    by_level: list[int]  # organisations at level 0..4
    chart_months: list[dt.date]
    chart_levels: list[list[int]]  # [level][month index]
    chart_usage: list[Decimal | None]  # the total's E per month
    final: bool


@dataclass(frozen=True)
class Organisation:
    """One organisation: its twelve months and its units for the month."""

    unit: UnitNode
    ministry: UnitNode | None
    month: dt.date
    current: MonthlyFigures | None
    history: list[MonthlyFigures]  # oldest first
    units: list[Row]


def months_shown(month: dt.date) -> list[dt.date]:
    """The months of the charts and the history: the twelve to ``month``, oldest first."""
    return [month_shift(month, i - MONTHS_SHOWN + 1) for i in range(MONTHS_SHOWN)]


def _visible_or_404(user: Any) -> set[int] | None:
    visible = organisations_visible(user)
    if visible is not None and not visible:
        raise NotFound("No such page.")
    return visible


def _scope(visible: set[int] | None, listed: list[int]) -> Q:
    """The rows a page reads: every organisation's (narrowed in Python), or, for an admin,
    exactly their few organisations'."""
    if visible is None:
        return Q(unit__kind__in=list(ORGANISATION_KINDS))
    return Q(unit_id__in=listed)


def months_available(user: Any) -> list[dt.date]:
    """The months with figures the person may see, newest first."""
    visible = _visible_or_404(user)
    rows = MonthlyFigures.objects.all()
    if visible is not None:
        rows = rows.filter(unit_id__in=visible)
    return list(rows.order_by("-month").values_list("month", flat=True).distinct())


def figures_sum(rows: Iterable[MonthlyFigures], month: dt.date) -> MonthlyFigures:
    """An unsaved row whose counts are the sums of ``rows`` (its shares follow from them)."""
    total = MonthlyFigures(month=month, final=True)
    for row in rows:
        for name in COUNT_FIELDS:
            setattr(total, name, getattr(total, name) + getattr(row, name))
        total.cost_saved += row.cost_saved
        total.hours_saved += row.hours_saved
        total.final = total.final and row.final
    return total


def _listed(tree: UnitTree, visible: set[int] | None) -> list[int]:
    """The organisations in the table: every reporting one, or the person's own with the
    reporting organisations below them."""
    if visible is None:
        return tree.reporting()
    own = [u for u in visible if u in tree.units]
    below = [u for u in tree.reporting() if u not in visible and tree.within(u, visible)]
    return own + below


def _total(
    tree: UnitTree,
    visible: set[int] | None,
    listed: list[int],
    month: dt.date,
    rows: dict[int, MonthlyFigures],
) -> MonthlyFigures | None:
    governments = [rows[g] for g in tree.governments() if g in rows] if visible is None else []
    if governments:
        return governments[0] if len(governments) == 1 else figures_sum(governments, month)
    present = {u for u in listed if u in rows}
    counted = [rows[u] for u in sorted(present) if not tree.covered(u, present)]
    return figures_sum(counted, month) if counted else None


def programme_month(user: Any, month: dt.date) -> Programme:
    """The national table for ``month`` (the person's own organisations for an admin)."""
    visible = _visible_or_404(user)
    tree = UnitTree.load()
    listed = _listed(tree, visible)
    both = MonthlyFigures.objects.filter(
        _scope(visible, listed), month__in=[month, month_shift(month, -1)]
    )
    by_month: dict[dt.date, dict[int, MonthlyFigures]] = defaultdict(dict)
    for figures in both:
        by_month[figures.month][figures.unit_id] = figures
    now, before = by_month[month], by_month[month_shift(month, -1)]
    rows = [
        Row(
            unit=tree.units[u],
            figures=now[u],
            ministry=tree.ministry_of(u),
            previous=before.get(u),
        )
        for u in listed
        if u in now
    ]
    by_level = [0] * 5
    for row in rows:
        by_level[min(row.figures.level, 4)] += 1
    months = months_shown(month)
    levels, usage = _charts(tree, visible, listed, months)
    return Programme(
        month=month,
        rows=rows,
        total=_total(tree, visible, listed, month, now),
        by_level=by_level,
        chart_months=months,
        chart_levels=levels,
        chart_usage=usage,
        final=all(row.figures.final for row in rows),
    )


def _charts(
    tree: UnitTree, visible: set[int] | None, listed: list[int], months: list[dt.date]
) -> tuple[list[list[int]], list[Decimal | None]]:
    """Organisations at each level in each of ``months``, and the total's E in each: one
    query over the few columns they need."""
    index = {m: i for i, m in enumerate(months)}
    wanted = set(listed) | (set(tree.governments()) if visible is None else set())
    values = MonthlyFigures.objects.filter(
        _scope(visible, listed), month__gte=months[0], month__lte=months[-1]
    ).values_list(
        "unit_id", "month", "level", "notes_electronic", "moves_electronic", "moves_physical"
    )
    levels = [[0] * MONTHS_SHOWN for _ in range(5)]
    per_month: dict[dt.date, dict[int, MonthlyFigures]] = defaultdict(dict)
    listed_set = set(listed)
    for unit_id, month, level, notes_e, moves_e, moves_p in values:
        if unit_id not in wanted:
            continue
        if unit_id in listed_set:
            levels[min(level, 4)][index[month]] += 1
        per_month[month][unit_id] = MonthlyFigures(
            notes_electronic=notes_e, moves_electronic=moves_e, moves_physical=moves_p
        )
    usage: list[Decimal | None] = []
    for month in months:
        total = _total(tree, visible, listed, month, per_month[month])
        usage.append(total.e if total is not None else None)
    return levels, usage


def organisation_checked(user: Any, unit_id: int) -> tuple[UnitTree, UnitNode]:
    """The unit tree and the organisation ``unit_id`` in it; NotFound for a unit that is not
    an organisation or not the person's."""
    visible = _visible_or_404(user)
    tree = UnitTree.load()
    unit = tree.units.get(unit_id)
    if unit is None or unit.kind not in ORGANISATION_KINDS or not tree.within(unit_id, visible):
        raise NotFound("No such organisation.")
    return tree, unit


def organisation_month(user: Any, unit_id: int, month: dt.date) -> Organisation:
    """One organisation's twelve months to ``month`` and its units in ``month``; NotFound
    as ``organisation_checked``."""
    tree, unit = organisation_checked(user, unit_id)
    first = months_shown(month)[0]
    history = list(
        MonthlyFigures.objects.filter(unit_id=unit_id, month__gte=first, month__lte=month).order_by(
            "month"
        )
    )
    members = tree.members(unit_id)
    figures = {
        f.unit_id: f
        for f in MonthlyFigures.objects.filter(
            unit_id__in=[node.id for node, _depth in members], month=month
        )
    }
    return Organisation(
        unit=unit,
        ministry=tree.ministry_of(unit_id),
        month=month,
        current=next((f for f in history if f.month == month), None),
        history=history,
        units=[
            Row(unit=node, figures=figures[node.id], depth=depth)
            for node, depth in members
            if node.id in figures
        ],
    )
