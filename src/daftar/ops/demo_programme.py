"""The programme demo: six more organisations with a year of history, and their levels.

Called at the end of ``daftar demo``. The charts come in through the org importer
(``demo_programme_charts``); each organisation's history — the 12 months before the current
one and the month to date — is built as rows (``demo_programme_history``) and inserted in bulk,
in one transaction per organisation, with its audit events chained, its numbers, custody and
search index kept true (``demo_programme_insert``).

Then ``levels_compute`` fills in every month that has no figures yet, or every month shown
when something was loaded now (the worker may have computed the last two months before).
Idempotent: an organisation that has files already is left alone, and months with figures are
not recomputed, so a second load adds nothing (not even an audit event).
"""

from __future__ import annotations

import datetime as dt
import math
import time
from dataclasses import dataclass, field

from daftar.adoption.models import MonthlyFigures, TrainingSession
from daftar.adoption.period import month_of, month_shift
from daftar.adoption.services import levels_compute
from daftar.adoption.training import training_session_record
from daftar.files.models import File
from daftar.lib import clock
from daftar.ops.demo_programme_charts import MONTHS, ORGANISATIONS, chart_csv, desks
from daftar.ops.demo_programme_history import PKT
from daftar.ops.demo_programme_insert import TOPIC, TRAINER, history_load, letter_blob
from daftar.org.importer import ImportRejected, ImportResult, org_import
from daftar.org.models import Charge, ChargeKind, OrgUnit, Post, User

PROGRAMME_OFFICE_EMAIL = "asad.hashmi@mowr.gov.pk"  # PD-EO in demo_org.csv
REPLAYED_DIVISION = "WRD"  # ops.demo's division, trained here


@dataclass
class ProgrammeReport:
    org: ImportResult | None
    org_note: str
    histories: list[str] = field(default_factory=list)  # organisations given a history now
    months_computed: int = 0
    levels: list[tuple[str, str, int, str]] = field(default_factory=list)  # last full month
    month: dt.date | None = None  # that month
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (organisation, name, e-mail)
    seconds: float = 0.0


def months_shown(now: dt.datetime) -> list[dt.date]:
    """The first days of the 12 months before the current one, then the current one."""
    this_month = month_of(now)
    return [month_shift(this_month, -back) for back in range(MONTHS - 1, -1, -1)]


def programme_load(*, now: dt.datetime, password: str) -> ProgrammeReport:
    started = time.monotonic()
    report = _import_charts(password)
    months = months_shown(now)
    recorder = User.objects.filter(email=PROGRAMME_OFFICE_EMAIL).first()
    blob = None  # the shared scan, stored only when a history is loaded
    for org in ORGANISATIONS:
        units = {d.unit for d in desks(org)}
        if File.objects.filter(unit__code__in=units).exists():
            continue
        blob = blob or letter_blob()
        history_load(org, now=now, months=months, blob=blob, recorder=recorder)
        report.histories.append(org.code)
    trained = _train_replayed(months[-4], recorder)
    have = set(MonthlyFigures.objects.filter(month__in=months).values_list("month", flat=True))
    for month in months:
        # What was loaded now changes months that may have figures already (the worker's).
        if report.histories or trained or month not in have:
            levels_compute(month=month)
            report.months_computed += 1
    report.month = months[-2]
    report.levels = _levels(months[-2])
    report.logins = _logins(now.date())
    report.seconds = round(time.monotonic() - started, 1)
    return report


def _import_charts(password: str) -> ProgrammeReport:
    codes = {d.code for org in ORGANISATIONS for d in desks(org)}
    try:
        return ProgrammeReport(
            org=org_import(chart_csv(), actor=None, password=password), org_note=""
        )
    except ImportRejected:
        if Post.objects.filter(code__in=codes).count() == len(codes):
            return ProgrammeReport(
                org=None,
                org_note="The programme organisations were changed since; left as they are.",
            )
        raise


def _train_replayed(held_on: dt.date, recorder: User | None) -> bool:
    """The Water Resources Division's people were trained three months ago (four in five of
    them), so its level follows from the work replayed in the last two months. Recorded by
    the programme office, as it would be; whether it was recorded now."""
    division = OrgUnit.objects.filter(code=REPLAYED_DIVISION).first()
    if (
        division is None
        or recorder is None
        or TrainingSession.objects.filter(organisation=division).exists()
    ):
        return False
    units, frontier = {division.pk}, [division.pk]
    while frontier:
        frontier = list(OrgUnit.objects.filter(parent__in=frontier).values_list("id", flat=True))
        units.update(frontier)
    people = sorted(
        set(
            Charge.objects.current(held_on)
            .filter(post__unit__in=units)
            .values_list("person_id", flat=True)
        )
    )
    attendees = list(User.objects.filter(pk__in=people[: math.ceil(0.8 * len(people))]))
    with clock.frozen_at(dt.datetime.combine(held_on, dt.time(15, 0), PKT)):
        training_session_record(
            actor=recorder,
            organisation=division,
            held_on=held_on,
            topic=TOPIC,
            trainer=TRAINER,
            place=f"Committee room, {division.name}",
            attendees=attendees,
        )
    return True


def _logins(today: dt.date) -> list[tuple[str, str, str]]:
    """The most senior person of each organisation (its Secretary, or whoever is next)."""
    out = []
    for org in ORGANISATIONS:
        charge = (
            Charge.objects.current(today)
            .filter(post__code__in=[d.code for d in desks(org)], kind=ChargeKind.REGULAR)
            .select_related("person", "post")
            .order_by("-post__grade", "post__code")
            .first()
        )
        if charge is not None:
            label = f"{org.name} ({charge.post.designation})"
            out.append((label, charge.person.full_name, charge.person.email))
    return out


def _levels(month: dt.date) -> list[tuple[str, str, int, str]]:
    codes = [org.code for org in ORGANISATIONS]
    rows = MonthlyFigures.objects.filter(month=month, unit__code__in=codes).select_related("unit")
    found = {r.unit.code: (r.unit.code, r.unit.name, r.level, r.reason) for r in rows}
    return [found[c] for c in codes if c in found]
