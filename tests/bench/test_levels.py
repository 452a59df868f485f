"""The benchmark of the monthly computation at size XS: it computes the month the data set
ends with, reads what its floor reads, and reports both (figures are not asserted: timing
belongs to the benchmark, not the tests)."""

from __future__ import annotations

import datetime as dt

import pytest
from bench.generate import SIZES, Dataset, generate
from bench.levels import bench_month, measure_levels
from bench.report import render

from daftar.adoption.models import MonthlyFigures
from daftar.files.models import Note
from daftar.movement.models import Movement

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def xs(db: None) -> Dataset:
    return generate(SIZES["XS"], seed=7, now=NOW, fast=False, chunk_files=20)


def test_the_month_is_computed_and_measured_against_its_floor(xs: Dataset) -> None:
    month = bench_month(xs)
    assert month == dt.date(2026, 2, 1)

    result = measure_levels(xs, runs=2)

    assert result.month == "2026-02" and result.runs == 2
    assert len(result.seconds) == len(result.floor_seconds) == 2
    # every unit got its row, and the figures are the month's own
    rows = MonthlyFigures.objects.filter(month=month)
    assert result.units == rows.count() > 0
    # the floor read exactly the month's final notes and movements (Karachi's month)
    start = dt.datetime(2026, 1, 31, 19, 0, tzinfo=dt.UTC)
    end = dt.datetime(2026, 2, 28, 19, 0, tzinfo=dt.UTC)
    notes = Note.objects.filter(is_final=True, finalised_at__gte=start, finalised_at__lt=end)
    moves = Movement.objects.filter(sent_at__gte=start, sent_at__lt=end)
    assert (result.notes, result.movements) == (notes.count(), moves.count())
    assert result.rows_read == notes.count() + moves.count() > 0
    assert result.posts > 0
    government = rows.get(unit__parent__isnull=True)
    assert government.moves_electronic + government.moves_physical <= moves.count()

    figures = result.as_json()
    assert {"seconds_p50", "floor_p50", "ratio_p50", "first_seconds"} <= set(figures)
    printed = render([_run(xs, figures)])
    assert "the monthly computation" in printed and "2026-02" in printed
    assert f"{result.rows_read:,}" in printed


def _run(xs: Dataset, levels: dict[str, object]) -> dict[str, object]:
    """A run as bench.runner writes it, with the levels only (``--only levels``)."""
    return {
        "size": "XS",
        "generated_now": True,
        "dataset": xs.as_json(),
        "calibration": {
            "python": "3",
            "django": "5.2",
            "database": "sqlite",
            "sqlite_version": "3",
            "cpu_count": 2,
            "cpus_usable": 2,
            "load_average": 0,
            "select_1_p50_ms": 0,
            "platform": "test",
        },
        "results": [],
        "intake": [],
        "search": [],
        "levels": [levels],
    }
