"""The programme office's screens, under /programme/: the national table of organisations for
a month with its charts, one organisation's drill-down, and their exports (CSV, XLSX, PDF).

Thin: parse the month and the sort, call one selector, render. Anyone the access rule gives
nothing gets a 404 here, as for a page that does not exist (docs/adoption-screens.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from daftar.adoption import exports
from daftar.adoption.dashboard import (
    SORTS,
    TEXT_SORTS,
    method,
    month_default,
    month_label,
    month_parse,
    rows_sorted,
    sort_link,
    sort_parse,
)
from daftar.adoption.models import AdoptionPolicy
from daftar.adoption.selectors import (
    Organisation,
    Programme,
    months_available,
    organisation_checked,
    organisation_month,
    programme_month,
)
from daftar.lib.errors import InvalidInput, NotFound

View = Callable[..., HttpResponse]
LEVELS = range(5)


def programme_page(view: View) -> View:
    """Logged in, GET only, and a 404 for whoever the access rule gives nothing."""

    @login_required
    @require_GET
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as error:
            raise Http404(error.message) from error

    return wrapped


@dataclass(frozen=True)
class Header:
    key: str
    label: str
    url: str
    aria_sort: str  # "ascending", "descending" or "none"


@dataclass(frozen=True)
class Chosen:
    """The month asked for, the months there are, and what went wrong with the asking."""

    month: dt.date | None
    months: list[dt.date]
    error: str | None = None
    invalid: bool = False  # not a month at all (a 400), rather than a month with no figures


def _chosen(request: HttpRequest) -> Chosen:
    months = months_available(request.user)
    text = request.GET.get("month", "").strip()
    if not text:
        return Chosen(month_default(months), months)
    try:
        month = month_parse(text)
    except InvalidInput as error:
        return Chosen(month_default(months), months, error.message, invalid=True)
    if month not in months:
        message = _("There are no figures for %(month)s yet.") % {"month": month_label(month)}
        return Chosen(month_default(months), months, message)
    return Chosen(month, months)


def _headers(month: dt.date, sort: str) -> list[Header]:
    labels = {
        "name": _("Organisation"),
        "ministry": _("Ministry"),
        "level": _("Level"),
        "e": _("Usage % (E)"),
        "r": _("R"),
        "d": _("D"),
        "x": _("X"),
        "trained": _("Trained"),
        "active": _("Active"),
        "pages": _("Pages and cost saved"),
        "hours": _("Hours saved"),
    }
    base = reverse("programme")
    headers = []
    for key in SORTS:
        if sort.lstrip("-") == key:
            natural = "ascending" if key in TEXT_SORTS else "descending"
            flipped = "descending" if natural == "ascending" else "ascending"
            aria = flipped if sort.startswith("-") else natural
        else:
            aria = "none"
        link = f"{base}?month={month:%Y-%m}&sort={sort_link(sort, key)}"
        headers.append(Header(key, labels[key], link, aria))
    return headers


def _charts(programme: Programme) -> dict[str, Any]:
    """What programme.js draws, as data for a json_script element (no inline script)."""
    return {
        "months": [formats.date_format(m, "M Y") for m in programme.chart_months],
        "levels": [
            {"label": _("Level %(n)s") % {"n": n}, "counts": programme.chart_levels[n]}
            for n in LEVELS
        ],
        "usage": {
            "label": _("Usage % (E)"),
            "values": [float(v) if v is not None else None for v in programme.chart_usage],
        },
        "axes": {"organisations": _("Organisations"), "percent": _("Per cent")},
    }


def _empty(request: HttpRequest, chosen: Chosen, template: str, status: int) -> HttpResponse:
    if chosen.error:
        messages.error(request, chosen.error)
    return render(request, template, {"chosen": chosen, "months": chosen.months}, status=status)


@programme_page
def dashboard(request: HttpRequest) -> HttpResponse:
    chosen = _chosen(request)
    status = 400 if chosen.invalid else 200
    if chosen.month is None:
        return _empty(request, chosen, "adoption/programme.html", status)
    if chosen.error:
        messages.error(request, chosen.error)
    sort = sort_parse(request.GET.get("sort"))
    programme = programme_month(request.user, chosen.month)
    policy = AdoptionPolicy.current()
    context = {
        "chosen": chosen,
        "months": chosen.months,
        "programme": programme,
        "rows": rows_sorted(programme.rows, sort),
        "sort": sort,
        "headers": _headers(chosen.month, sort),
        "levels_count": list(zip(LEVELS, programme.by_level, strict=True)),
        "charts": _charts(programme),
        "policy": policy,
        "method": method(policy),
        "month_label": month_label(chosen.month),
    }
    return render(request, "adoption/programme.html", context, status=status)


@programme_page
def organisation(request: HttpRequest, unit_id: int) -> HttpResponse:
    chosen = _chosen(request)
    status = 400 if chosen.invalid else 200
    month = chosen.month
    if month is None:
        # No figures at all: the organisation must still be the person's to say so.
        organisation_checked(request.user, unit_id)
        return _empty(request, chosen, "adoption/organisation.html", status)
    if chosen.error:
        messages.error(request, chosen.error)
    found = organisation_month(request.user, unit_id, month)
    policy = AdoptionPolicy.current()
    context = {
        "chosen": chosen,
        "months": chosen.months,
        "org": found,
        "history": list(reversed(found.history)),
        "policy": policy,
        "method": method(policy),
        "month_label": month_label(month),
        "usage_bars": exports.usage_bars(found),
    }
    return render(request, "adoption/organisation.html", context, status=status)


def _month_or_400(request: HttpRequest) -> dt.date:
    chosen = _chosen(request)
    if chosen.error or chosen.month is None:
        raise InvalidInput(chosen.error or _("There are no figures yet."))
    return chosen.month


def _bad_request(request: HttpRequest, error: InvalidInput) -> HttpResponse:
    return HttpResponse(error.message, status=400, content_type="text/plain; charset=utf-8")


@programme_page
def programme_export(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        month = _month_or_400(request)
    except InvalidInput as error:
        return _bad_request(request, error)
    programme = programme_month(request.user, month)
    rows = rows_sorted(programme.rows, sort_parse(request.GET.get("sort")))
    if fmt == "csv":
        return exports.csv_response(rows, f"programme-{month:%Y-%m}.csv")
    if fmt == "xlsx":
        return exports.xlsx_programme(programme, rows, AdoptionPolicy.current())
    return exports.pdf_programme(programme, rows, AdoptionPolicy.current())


@programme_page
def organisation_export(request: HttpRequest, unit_id: int, fmt: str) -> HttpResponse:
    try:
        month = _month_or_400(request)
    except InvalidInput as error:
        # A stranger learns nothing from the message: the unit is checked first.
        organisation_checked(request.user, unit_id)
        return _bad_request(request, error)
    found: Organisation = organisation_month(request.user, unit_id, month)
    if fmt == "csv":
        rows = exports.organisation_rows(found)
        return exports.csv_response(rows, f"{found.unit.code}-{month:%Y-%m}.csv")
    if fmt == "xlsx":
        return exports.xlsx_organisation(found, AdoptionPolicy.current())
    return exports.pdf_organisation(found, AdoptionPolicy.current())
