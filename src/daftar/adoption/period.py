"""The month being computed: its bounds in the instance's time zone and its as-of moment.

A month is a calendar month in ``settings.TIME_ZONE``: [first day 00:00, first day of the
next month 00:00). A month that has ended is computed as of its end (``final``); the month in
progress as of now. Every figure counts events in [start, end) and states at ``end``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

from daftar.lib.errors import InvalidInput

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Period:
    month: dt.date  # the first day
    start: dt.datetime  # the first day 00:00, aware
    end: dt.datetime  # the as-of moment (exclusive): the month's end, or now
    final: bool

    @property
    def day(self) -> dt.date:
        """The last day the month covers so far: its last day, or today (charges held and
        training done "on the as-of date")."""
        return (self.end - dt.timedelta(microseconds=1)).astimezone(zone()).date()

    @property
    def due_before(self) -> dt.date:
        """An item is overdue at ``end`` when its due date is before this day: at the end of
        January a file due on 31 January is overdue; today, one due today is not yet."""
        return self.end.astimezone(zone()).date()


def zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def month_first(month: dt.date) -> dt.date:
    return month.replace(day=1)


def month_shift(month: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after (or, negative, before) ``month``'s."""
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_next(month: dt.date) -> dt.date:
    return month_shift(month, 1)


def month_previous(month: dt.date) -> dt.date:
    return month_shift(month, -1)


def month_of(moment: dt.datetime) -> dt.date:
    """The month (first day) that ``moment`` falls in, in the instance's time zone."""
    return moment.astimezone(zone()).date().replace(day=1)


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=zone())


def period_of(month: dt.date, *, now: dt.datetime) -> Period:
    """The period of ``month`` seen at ``now``; a month that has not begun is refused."""
    first = month_first(month)
    start, month_end = midnight(first), midnight(month_next(first))
    if start > now:
        raise InvalidInput(
            _("%(month)s has not begun; only past months and this month can be computed.")
            % {"month": f"{first:%Y-%m}"}
        )
    final = month_end <= now
    return Period(month=first, start=start, end=month_end if final else now, final=final)


def month_parse(text: str) -> dt.date:
    """``"2026-01"`` → 1 January 2026; anything else is refused with a clear message."""
    found = _MONTH.match(text.strip())
    if found is None or not 1 <= int(found.group(2)) <= 12:
        raise InvalidInput(_("%(text)r is not a month; write it as YYYY-MM.") % {"text": text})
    return dt.date(int(found.group(1)), int(found.group(2)), 1)
