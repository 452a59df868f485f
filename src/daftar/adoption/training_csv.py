"""Reading the training CSV (``daftar import-training``, the upload screen): the header and
each row on its own. One row per attendee; the columns are ``COLUMNS`` (docs/training.md).

Checks that need the database (the unit, the person, who may record for whom, the date
against the organisation's today) are in ``daftar.adoption.training``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from daftar.lib.csvsheet import Problem, read_records

COLUMNS = ("organisation", "date", "topic", "trainer", "place", "email")
MAX_LENGTH = {
    "organisation": 40,
    "topic": 200,
    "trainer": 200,
    "place": 200,
    "email": 254,
}
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TEMPLATE = (
    "organisation,date,topic,trainer,place,email\n"
    "WRD,2026-03-12,Noting and drafting on Daftar,Sana Javed,Committee Room 2,"
    "so.dev1@mowr.gov.pk\n"
    "WRD,2026-03-12,Noting and drafting on Daftar,Sana Javed,Committee Room 2,"
    "asst.dev1@mowr.gov.pk\n"
)


@dataclass(frozen=True)
class Row:
    """One attendee of one session, as written on ``line``."""

    line: int
    organisation: str  # the unit code
    held_on: dt.date
    topic: str
    trainer: str
    place: str
    email: str  # lower case

    @property
    def session_key(self) -> tuple[str, dt.date, str, str, str]:
        return (self.organisation, self.held_on, self.topic, self.trainer, self.place)


def read_csv(text: str) -> tuple[list[Row], list[Problem]]:
    """Good rows and every single-row problem. Blank rows and rows whose first cell starts
    with ``#`` are skipped. A wrong header stops the reading (its problems are all on line 1)."""
    records, problems = read_records(text, required=COLUMNS, allowed=COLUMNS)
    rows: list[Row] = []
    for record in records:
        row, row_problems = _parse_row(record.line, record.cells)
        problems.extend(row_problems)
        if row is not None:
            rows.append(row)
    if not rows and not problems:
        problems.append(Problem(1, _("The file has no rows after the header; nothing to import.")))
    return rows, problems


def _parse_row(line: int, cells: dict[str, str]) -> tuple[Row | None, list[Problem]]:
    problems = [
        Problem(line, _("%(column)s is empty.") % {"column": column})
        for column in COLUMNS
        if not cells[column]
    ]
    for column, limit in MAX_LENGTH.items():
        if len(cells[column]) > limit:
            problems.append(
                Problem(
                    line,
                    _("%(column)s is longer than %(limit)s characters.")
                    % {"column": column, "limit": limit},
                )
            )
    held_on = None
    if cells["date"]:
        held_on = parse_date(cells["date"])
        if held_on is None:
            problems.append(
                Problem(
                    line,
                    _("date %(value)r is not a date written as YYYY-MM-DD.")
                    % {"value": cells["date"]},
                )
            )
    if problems or held_on is None:
        return None, problems
    row = Row(
        line=line,
        organisation=cells["organisation"],
        held_on=held_on,
        topic=" ".join(cells["topic"].split()),
        trainer=" ".join(cells["trainer"].split()),
        place=" ".join(cells["place"].split()),
        email=cells["email"].lower(),
    )
    return row, []


def parse_date(raw: str) -> dt.date | None:
    if not DATE_RE.match(raw):
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return None
