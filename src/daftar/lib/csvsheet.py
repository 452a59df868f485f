"""Reading a CSV sheet made in a spreadsheet: the header checked against the columns a
format has, then each row as a dict of stripped cells with its line number. Blank rows and
rows whose first cell starts with ``#`` are skipped; a row the CSV reader cannot read, or
one with more cells than the header, is a problem of its line. What a cell must hold is the
format's own business (``org.orgcsv``, ``adoption.training_csv``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return _("line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


@dataclass(frozen=True)
class Record:
    line: int
    cells: dict[str, str]


def decode(data: bytes) -> tuple[str, list[Problem]]:
    """The bytes as text: UTF-8, with or without the byte-order mark spreadsheets write; or
    the line that is not UTF-8."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return "", [Problem(line, _('This line is not UTF-8 text; save the sheet as "CSV UTF-8".'))]


def read_records(
    text: str, *, required: Iterable[str], allowed: Iterable[str]
) -> tuple[list[Record], list[Problem]]:
    """The rows of ``text`` (a byte-order mark is ignored), or the header's problems alone
    (all on line 1) when the header is wrong."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    try:
        header = next(reader)
    except StopIteration:
        return [], [Problem(1, _("The file is empty; the first line must name the columns."))]
    except csv.Error as exc:
        return [], [Problem(1, _("The header line cannot be read as CSV: %s.") % exc)]
    names = [h.strip().lower() for h in header]
    problems = header_problems(names, required=tuple(required), allowed=tuple(allowed))
    if problems:
        return [], problems
    records: list[Record] = []
    next_line = reader.line_num + 1
    while True:
        start = next_line
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(start, _("This line cannot be read as CSV: %s.") % exc))
            next_line = reader.line_num + 1
            continue
        next_line = reader.line_num + 1
        if not any(cell.strip() for cell in row) or row[0].strip().startswith("#"):
            continue
        if len(row) > len(names) and any(c.strip() for c in row[len(names) :]):
            message = _("%(cells)s cells but only %(columns)s columns in the header.")
            problems.append(Problem(start, message % {"cells": len(row), "columns": len(names)}))
            continue
        cells = {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(names)}
        records.append(Record(start, cells))
    return records, problems


def header_problems(
    names: list[str], *, required: tuple[str, ...], allowed: tuple[str, ...]
) -> list[Problem]:
    problems = []
    missing = [c for c in required if c not in names]
    if missing:
        message = _("Missing required column(s): %(names)s.")
        problems.append(Problem(1, message % {"names": ", ".join(missing)}))
    unknown = [n for n in names if n and n not in allowed]
    if unknown:
        message = _("Unknown column(s): %(unknown)s. The columns are: %(columns)s.")
        problems.append(
            Problem(1, message % {"unknown": ", ".join(unknown), "columns": ", ".join(allowed)})
        )
    repeated = sorted({n for n in names if n and names.count(n) > 1})
    if repeated:
        message = _("Column(s) named twice: %(names)s.")
        problems.append(Problem(1, message % {"names": ", ".join(repeated)}))
    if "" in names:
        problems.append(Problem(1, _("A column in the header has no name.")))
    return problems
