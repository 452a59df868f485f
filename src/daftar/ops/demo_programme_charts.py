"""The programme demo's organisations: small charts, their people and the story each tells.

Six more organisations beside the Water Resources and Finance Divisions, each with a wing or
two of sections, a Central Registry and 12 to 21 posts, written out as the same CSV that
``daftar import-org`` reads (so the importer makes the units, posts, people, charges and roles,
with their audit events). Dates and names are fixed, so a second load finds the same chart and
changes nothing. ``story`` is the e-office level each organisation is meant to reach in each of
the 13 months shown (the 12 before the current one, then the month to date).
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass

from daftar.org.orgcsv import PERSON_COLUMNS

HEADER = (
    "unit_code",
    "unit_name",
    "unit_kind",
    "parent_unit_code",
    "post_code",
    "designation",
    "grade",
    "reports_to",
    *PERSON_COLUMNS,
)
MONTHS = 13


@dataclass(frozen=True)
class Wing:
    code: str
    name: str
    sections: tuple[tuple[str, str], ...]  # (code, name)


@dataclass(frozen=True)
class Organisation:
    code: str
    name: str
    kind: str
    parent: tuple[str, str]  # the ministry (code, name) above it
    domain: str
    wings: tuple[Wing, ...]
    story: tuple[int, ...]  # the level of each of the 13 months, oldest first
    vacant: frozenset[str] = frozenset()  # post codes without a holder
    trained: float = 0.8  # share of the people trained before the year began
    trained_later: tuple[int, float] | None = None  # (month index, share) of a second session

    def level(self, month_index: int) -> int:
        return self.story[month_index]


def _wing(code: str, name: str, *sections: tuple[str, str]) -> Wing:
    return Wing(code, name, sections)


ORGANISATIONS: tuple[Organisation, ...] = (
    Organisation(
        code="CD",
        name="Cabinet Division",
        kind="division",
        parent=("CABSEC", "Cabinet Secretariat"),
        domain="cabinet.gov.pk",
        wings=(
            _wing(
                "CD-CW",
                "Cabinet Wing",
                ("CD-CAB1", "Cabinet-I Section"),
                ("CD-CAB2", "Cabinet-II Section"),
                ("CD-RULES", "Rules of Business Section"),
            ),
            _wing(
                "CD-AW",
                "Administration Wing",
                ("CD-ADMN", "Administration Section"),
                ("CD-BA", "Budget & Accounts Section"),
                ("CD-EGOV", "E-Government Section"),
            ),
        ),
        story=(4,) * MONTHS,
        trained=1.0,
    ),
    Organisation(
        code="ITD",
        name="Information Technology & Telecommunication Division",
        kind="division",
        parent=("MOITT", "Ministry of IT & Telecom"),
        domain="moitt.gov.pk",
        wings=(
            _wing(
                "ITD-TW",
                "Telecom Wing",
                ("ITD-TEL", "Telecom Section"),
                ("ITD-USF", "Universal Service Section"),
                ("ITD-CYB", "Cyber Security Section"),
            ),
            _wing(
                "ITD-AW",
                "Administration Wing",
                ("ITD-ADMN", "Administration Section"),
                ("ITD-BA", "Budget & Accounts Section"),
                ("ITD-DEV", "Development Section"),
            ),
        ),
        story=(1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 4),
        trained=0.6,
        trained_later=(5, 1.0),
    ),
    Organisation(
        code="ED",
        name="Establishment Division",
        kind="division",
        parent=("CABSEC", "Cabinet Secretariat"),
        domain="establishment.gov.pk",
        wings=(
            _wing(
                "ED-EW",
                "Establishment Wing",
                ("ED-E1", "Establishment-I Section (Postings)"),
                ("ED-E2", "Establishment-II Section (Promotions)"),
                ("ED-E3", "Establishment-III Section (Deputation)"),
                ("ED-E4", "Establishment-IV Section (Leave)"),
            ),
            _wing(
                "ED-RW",
                "Regulations Wing",
                ("ED-R1", "Regulations-I Section"),
                ("ED-R2", "Regulations-II Section"),
                ("ED-ACR", "Performance Evaluation Section"),
                ("ED-ADMN", "Administration Section"),
            ),
        ),
        story=(2,) * MONTHS,
        trained=0.7,
    ),
    Organisation(
        code="RD",
        name="Railways Division",
        kind="division",
        parent=("MORAIL", "Ministry of Railways"),
        domain="railways.gov.pk",
        wings=(
            _wing(
                "RD-PW",
                "Planning Wing",
                ("RD-PLAN", "Planning Section"),
                ("RD-DEV", "Development Section"),
            ),
            _wing(
                "RD-AW",
                "Administration Wing",
                ("RD-ADMN", "Administration Section"),
                ("RD-BA", "Budget & Accounts Section"),
            ),
        ),
        story=(1,) * MONTHS,
        trained=0.6,
    ),
    Organisation(
        code="HRD",
        name="Human Rights Division",
        kind="division",
        parent=("MOHR", "Ministry of Human Rights"),
        domain="mohr.gov.pk",
        wings=(
            _wing(
                "HRD-W",
                "Human Rights Wing",
                ("HRD-IMP", "Implementation Section"),
                ("HRD-CHILD", "Child Rights Section"),
                ("HRD-LAW", "Legislation Section"),
                ("HRD-ADMN", "Administration Section"),
            ),
        ),
        story=(0,) * MONTHS,
        # Five of its twelve posts are filled: too few for level 1 however well it works.
        vacant=frozenset(
            {"HRD-SEC", "HRD-ASST-CHILD", "HRD-SO-LAW", "HRD-ASST-LAW", "HRD-SO-ADMN"}
            | {"HRD-ASST-ADMN", "HRD-RI-2"}
        ),
        trained=0.4,
    ),
    Organisation(
        code="PBS",
        name="Pakistan Bureau of Statistics",
        kind="attached_department",
        parent=("MOPDSI", "Ministry of Planning, Development & Special Initiatives"),
        domain="pbs.gov.pk",
        wings=(
            _wing(
                "PBS-CW",
                "Census & Surveys Wing",
                ("PBS-CEN", "Census Section"),
                ("PBS-SUR", "Surveys Section"),
                ("PBS-PRICE", "Price Statistics Section"),
            ),
            _wing(
                "PBS-AW",
                "Administration Wing",
                ("PBS-ADMN", "Administration Section"),
                ("PBS-BA", "Budget & Accounts Section"),
            ),
        ),
        story=(3,) * MONTHS,
        trained=0.8,
    ),
)

FIRST = (  # noqa: SIM905 - names, easier to read as text
    "Ahmed Ali Farhan Imran Kamran Nadeem Saleem Shahid Tariq Usman Waseem Zubair Asif Bilal "
    "Junaid Khurram Rizwan Sohail Fahad Haris Amina Ayesha Fatima Hira Maryam Nadia Rabia "
    "Saima Sana Sadia Uzma Mehwish Farah Iqra Kiran Shumaila"
).split()
LAST = (  # noqa: SIM905
    "Khan Malik Qureshi Chaudhry Butt Sheikh Abbasi Mirza Hashmi Baloch Khattak Siddiqui "
    "Awan Bhatti Jatoi Gillani Rana Tarar Durrani Yousafzai Memon Soomro Niazi Lodhi"
).split()


@dataclass(frozen=True)
class Desk:
    """A post of the chart as the history generator needs it."""

    code: str
    unit: str
    role: str  # "secretary", "js", "so", "asst", "clerk"
    reports_to: str
    vacant: bool


def desks(org: Organisation) -> list[Desk]:
    c = org.code
    out = [Desk(f"{c}-SEC", c, "secretary", "", f"{c}-SEC" in org.vacant)]
    for w, wing in enumerate(org.wings, start=1):
        js = f"{c}-JS{w}"
        out.append(Desk(js, wing.code, "js", f"{c}-SEC", js in org.vacant))
        for code, _name in wing.sections:
            short = code.removeprefix(f"{c}-")
            so, asst = f"{c}-SO-{short}", f"{c}-ASST-{short}"
            out.append(Desk(so, code, "so", js, so in org.vacant))
            out.append(Desk(asst, code, "asst", so, asst in org.vacant))
    first_so = next(d.code for d in out if d.role == "so")
    for k in (1, 2):
        clerk = f"{c}-RI-{k}"
        out.append(Desk(clerk, f"{c}-RI", "clerk", first_so, clerk in org.vacant))
    return out


DESIGNATIONS = {
    "secretary": ("Secretary", 22, "signing_officer"),
    "js": ("Joint Secretary", 20, "signing_officer"),
    "so": ("Section Officer", 17, "officer"),
    "asst": ("Assistant", 16, "dealing_staff"),
    "clerk": ("Registry Clerk", 14, "registry_clerk"),
}


def _person(rng: random.Random, domain: str, taken: set[str]) -> tuple[str, str]:
    while True:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        email = f"{first}.{last}@{domain}".lower()
        if email not in taken:
            taken.add(email)
            return f"{first} {last}", email


def chart_csv() -> str:
    """Every programme organisation as one import-org CSV."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    ministries: set[str] = set()
    for org in ORGANISATIONS:
        rng = random.Random(f"daftar-demo-programme:{org.code}")  # noqa: S311 - names only
        taken: set[str] = set()
        if org.parent[0] not in ministries:
            ministries.add(org.parent[0])
            writer.writerow([org.parent[0], org.parent[1], "ministry", "GOP", *[""] * 10])
        units = {org.code: (org.name, org.kind, org.parent[0])}
        for wing in org.wings:
            units[wing.code] = (wing.name, "wing", org.code)
            for code, name in wing.sections:
                units[code] = (name, "section", wing.code)
        units[f"{org.code}-RI"] = ("Central Registry (R&I)", "registry", org.code)
        described: set[str] = set()
        for desk in desks(org):
            title, grade, role = DESIGNATIONS[desk.role]
            if desk.role in {"so", "asst"}:
                title = f"{title} ({units[desk.unit][0].split(' Section')[0]})"
            elif desk.role == "js":
                title = f"{title} ({units[desk.unit][0].removesuffix(' Wing')})"
            elif desk.role == "clerk":
                title = f"{title} {desk.code[-1]}"
            unit_cells = ["", "", ""]
            if desk.unit not in described:
                described.add(desk.unit)
                unit_cells = list(units[desk.unit])
            person = ["", "", "", "", "", ""]
            if not desk.vacant:
                name, email = _person(rng, org.domain, taken)
                # Charges began before any history shown (fixed dates: a later load matches).
                start = f"20{rng.randint(18, 23)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                person = [email, name, "regular", start, "", role]
            writer.writerow(
                [desk.unit, *unit_cells, desk.code, title, grade, desk.reports_to, *person]
            )
    return out.getvalue()
