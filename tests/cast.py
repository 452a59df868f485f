"""A small named cast in a realistic hierarchy, built through the real services.

Secretary (BPS-22)
  └ Deputy Secretary (Development) (BPS-19)
      └ Section Officer (Development-I) (BPS-17)
          └ Assistant (Development-I)
Central Registry: Registry Clerk
Another Division: Section Officer (Budget) — the outsider

Roles match the posts: signing officer for the Secretary and the Deputy Secretary, officer for
the Section Officers, dealing staff for the Assistant, registry clerk for the Registry Clerk.
Clearances: the Secretary Top Secret, the Deputy Secretary Secret, the section officers
Confidential, the assistant and the registry clerk Restricted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from daftar.files.models import Classification
from daftar.org import services as org
from daftar.org.models import OrgUnit, Post, UnitKind, User
from daftar.org.roles import roles_assign

PASSWORD = "Daftar-test-2026!"
TS, SECRET = Classification.TOP_SECRET, Classification.SECRET
CONF, RESTR = Classification.CONFIDENTIAL, Classification.RESTRICTED


@dataclass
class Cast:
    division: OrgUnit
    section: OrgUnit
    registry: OrgUnit
    secretary: User
    deputy_secretary: User
    section_officer: User
    assistant: User
    registry_clerk: User
    outsider: User
    secretary_post: Post
    ds_post: Post
    so_post: Post
    assistant_post: Post
    registry_post: Post
    outsider_post: Post


def make_cast(prefix: str = "") -> Cast:
    start = dt.date(2020, 1, 1)
    gov = org.unit_create(
        actor=None, code=f"{prefix}GOP", name="Government of Pakistan", kind=UnitKind.GOVERNMENT
    )
    division = org.unit_create(
        actor=None,
        code=f"{prefix}WRD",
        name="Water Resources Division",
        kind=UnitKind.DIVISION,
        parent=gov,
    )
    wing = org.unit_create(
        actor=None,
        code=f"{prefix}DEV",
        name="Development Wing",
        kind=UnitKind.WING,
        parent=division,
    )
    section = org.unit_create(
        actor=None,
        code=f"{prefix}D-I",
        name="Development-I Section",
        kind=UnitKind.SECTION,
        parent=wing,
    )
    registry = org.unit_create(
        actor=None,
        code=f"{prefix}R&I",
        name="Central Registry",
        kind=UnitKind.REGISTRY,
        parent=division,
    )
    other = org.unit_create(
        actor=None, code=f"{prefix}FIN", name="Finance Division", kind=UnitKind.DIVISION, parent=gov
    )
    budget = org.unit_create(
        actor=None, code=f"{prefix}BUD", name="Budget Section", kind=UnitKind.SECTION, parent=other
    )

    def post(
        unit: OrgUnit, code: str, designation: str, grade: int | None, reports_to: Post | None
    ) -> Post:
        return org.post_create(
            actor=None,
            unit=unit,
            code=f"{prefix}{code}",
            designation=designation,
            grade=grade,
            reports_to=reports_to,
        )

    sec_p = post(division, "SEC", "Secretary", 22, None)
    ds_p = post(wing, "DS-DEV", "Deputy Secretary (Development)", 19, sec_p)
    so_p = post(section, "SO-D1", "Section Officer (Development-I)", 17, ds_p)
    asst_p = post(section, "ASST-D1", "Assistant (Development-I)", 15, so_p)
    reg_p = post(registry, "RC-1", "Registry Clerk", 11, None)
    out_p = post(budget, "SO-BUD", "Section Officer (Budget)", 17, None)

    def person(slug: str, name: str, p: Post, role: str, clearance: Classification) -> User:
        user = org.person_create(
            actor=None,
            email=f"{prefix.lower()}{slug}@mowr.gov.pk",
            full_name=name,
            password=PASSWORD,
            clearance=clearance,
        )
        org.charge_assign(actor=None, person=user, post=p, start=start)
        return roles_assign(actor=None, person=user, roles=[role])

    return Cast(
        division=division,
        section=section,
        registry=registry,
        secretary=person("secretary", "Nadia Rahman", sec_p, "signing_officer", TS),
        deputy_secretary=person("ds.dev", "Imran Qureshi", ds_p, "signing_officer", SECRET),
        section_officer=person("so.dev1", "Ayesha Siddiqui", so_p, "officer", CONF),
        assistant=person("asst.dev1", "Bilal Ahmed", asst_p, "dealing_staff", RESTR),
        registry_clerk=person("registry", "Shahid Mehmood", reg_p, "registry_clerk", RESTR),
        outsider=person("so.budget", "Farah Khan", out_p, "officer", CONF),
        secretary_post=sec_p,
        ds_post=ds_p,
        so_post=so_p,
        assistant_post=asst_p,
        registry_post=reg_p,
        outsider_post=out_p,
    )
