"""The programme's figures as files: CSV and XLSX (the same columns as the table, for a
spreadsheet) and a PDF report for the Cabinet drawn by WeasyPrint from a template, its bar
chart an inline SVG (no JavaScript in a PDF).

Every text cell is written as text: a unit named "=SUM(…)" must not become a formula in the
reader's spreadsheet.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import formats
from django.utils.translation import gettext as _
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]
from weasyprint import HTML  # type: ignore[import-untyped]

from daftar.adoption.dashboard import COLUMNS, method, month_label
from daftar.adoption.models import AdoptionPolicy
from daftar.adoption.selectors import Organisation, Programme, Row, months_shown
from daftar.lib import clock
from daftar.lib.safe_output import cell_safe, no_fetch

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(response: HttpResponse, name: str) -> HttpResponse:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name)  # a unit code may hold "&" or "/"
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    return response


def history_rows(found: Organisation) -> list[Row]:
    """An organisation's twelve months, newest first, each with the month before for the
    trend."""
    history: list[Row] = []
    previous = None
    for figures in found.history:
        history.append(
            Row(unit=found.unit, figures=figures, ministry=found.ministry, previous=previous)
        )
        previous = figures
    return list(reversed(history))


def organisation_rows(found: Organisation) -> list[Row]:
    """Its history, then its units in the month: one table, one row per unit and month."""
    return history_rows(found) + found.units


def csv_response(rows: Iterable[Row], name: str) -> HttpResponse:
    out = io.StringIO()
    out.write("\ufeff")  # so a spreadsheet reads the names (Urdu too) as UTF-8
    writer = csv.writer(out)
    writer.writerow([str(column.header) for column in COLUMNS])
    for row in rows:
        values = [column.value(row) for column in COLUMNS]
        writer.writerow(["" if v is None else cell_safe(v) for v in values])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    return _attachment(response, name)


def _sheet(book: Workbook, title: str, rows: Iterable[Row], *, first: bool = False) -> None:
    sheet = book.active if first else book.create_sheet()
    sheet.title = title[:31]
    sheet.append([str(column.header) for column in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([column.value(row) for column in COLUMNS])
        for cell, column in zip(sheet[sheet.max_row], COLUMNS, strict=True):
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula
            else:
                cell.number_format = column.number_format
    sheet.freeze_panes = "D2"
    widths = {"B": 12, "C": 36, "D": 30, "F": 60}
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width


def _method_sheet(book: Workbook, policy: AdoptionPolicy) -> None:
    sheet = book.create_sheet(_("Method")[:31])
    sheet.column_dimensions["A"].width = 120
    for paragraph in method(policy):
        sheet.append([paragraph])
        sheet.cell(sheet.max_row, 1).data_type = "s"
        sheet.cell(sheet.max_row, 1).alignment = Alignment(wrap_text=True, vertical="top")


def _xlsx_response(book: Workbook, name: str) -> HttpResponse:
    out = io.BytesIO()
    book.save(out)
    return _attachment(HttpResponse(out.getvalue(), content_type=XLSX), name)


def xlsx_programme(programme: Programme, rows: list[Row], policy: AdoptionPolicy) -> HttpResponse:
    book = Workbook()
    _sheet(book, _("Organisations"), rows, first=True)
    _method_sheet(book, policy)
    return _xlsx_response(book, f"programme-{programme.month:%Y-%m}.xlsx")


def xlsx_organisation(found: Organisation, policy: AdoptionPolicy) -> HttpResponse:
    book = Workbook()
    _sheet(book, _("History"), history_rows(found), first=True)
    _sheet(book, _("Units"), found.units)
    _method_sheet(book, policy)
    return _xlsx_response(book, f"{found.unit.code}-{found.month:%Y-%m}.xlsx")


@dataclass(frozen=True)
class Bar:
    label: str
    value: str  # as printed above the bar
    x: float
    y: float
    value_y: float
    width: float
    height: float
    label_x: float


# The SVG chart's drawing area, in the SVG's own units (scaled to the page by its width).
CHART_WIDTH, CHART_HEIGHT, CHART_TOP, CHART_BOTTOM = 640.0, 200.0, 20.0, 170.0


def bars(
    values: Sequence[tuple[str, Decimal | int | None]], *, maximum: float, suffix: str = ""
) -> list[Bar]:
    """Bars for the report's inline SVG: even slots, heights scaled to ``maximum``; a blank
    value draws no bar and prints a dash."""
    if not values:
        return []
    slot = CHART_WIDTH / len(values)
    plot = CHART_BOTTOM - CHART_TOP
    top = max(maximum, 1.0)
    drawn = []
    for i, (label, value) in enumerate(values):
        height = plot * float(value) / top if value is not None else 0.0
        drawn.append(
            Bar(
                label=label,
                value="—" if value is None else f"{value}{suffix}",
                x=i * slot + slot * 0.2,
                y=CHART_BOTTOM - height,
                value_y=CHART_BOTTOM - height - 4,
                width=slot * 0.6,
                height=height,
                label_x=i * slot + slot / 2,
            )
        )
    return drawn


def usage_bars(found: Organisation) -> list[Bar]:
    """E in each of the twelve months, a dash where a month has no figures or no file work."""
    by_month = {f.month: f.e for f in found.history}
    values = [(formats.date_format(m, "M y"), by_month.get(m)) for m in months_shown(found.month)]
    return bars(values, maximum=100, suffix="%")


def _pdf_response(template: str, context: dict[str, Any], name: str) -> HttpResponse:
    context = {**context, "generated_at": clock.now()}
    html = render_to_string(template, context)
    pdf: bytes = HTML(string=html, url_fetcher=no_fetch).write_pdf()
    return _attachment(HttpResponse(pdf, content_type="application/pdf"), name)


def pdf_programme(programme: Programme, rows: list[Row], policy: AdoptionPolicy) -> HttpResponse:
    counts = [(_("Level %(n)s") % {"n": n}, programme.by_level[n]) for n in range(5)]
    context = {
        "programme": programme,
        "rows": rows,
        "month_label": month_label(programme.month),
        "level_bars": bars(counts, maximum=max(programme.by_level, default=1)),
        "policy": policy,
        "method": method(policy),
    }
    return _pdf_response("adoption/report.html", context, f"programme-{programme.month:%Y-%m}.pdf")


def pdf_organisation(found: Organisation, policy: AdoptionPolicy) -> HttpResponse:
    context = {
        "org": found,
        "history": list(reversed(found.history)),
        "month_label": month_label(found.month),
        "usage_bars": usage_bars(found),
        "policy": policy,
        "method": method(policy),
    }
    name = f"{found.unit.code}-{found.month:%Y-%m}.pdf"
    return _pdf_response("adoption/report_organisation.html", context, name)
