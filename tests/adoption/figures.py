"""MonthlyFigures rows with known numbers, written straight into the summary table (as
``levels_compute`` would), and a small programme around the cast:

Government of Pakistan                     (the total: its own row)
  ├ Water Resources Division (WRD)         June E 80% ▲ (May 70%), level 3
  │   ├ Development Wing → Development-I Section, Central Registry
  │   └ Federal Flood Commission (attached department, reports on its own)  E 60% ▬
  ├ Finance Division (FIN)                 June E 50% ▼ (May 60%), level 2
  ├ Ministry of Climate Change (a ministry with no division: reported)  no file work
  └ Ministry of Interior (has a division: not a row itself)
      └ Interior Division                  June E 90%, level 4
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from daftar.adoption.models import MonthlyFigures
from daftar.lib import clock
from daftar.org import services as org
from daftar.org.models import OrgUnit, UnitKind, User
from daftar.org.roles import roles_assign
from tests.cast import PASSWORD, Cast

JUNE, MAY, JULY = dt.date(2025, 6, 1), dt.date(2025, 5, 1), dt.date(2025, 7, 1)
# Mid-July 2025 in Karachi: June is the last complete month, July the month to date.
NOW = dt.datetime(2025, 7, 15, 10, 0, tzinfo=dt.UTC)


def figures(
    unit: OrgUnit, month: dt.date, *, e: int | None = None, **counts: Any
) -> MonthlyFigures:
    """A row for ``unit`` and ``month``; ``e`` (a whole percentage) sets notes and physical
    moves out of 100 pieces of file work, None leaves no file work at all."""
    fields: dict[str, Any] = {
        "final": month < JULY,
        "computed_at": clock.now(),
        "people": 10,
        "people_trained": 6,
        "people_active": 8,
        "posts": 12,
        "posts_staffed": 10,
        "level": 1,
        "reason": f"level 1: {unit.code} {month:%Y-%m}",
    }
    if e is not None:
        fields.update(notes_electronic=e, moves_physical=100 - e)
    fields.update(counts)
    return MonthlyFigures.objects.create(unit=unit, month=month, **fields)


@dataclass
class Programme:
    gov: OrgUnit
    wrd: OrgUnit
    fin: OrgUnit
    flood: OrgUnit
    climate: OrgUnit
    interior_ministry: OrgUnit
    interior: OrgUnit
    wing: OrgUnit
    officer: User  # of the programme office


def unit(code: str, name: str, kind: str, parent: OrgUnit) -> OrgUnit:
    return org.unit_create(actor=None, code=code, name=name, kind=kind, parent=parent)


def programme_officer(email: str = "po@cabinet.gov.pk") -> User:
    person = org.person_create(actor=None, email=email, full_name="Sana Javed", password=PASSWORD)
    return roles_assign(actor=None, person=person, roles=["programme_office"])


def make_programme(cast: Cast) -> Programme:
    wrd, fin = cast.division, OrgUnit.objects.get(code="FIN")
    gov = OrgUnit.objects.get(code="GOP")
    wing = OrgUnit.objects.get(code="DEV")
    flood = unit("FFC", "Federal Flood Commission", UnitKind.ATTACHED_DEPARTMENT, wrd)
    climate = unit("MOCC", "Ministry of Climate Change", UnitKind.MINISTRY, gov)
    interior_ministry = unit("MOI", "Ministry of Interior", UnitKind.MINISTRY, gov)
    interior = unit("INT", "Interior Division", UnitKind.DIVISION, interior_ministry)
    figures(gov, JUNE, e=75, pages_saved=999, level=2, reason="level 2: the government")
    figures(gov, MAY, e=66)
    figures(
        wrd,
        JUNE,
        e=80,
        level=3,
        reason="level 3: E 80%, R 90%; level 4 needs E ≥ 95%: E is 80%",
        pages_saved=120,
        cost_saved=Decimal("1200.00"),
        hours_saved=Decimal("35.5"),
        median_wait_hours=Decimal("6.5"),
        overdue=3,
    )
    figures(wrd, MAY, e=70, level=2)
    figures(wrd, JULY, e=85, level=3)  # the month to date
    figures(fin, JUNE, e=50, level=2, pages_saved=40, reason="level 2: E 50%")
    figures(fin, MAY, e=60, level=2)
    figures(flood, JUNE, e=60, level=2)
    figures(flood, MAY, e=60, level=2)
    figures(climate, JUNE, e=None, level=0, people_active=0, reason="level 0: no active people")
    figures(interior, JUNE, e=90, level=4, reason="level 4: E 90%")
    figures(interior_ministry, JUNE, e=90, level=4)
    figures(wing, JUNE, e=82, level=3, reason="level 3: the wing")
    figures(cast.section, JUNE, e=81, level=3, reason="level 3: the section")
    figures(cast.registry, JUNE, e=None, level=1, reason="level 1: the registry")
    return Programme(
        gov=gov,
        wrd=wrd,
        fin=fin,
        flood=flood,
        climate=climate,
        interior_ministry=interior_ministry,
        interior=interior,
        wing=wing,
        officer=programme_officer(),
    )


def make_org_admin(cast: Cast) -> User:
    """The Secretary of the Water Resources Division, made its organisation admin too."""
    return roles_assign(
        actor=None, person=cast.secretary, roles=["signing_officer", "organisation_admin"]
    )
