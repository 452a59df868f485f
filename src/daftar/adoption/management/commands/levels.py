"""``daftar levels [--month YYYY-MM | --since YYYY-MM]``: compute the programme's figures and
e-office levels (docs/adoption.md) and print each organisation's level and reason.

Without options: the last complete month and the month to date. ``--since`` computes every
month from the one given to this one (a year of history after an import, say). The worker
does the same on its own every ``--levels-every`` seconds.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from daftar.adoption.models import MonthlyFigures
from daftar.adoption.period import month_next, month_of, month_parse, month_previous
from daftar.adoption.services import ComputeReport, levels_compute
from daftar.lib import clock
from daftar.lib.errors import DaftarError
from daftar.org.models import ORGANISATION_KINDS


class Command(BaseCommand):
    help = "Compute the monthly figures and e-office levels; print each organisation's level."

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--month", help="the month to compute, YYYY-MM")
        which.add_argument("--since", help="compute every month from this one (YYYY-MM) to now")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            for month in self._months(options["month"], options["since"]):
                self._report(levels_compute(month=month))
        except DaftarError as exc:
            raise CommandError(exc.message) from exc

    def _months(self, month: str | None, since: str | None) -> list[dt.date]:
        this_month = month_of(clock.now())
        if month is not None:
            return [month_parse(month)]
        if since is None:
            return [month_previous(this_month), this_month]
        months = [month_parse(since)]
        while months[-1] < this_month:
            months.append(month_next(months[-1]))
        return months

    def _report(self, report: ComputeReport) -> None:
        self.stdout.write(report.summary)
        rows = (
            MonthlyFigures.objects.filter(month=report.month, unit__kind__in=ORGANISATION_KINDS)
            .select_related("unit")
            .order_by("unit__code")
        )
        for row in rows:
            # The reason starts "level 3: …"; the line already says the level.
            reason = row.reason.removeprefix(f"level {row.level}: ")
            self.stdout.write(f"  {row.unit.code} {row.unit.name}: level {row.level} — {reason}")
