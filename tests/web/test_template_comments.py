"""Django's ``{# … #}`` comment ends at the end of its line: one left open spills its text
onto the page (it once printed a template's notes on every file page). Longer comments use
``{% comment %}``."""

from __future__ import annotations

from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "daftar"


@pytest.mark.parametrize("template", sorted(SRC.rglob("templates/**/*.html")), ids=str)
def test_every_short_comment_closes_on_its_line(template: Path) -> None:
    lines = template.read_text(encoding="utf-8").splitlines()
    open_ = [n for n, line in enumerate(lines, 1) if line.count("{#") > line.count("#}")]
    assert open_ == [], f"{template}: a {{# comment is not closed on line(s) {open_}"
