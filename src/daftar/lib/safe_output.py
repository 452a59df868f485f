"""Safeguards for what Daftar writes for people to open elsewhere: a spreadsheet cell that a
spreadsheet will not run as a formula, and a PDF rendering that fetches nothing."""

from __future__ import annotations

from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell_safe(value: Any) -> Any:
    """A cell a spreadsheet will not run: text that starts like a formula is quoted (typed into a
    subject or a name, it would otherwise be executed on opening); other values pass."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def no_fetch(url: str, *args: object, **kwargs: object) -> dict[str, Any]:
    """WeasyPrint's ``url_fetcher`` for HTML of our own: nothing is fetched, from anywhere."""
    raise ValueError(f"not fetched: {url}")
