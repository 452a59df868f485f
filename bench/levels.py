"""The monthly computation (issue 7): ``levels_compute`` for one month of the data set, next
to its floor, in the same process and the same run.

* **ours**: ``daftar.adoption.services.levels_compute(month=…)``, as ``daftar levels`` and the
  worker call it: every unit's figures and level for the month, replacing the month's rows in
  one transaction (with its audit event). Run ``runs`` times; the first run is also timed, the
  others show it warm (every run recomputes the same month from scratch).
* **floor**: the least any computation of the month must read: the month's final notes and
  its movements counted per post, two plain ``SELECT … COUNT(*) … GROUP BY`` statements on the
  raw cursor (no units, no roll-up, no people, receipts or letters).

The month is the last complete calendar month before the data set's anchor (the data set's
history runs up to its anchor), in ``settings.TIME_ZONE``.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from dataclasses import asdict, dataclass
from typing import Any

from django.db import connection

from bench.generate import Dataset
from daftar.adoption.period import midnight, month_next, month_of, month_previous
from daftar.files.models import Note
from daftar.movement.models import Movement


@dataclass
class LevelsResult:
    op: str
    title: str
    month: str
    runs: int
    seconds: list[float]  # each run of levels_compute, in order
    floor_seconds: list[float]
    units: int  # the rows (units) the month's computation wrote
    notes: int  # the month's final notes
    movements: int  # the month's movements
    rows_read: int  # what the floor reads: notes + movements of the month
    posts: int  # posts with notes or movements in the month

    @property
    def p50(self) -> float:
        return statistics.median(self.seconds)

    @property
    def floor_p50(self) -> float:
        return statistics.median(self.floor_seconds)

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        ratio = self.p50 / self.floor_p50 if self.floor_p50 else 0.0
        out.update(
            seconds_p50=round(self.p50, 3),
            first_seconds=self.seconds[0],
            floor_p50=round(self.floor_p50, 4),
            ratio_p50=round(ratio, 1),
        )
        return out


def bench_month(ds: Dataset) -> dt.date:
    """The first day of the last complete month before the data set's anchor."""
    return month_previous(month_of(dt.datetime.fromisoformat(ds.anchor)))


def floor(month: dt.date) -> tuple[float, int, int, int]:
    """(seconds, notes, movements, posts) of the plain counts per post."""
    start, end = midnight(month), midnight(month_next(month))
    q = connection.ops.quote_name
    notes_sql = (
        f"SELECT {q('post_id')}, COUNT(*) FROM {q(Note._meta.db_table)} "
        f"WHERE {q('is_final')} = %s AND {q('finalised_at')} >= %s AND {q('finalised_at')} < %s "
        f"GROUP BY {q('post_id')}"
    )
    moves_sql = (
        f"SELECT {q('from_post_id')}, COUNT(*) FROM {q(Movement._meta.db_table)} "
        f"WHERE {q('sent_at')} >= %s AND {q('sent_at')} < %s GROUP BY {q('from_post_id')}"
    )
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(notes_sql, [True, start, end])
        notes = cursor.fetchall()
        cursor.execute(moves_sql, [start, end])
        moves = cursor.fetchall()
    seconds = time.perf_counter() - began
    posts = {p for p, _n in notes} | {p for p, _n in moves}
    return seconds, sum(n for _p, n in notes), sum(n for _p, n in moves), len(posts)


def measure_levels(ds: Dataset, *, runs: int = 3, month: dt.date | None = None) -> LevelsResult:
    """Time ``levels_compute`` for the month ``runs`` times, each followed by its floor."""
    from daftar.adoption.services import levels_compute

    month = month or bench_month(ds)
    seconds: list[float] = []
    floors: list[float] = []
    units = notes = moves = posts = 0
    for _ in range(max(1, runs)):
        began = time.perf_counter()
        report = levels_compute(month=month)
        seconds.append(round(time.perf_counter() - began, 3))
        units = report.units
        spent, notes, moves, posts = floor(month)
        floors.append(round(spent, 4))
    return LevelsResult(
        op="L1",
        title="levels_compute: one month, every unit",
        month=f"{month:%Y-%m}",
        runs=len(seconds),
        seconds=seconds,
        floor_seconds=floors,
        units=units,
        notes=notes,
        movements=moves,
        rows_read=notes + moves,
        posts=posts,
    )
