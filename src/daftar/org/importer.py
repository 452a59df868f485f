"""Load an organisation chart from a CSV file (``daftar import-org FILE.csv``).

One row per post; units are declared by the columns of the rows that mention them (a row may
declare a unit alone); a person is optional on each row. The format, with an example, is in
docs/import-org.md.

The whole file is checked before anything is written, and every bad row is reported with its
line number; if any row is bad nothing is imported. Re-importing is safe: units, posts and
people that already exist (matched by code, code and e-mail) are left as they are when the file
agrees with them, and a disagreement is reported as a problem, not applied: the file adds to
the chart, the admin screens change it. A blank cell never disagrees; it means "not stated".

This module holds the entry points (``org_import``, ``read_text``) and what they answer
(``ImportResult``, ``ImportRejected``). The rows are read by ``daftar.org.orgcsv``, checked
against each other and the database by ``daftar.org.import_check``, and written by
``daftar.org.import_apply``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from daftar.lib import clock
from daftar.lib.csvsheet import Problem, decode
from daftar.lib.errors import InvalidInput
from daftar.org.import_apply import _apply
from daftar.org.import_check import _Checker
from daftar.org.models import User
from daftar.org.orgcsv import read_csv

__all__ = ["ImportRejected", "ImportResult", "Problem", "org_import", "read_text"]


class ImportRejected(InvalidInput):
    """The file has problems; nothing was imported."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: p.line)
        count = len(self.problems)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} in the file; nothing was imported."
        )

    def report(self) -> str:
        return "\n".join([self.message, *(f"  {p}" for p in self.problems)])


@dataclass
class ImportResult:
    created: dict[str, int]
    existing: dict[str, int]
    dry_run: bool = False

    def summary(self) -> str:
        parts = [
            f"{self.created[k]} {k}"
            + (f" ({self.existing[k]} already there)" if self.existing[k] else "")
            for k in ("units", "posts", "people", "charges")
        ]
        if self.created.get("roles") or self.existing.get("roles"):
            roles = self.created["roles"]
            held = self.existing["roles"]
            parts.append(f"{roles} role grants" + (f" ({held} already held)" if held else ""))
        verb = "Would import" if self.dry_run else "Imported"
        return f"{verb}: " + ", ".join(parts) + "."


@transaction.atomic(durable=True)
def org_import(
    text: str,
    *,
    actor: User | None,
    password: str | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Check the whole CSV text and, if every row is good, import it in this transaction.

    People created get ``password``, or an unusable one when it is None (they set their own
    through a reset or the admin). Raises ImportRejected listing every problem by line.
    """
    rows, problems = read_csv(text)
    if problems and not rows:
        raise ImportRejected(problems)
    checker = _Checker(rows, clock.now().date())
    plan = checker.run()
    problems.extend(checker.problems)
    if problems:
        raise ImportRejected(problems)
    if not dry_run:
        _apply(plan, actor=actor, password=password)
    return ImportResult(created=plan.created(), existing=plan.existing, dry_run=dry_run)


def read_text(path: Path) -> str:
    """The file as text: UTF-8, with or without the byte-order mark spreadsheets write."""
    text, problems = decode(path.read_bytes())
    if problems:
        raise ImportRejected(problems)
    return text
