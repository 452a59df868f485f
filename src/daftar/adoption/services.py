"""State changes of the programme's figures: computing a month, and changing the rubric.

``levels_compute`` counts outside any transaction (on SQLite a transaction holds the write
lock, and counting a large month takes seconds), then replaces the month's rows and records
its audit event in one durable transaction. The same data gives the same rows: every figure
is fixed by the month and the data, never by the moment of computing (docs/adoption.md).
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django.db import models, transaction
from django.utils.translation import gettext as _

from daftar.adoption.figures import month_figures
from daftar.adoption.models import AdoptionPolicy, MonthlyFigures
from daftar.adoption.period import Period, month_of, month_previous, period_of
from daftar.audit.services import event_record
from daftar.lib import clock
from daftar.lib.errors import InvalidInput
from daftar.org.models import User

FIGURES = [
    f.name
    for f in MonthlyFigures._meta.concrete_fields
    if not f.primary_key and f.name not in {"unit", "month"}
]


@dataclass(frozen=True)
class ComputeReport:
    month: dt.date
    units: int
    final: bool
    seconds: float

    @property
    def summary(self) -> str:
        state = "final" if self.final else "to date"
        return f"{self.month:%Y-%m} ({state}): {self.units} units in {self.seconds:.1f} s"


class _Month:
    """What the audit event of a computed month is about: the month ("adoption_month",
    "2026-01"), not one of its many rows. It has the two attributes ``event_record`` reads
    from a model instance."""

    class _meta:  # the name ``event_record`` reads
        label_lower = "adoption_month"

    def __init__(self, month: dt.date) -> None:
        self.pk = f"{month:%Y-%m}"


def levels_compute(*, month: dt.date, actor: User | None = None) -> ComputeReport:
    """Compute every unit's figures and level for ``month`` (any day of it) and replace the
    month's rows. A month that has not begun is refused and nothing is written."""
    started = time.monotonic()
    now = clock.now()
    period = period_of(month, now=now)
    rows = month_figures(period, policy=AdoptionPolicy.current(), computed_at=now)
    _month_replace(period=period, rows=rows, actor=actor)
    return ComputeReport(
        month=period.month,
        units=len(rows),
        final=period.final,
        seconds=round(time.monotonic() - started, 3),
    )


@transaction.atomic(durable=True)
def _month_replace(*, period: Period, rows: list[MonthlyFigures], actor: User | None) -> None:
    # Rows are updated in place (same ids) so a recompute changes only what changed.
    MonthlyFigures.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["unit", "month"],
        update_fields=FIGURES,
    )
    levels = Counter(row.level for row in rows)
    event_record(
        actor=actor,
        action="levels_compute",
        obj=cast(models.Model, _Month(period.month)),
        after={
            "units": len(rows),
            "final": period.final,
            "as_of": period.end.isoformat(),
            "levels": {str(level): levels[level] for level in sorted(levels)},
        },
    )


def levels_refresh(*, actor: User | None = None) -> list[ComputeReport]:
    """The worker's round: the month to date, and the previous month once more after it has
    ended (until its rows are final)."""
    this_month = month_of(clock.now())
    previous = month_previous(this_month)
    reports = []
    stored = MonthlyFigures.objects.filter(month=previous)
    if not stored.exists() or stored.filter(final=False).exists():
        reports.append(levels_compute(month=previous, actor=actor))
    reports.append(levels_compute(month=this_month, actor=actor))
    return reports


# The rubric and costs -------------------------------------------------------------------

THRESHOLDS = (
    "staffed_min",
    "trained_min",
    "l2_receipts_min",
    "l2_electronic_min",
    "l3_electronic_min",
    "l3_receipts_min",
    "l4_electronic_min",
    "l4_receipts_min",
    "l4_signed_min",
    "l4_external_min",
)
POLICY_FIELDS = (*THRESHOLDS, "cost_per_page", "currency", "paper_transit_hours")
# Each level asks at least as much as the one below it.
ORDERED = (
    ("l2_electronic_min", "l3_electronic_min", "l4_electronic_min"),
    ("l2_receipts_min", "l3_receipts_min", "l4_receipts_min"),
)


def policy_values(policy: AdoptionPolicy) -> dict[str, Any]:
    return {name: getattr(policy, name) for name in POLICY_FIELDS}


def policy_problems(values: dict[str, Any]) -> dict[str, str]:
    """What is wrong with a complete set of rubric values (field → message); empty: none."""
    problems: dict[str, str] = {}
    for name in THRESHOLDS:
        value = values.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100:
            problems[name] = _("A threshold is a whole percentage from 0 to 100.")
    for chain in ORDERED:
        for lower, higher in itertools.pairwise(chain):
            if lower in problems or higher in problems:
                continue
            if values[lower] > values[higher]:
                problems[higher] = _(
                    "A higher level cannot ask for less than the level below it (%(low)s%%)."
                ) % {"low": values[lower]}
    for name, places, digits in (("cost_per_page", 2, 8), ("paper_transit_hours", 1, 5)):
        amount = _decimal(values.get(name))
        if amount is None or amount < 0 or amount != amount.quantize(Decimal(10) ** -places):
            problems[name] = _("Enter an amount of 0 or more, with at most %(n)s decimals.") % {
                "n": places
            }
        elif amount >= Decimal(10) ** (digits - places):
            problems[name] = _("That amount is too large.")
    currency = values.get("currency")
    if not isinstance(currency, str) or not 0 < len(currency.strip()) <= 10:
        problems["currency"] = _("Enter the currency's symbol, at most 10 characters.")
    return problems


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


@transaction.atomic(durable=True)
def policy_update(*, actor: User, **fields: Any) -> AdoptionPolicy:
    """Change the rubric's thresholds or the savings constants; the figures of a month
    change when it is next computed. Bad values change nothing."""
    unknown = sorted(set(fields) - set(POLICY_FIELDS))
    if unknown:
        raise InvalidInput(_("Unknown setting: %(names)s.") % {"names": ", ".join(unknown)})
    AdoptionPolicy.objects.bulk_create([AdoptionPolicy(pk=1)], ignore_conflicts=True)
    policy = AdoptionPolicy.objects.select_for_update().get(pk=1)
    before = policy_values(policy)
    values = {**before, **fields}
    problems = policy_problems(values)
    if problems:
        raise InvalidInput(" ".join(dict.fromkeys(problems.values())))
    values["currency"] = values["currency"].strip()
    for name in ("cost_per_page", "paper_transit_hours"):
        values[name] = Decimal(str(values[name]))
    changed = [name for name in POLICY_FIELDS if values[name] != before[name]]
    if not changed:
        return policy
    for name in changed:
        setattr(policy, name, values[name])
    policy.updated_at, policy.updated_by = clock.now(), actor
    policy.save(update_fields=[*changed, "updated_at", "updated_by"])
    event_record(
        actor=actor,
        action="adoption.policy_update",
        obj=policy,
        before={name: before[name] for name in changed},
        after={name: values[name] for name in changed},
    )
    return policy
