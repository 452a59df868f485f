"""Reading the organisation CSV (``daftar import-org``): the header, each row on its own.

Checks that need more than one row, or the database, are in ``daftar.org.import_check``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from daftar.lib.csvsheet import Problem, read_records
from daftar.org.models import ChargeKind, UnitKind
from daftar.org.roles import ROLES
from daftar.org.validators import validate_official_email

UNIT_COLUMNS = ("unit_code", "unit_name", "unit_kind", "parent_unit_code")
POST_COLUMNS = ("post_code", "designation", "grade", "reports_to")
PERSON_COLUMNS = ("email", "full_name", "charge_kind", "charge_start", "charge_end", "roles")
REQUIRED_COLUMNS = UNIT_COLUMNS + POST_COLUMNS
ALL_COLUMNS = REQUIRED_COLUMNS + PERSON_COLUMNS
MAX_LENGTH = {
    "unit_code": 40,
    "unit_name": 200,
    "parent_unit_code": 40,
    "post_code": 40,
    "designation": 200,
    "reports_to": 40,
    "email": 254,
    "full_name": 200,
}
GRADE_RE = re.compile(r"^(?:BPS|BS)?[- ]?(\d{1,2})$", re.IGNORECASE)
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_GRADE = 22
CHARGE_COLUMNS = frozenset({"email", "charge_kind", "charge_start", "charge_end"})


@dataclass
class Row:
    line: int
    unit_code: str
    unit_name: str
    unit_kind: str
    parent_code: str
    post_code: str
    designation: str
    grade: int | None
    reports_to: str
    email: str
    full_name: str
    charge_kind: str
    charge_start: dt.date | None
    charge_end: dt.date | None
    roles: tuple[str, ...] = ()  # names from daftar.org.roles.ROLES, given to the person
    bad: set[str] = field(default_factory=set)  # columns whose value could not be used


def read_csv(text: str) -> tuple[list[Row], list[Problem]]:
    """Rows with their own (single-row) problems. Blank rows and rows whose first cell starts
    with ``#`` are skipped."""
    records, problems = read_records(text, required=REQUIRED_COLUMNS, allowed=ALL_COLUMNS)
    rows: list[Row] = []
    for record in records:
        row, row_problems = _parse_row(record.line, record.cells)
        rows.append(row)
        problems.extend(row_problems)
    return rows, problems


def _parse_row(line: int, c: dict[str, str]) -> tuple[Row, list[Problem]]:
    problems: list[Problem] = []
    bad: set[str] = set()
    roles: tuple[str, ...] = ()

    def fail(column: str, message: str) -> None:
        bad.add(column)
        problems.append(Problem(line, message))

    for column, limit in MAX_LENGTH.items():
        if len(c.get(column, "")) > limit:
            fail(column, f"{column} is longer than {limit} characters.")
    unit_code = c["unit_code"]
    if not unit_code:
        fail("unit_code", "unit_code is empty; every row belongs to a unit.")
    kind = c["unit_kind"].lower()
    if kind and kind not in UnitKind.values:
        fail(
            "unit_kind",
            f"unit_kind {c['unit_kind']!r} is not one of: {', '.join(UnitKind.values)}.",
        )
    parent = c["parent_unit_code"]
    if parent and parent == unit_code:
        fail("parent_unit_code", f"Unit {unit_code} cannot be its own parent.")

    post_code = c["post_code"]
    grade: int | None = None
    if post_code:
        if not c["designation"]:
            fail("designation", f"Post {post_code} has no designation.")
        if c["grade"]:
            match = GRADE_RE.match(c["grade"])
            grade = int(match.group(1)) if match else None
            if grade is None or not 1 <= grade <= MAX_GRADE:
                fail("grade", f"grade {c['grade']!r} is not a BPS grade from 1 to 22.")
                grade = None
        if c["reports_to"] == post_code:
            fail("reports_to", f"Post {post_code} cannot report to itself.")
    else:
        stray = [k for k in ("designation", "grade", "reports_to", *PERSON_COLUMNS) if c.get(k)]
        if stray:
            fail("post_code", f"{', '.join(stray)} given but post_code is empty.")

    email = c.get("email", "").lower()
    charge_kind = c.get("charge_kind", "").lower()
    start = _date(c.get("charge_start", ""), "charge_start", fail)
    end = _date(c.get("charge_end", ""), "charge_end", fail)
    if email:
        try:
            validate_email(email)
            validate_official_email(email)
        except ValidationError as exc:
            fail("email", exc.messages[0])
        if charge_kind and charge_kind not in ChargeKind.values:
            fail(
                "charge_kind",
                f"charge_kind {c['charge_kind']!r} is not one of: {', '.join(ChargeKind.values)}.",
            )
        if start and end and end < start:
            fail("charge_end", "charge_end is before charge_start.")
        roles = _roles(c.get("roles", ""), fail)
    elif post_code:
        stray = [k for k in PERSON_COLUMNS[1:] if c.get(k)]
        if stray:
            fail("email", f"{', '.join(stray)} given but email is empty.")
    row = Row(
        line=line,
        unit_code=unit_code,
        unit_name=c["unit_name"],
        unit_kind=kind if "unit_kind" not in bad else "",
        parent_code=parent if "parent_unit_code" not in bad else "",
        post_code=post_code,
        designation=c["designation"],
        grade=grade,
        reports_to=c["reports_to"] if "reports_to" not in bad else "",
        email=email if "email" not in bad else "",
        full_name=" ".join(c.get("full_name", "").split()),
        charge_kind=charge_kind or ChargeKind.REGULAR,
        charge_start=start,
        charge_end=end,
        roles=roles,
        bad=bad,
    )
    return row, problems


def _roles(raw: str, fail: Callable[[str, str], None]) -> tuple[str, ...]:
    """``officer; signing_officer`` as role names; an unknown name is a problem on the line."""
    names = sorted({name.strip().lower() for name in raw.split(";") if name.strip()})
    unknown = [name for name in names if name not in ROLES]
    if unknown:
        fail(
            "roles",
            f"Unknown role(s): {', '.join(unknown)}. The roles are: {', '.join(ROLES)} "
            "(separate several with ;).",
        )
        return ()
    return tuple(names)


def _date(raw: str, column: str, fail: Callable[[str, str], None]) -> dt.date | None:
    if not raw:
        return None
    try:
        if not DATE_RE.match(raw):
            raise ValueError(raw)
        return dt.date.fromisoformat(raw)
    except ValueError:
        fail(column, f"{column} {raw!r} is not a date written as YYYY-MM-DD.")
        return None
