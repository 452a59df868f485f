"""People for the training tests, made through the real services on top of the cast: an
organisation admin of the Water Resources Division (the cast's division), one of the Finance
Division, and the programme office (no post: it sees every organisation, never a file).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from daftar.org import services as org
from daftar.org.models import OrgUnit, User
from daftar.org.roles import roles_assign
from tests.cast import PASSWORD, RESTR, Cast


@dataclass
class Trainers:
    wrd_admin: User
    fin_admin: User
    programme: User
    finance: OrgUnit


def _person(email: str, name: str, roles: list[str]) -> User:
    person = org.person_create(
        actor=None, email=email, full_name=name, password=PASSWORD, clearance=RESTR
    )
    return roles_assign(actor=None, person=person, roles=roles)


def make_trainers(cast: Cast) -> Trainers:
    finance = OrgUnit.objects.get(code="FIN")
    wrd_admin = _person("admin@mowr.gov.pk", "Sadia Anwar", ["organisation_admin"])
    post = org.post_create(
        actor=None, unit=cast.division, code="ADM-WRD", designation="Admin Officer", grade=17
    )
    org.charge_assign(actor=None, person=wrd_admin, post=post, start=dt.date(2020, 1, 1))
    fin_admin = _person("admin@finance.gov.pk", "Kamran Butt", ["organisation_admin"])
    fin_post = org.post_create(
        actor=None, unit=finance, code="ADM-FIN", designation="Admin Officer", grade=17
    )
    org.charge_assign(actor=None, person=fin_admin, post=fin_post, start=dt.date(2020, 1, 1))
    programme = _person("pmo@cabinet.gov.pk", "Hina Zafar", ["programme_office"])
    return Trainers(
        wrd_admin=User.objects.get(pk=wrd_admin.pk),
        fin_admin=User.objects.get(pk=fin_admin.pk),
        programme=User.objects.get(pk=programme.pk),
        finance=finance,
    )
