"""The synthetic organisation chart: one person per post, all on regular charge.

Secretary → Additional Secretaries → Joint Secretaries (wings) → Deputy Secretaries (branches)
→ Section Officers → assistants, plus a Central Registry whose diary desk gets the largest
inbox. Also the column lists of every table the generator fills.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from bench.sizes import UTC, Row, Size


@dataclass
class Org:
    units: list[Row] = field(default_factory=list)
    posts: list[Row] = field(default_factory=list)
    users: list[Row] = field(default_factory=list)
    charges: list[Row] = field(default_factory=list)
    unit_code: dict[int, str] = field(default_factory=dict)
    code_of: dict[int, str] = field(default_factory=dict)
    post_ids: list[int] = field(default_factory=list)
    person_of: dict[int, int] = field(default_factory=dict)
    reports_to: dict[int, int | None] = field(default_factory=dict)
    reports: dict[int, list[int]] = field(default_factory=dict)
    above: dict[int, frozenset[int]] = field(default_factory=dict)
    sections: list[int] = field(default_factory=list)  # regular section unit ids
    section_posts: dict[int, list[int]] = field(default_factory=dict)
    registry_post: int = 0
    bench_post: int = 0


UNIT_FIELDS = ("id", "code", "name", "kind", "parent_id", "time_zone", "file_number_template")
POST_FIELDS = ("id", "unit_id", "code", "designation", "grade", "reports_to_id", "is_active")
USER_FIELDS = (
    "id",
    "password",
    "last_login",
    "is_superuser",
    "email",
    "full_name",
    "is_active",
    "is_staff",
    "date_joined",
    "clearance",
)
# Every bench person is cleared to Secret, the highest grade the history generates, so the
# benchmarks measure the same reads and sends as before clearances existed.
BENCH_CLEARANCE = 3
CHARGE_FIELDS = ("id", "person_id", "post_id", "kind", "start", "end")
SEQUENCE_FIELDS = ("id", "key", "last_value")
FILE_FIELDS = (
    "id",
    "number",
    "subject",
    "unit_id",
    "head",
    "year",
    "serial",
    "classification",
    "priority",
    "is_physical",
    "status",
    "holder_id",
    "current_movement_id",
    "inbox_unread",
    "inbox_priority",
    "inbox_due_on",
    "inbox_since",
    "created_by_id",
    "created_at",
    "closed_at",
)
MOVEMENT_FIELDS = (
    "id",
    "file_id",
    "action",
    "from_post_id",
    "to_post_id",
    "sent_by_id",
    "sent_at",
    "remarks",
    "priority",
    "due_on",
    "read_at",
    "read_by_id",
    "pulled_back_at",
    "previous_id",
)
NOTE_FIELDS = (
    "id",
    "file_id",
    "author_id",
    "post_id",
    "kind",
    "body",
    "is_final",
    "first_para",
    "para_count",
    "created_at",
    "updated_at",
    "finalised_at",
)
AUDIT_FIELDS = (
    "id",
    "at",
    "actor_id",
    "post_id",
    "action",
    "object_type",
    "object_id",
    "before",
    "after",
    "seq",  # the last three are added by generate.AuditChain
    "prev_hash",
    "hash",
)

FIRST_NAMES = [
    "Ayesha",
    "Nadia",
    "Imran",
    "Bilal",
    "Farah",
    "Shahid",
    "Sana",
    "Usman",
    "Hina",
    "Kamran",
    "Maryam",
    "Tariq",
    "Rabia",
    "Asad",
    "Zainab",
    "Junaid",
    "Amna",
    "Faisal",
    "Saima",
    "Hamza",
    "Nida",
    "Waqas",
    "Sadia",
    "Omer",
    "Mehwish",
    "Adeel",
    "Iqra",
    "Naveed",
]
LAST_NAMES = [
    "Siddiqui",
    "Qureshi",
    "Ahmed",
    "Khan",
    "Rahman",
    "Mehmood",
    "Baloch",
    "Shah",
    "Chaudhry",
    "Malik",
    "Butt",
    "Awan",
    "Raza",
    "Hussain",
    "Javed",
    "Iqbal",
    "Akhtar",
    "Abbasi",
    "Bhatti",
    "Memon",
    "Khattak",
    "Durrani",
    "Niazi",
    "Gillani",
]


def build_org(size: Size, base: dict[str, int], anchor: dt.datetime) -> Org:
    """The chart for ``size``: one person per post, all on regular charge since 2020."""
    org = Org()
    regular = size.sections - 1
    n_ds = max(1, math.ceil(regular / 2))
    n_js = max(1, math.ceil(n_ds / 2))
    n_as = max(1, math.ceil(n_js / 4))
    registry_staff = max(2, min(6, size.people // size.sections - 2))
    in_sections = size.people - (1 + n_as + n_js + n_ds) - registry_staff
    if in_sections < 2 * regular:
        raise ValueError(f"size {size.name}: too few people for {size.sections} sections")

    unit_id = iter(range(base["unit"], base["unit"] + 10**7))
    post_id = iter(range(base["post"], base["post"] + 10**7))

    def unit(code: str, name: str, kind: str, parent: int | None) -> int:
        uid = next(unit_id)
        org.units.append(
            (uid, code, name, kind, parent, "Asia/Karachi", "{head}-{serial}/{year}-{unit}")
        )
        org.unit_code[uid] = code
        return uid

    def post(uid: int, code: str, designation: str, grade: int | None, up: int | None) -> int:
        pid = next(post_id)
        org.posts.append((pid, uid, code, designation, grade, up, True))
        org.post_ids.append(pid)
        org.reports_to[pid] = up
        org.reports.setdefault(pid, [])
        if up is not None:
            org.reports[up].append(pid)
        return pid

    division = unit("MWR", "Ministry of Water Resources", "division", None)
    secretary = post(division, "SEC", "Secretary", 22, None)
    ads = [
        post(division, f"AS-{i + 1}", f"Additional Secretary-{i + 1}", 21, secretary)
        for i in range(n_as)
    ]
    wings, jss = [], []
    for i in range(n_js):
        wing = unit(f"W{i + 1}", f"Wing-{i + 1}", "wing", division)
        wings.append(wing)
        jss.append(post(wing, f"JS-W{i + 1}", f"Joint Secretary (Wing-{i + 1})", 20, ads[i % n_as]))
    branches, dss = [], []
    for i in range(n_ds):
        branch = unit(f"B{i + 1}", f"Branch-{i + 1}", "branch", wings[i // 2 % n_js])
        branches.append(branch)
        dss.append(
            post(branch, f"DS-B{i + 1}", f"Deputy Secretary (Branch-{i + 1})", 19, jss[i // 2])
        )
    registry = unit("R&I", "Central Registry", "registry", division)
    registrar = post(registry, "REG", "Registrar (Central Registry)", 17, dss[0])
    org.registry_post = post(registry, "DIARY-1", "Diary Clerk (Central Registry)", 11, registrar)
    for i in range(registry_staff - 2):
        post(registry, f"RC-{i + 1}", f"Receipt Clerk-{i + 1} (Central Registry)", 9, registrar)
    org.section_posts[registry] = [p[0] for p in org.posts if p[1] == registry]

    per_section = [in_sections // regular] * regular
    for i in range(in_sections % regular):
        per_section[i] += 1
    for i in range(regular):
        code = f"S{i + 1}"
        section = unit(code, f"Section-{i + 1}", "section", branches[i // 2])
        org.sections.append(section)
        so = post(section, f"SO-{code}", f"Section Officer (Section-{i + 1})", 17, dss[i // 2])
        members = [so]
        members.extend(
            post(section, f"AST-{code}-{j + 1}", f"Assistant-{j + 1} (Section-{i + 1})", 15, so)
            for j in range(per_section[i] - 1)
        )
        org.section_posts[section] = members
        if i == 0:
            org.bench_post = so

    # Ancestors for the action rule.
    for pid in org.post_ids:
        chain: list[int] = []
        up = org.reports_to[pid]
        while up is not None:
            chain.append(up)
            up = org.reports_to[up]
        org.above[pid] = frozenset(chain)

    start = dt.date(2020, 1, 1)
    joined = dt.datetime(2020, 1, 1, 4, 0, tzinfo=UTC)
    code_of = {p[0]: p[2] for p in org.posts}
    org.code_of = code_of
    for k, pid in enumerate(org.post_ids):
        uid = base["user"] + k
        name = f"{FIRST_NAMES[k % len(FIRST_NAMES)]} {LAST_NAMES[(k // 7) % len(LAST_NAMES)]}"
        email = f"{code_of[pid].lower().replace('&', '')}.{uid}@mowr.gov.pk"
        org.users.append(
            (
                uid,
                "!bench-no-password",
                None,
                False,
                email,
                name,
                True,
                False,
                joined,
                BENCH_CLEARANCE,
            )
        )
        org.charges.append((base["charge"] + k, uid, pid, "regular", start, None))
        org.person_of[pid] = uid
    return org
