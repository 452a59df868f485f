"""Synthetic "ministry" data sets (anchors B2) loaded in bulk into the migrated schema.

Everything is derived from one seed: the organisation chart (Secretary → Additional → Joint →
Deputy Secretaries → Section Officers → assistants, plus a Central Registry), the files, each
file's custody chain, its note sheet and a limited audit trail.

Consistency is built in, not patched afterwards:

* every file's movements form one chain: the first is an OPEN at a post of the owning
  section, each later held movement goes from the previous holder (``from_post``) with
  ``previous`` pointing at the movement that brought the file there; a few sends were pulled
  back (unread, ``pulled_back_at`` set, not part of the chain); ``File.holder`` is the
  ``to_post`` of ``File.current_movement``, the last held movement;
* every movement but the current one was read; ``action`` follows the same rule as
  ``movement.services`` (return / put up / mark down / send across);
* notes are written by the post holding the file at the time, are final once a later send
  happened (``finalised_at`` = that send) and number their paragraphs in one series;
  an open file may end with a draft of its current holder;
* file serials run per unit and year, and ``org.Sequence`` continues after them.

Loading: PostgreSQL takes ``COPY … FROM STDIN`` per table per chunk of files (one
transaction per chunk; as a superuser the session skips FK triggers with
``session_replication_role = replica`` because the rows are consistent by construction — the
tests load with the triggers on); SQLite takes ``executemany`` in one transaction per chunk.
Nothing that migrations own is dropped or altered; ids are assigned here and the id sequences
are moved past them afterwards.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import math
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction

from bench.text import Prose
from daftar.audit.models import AuditEvent
from daftar.files.models import File, Note
from daftar.movement.models import Movement
from daftar.org.models import Charge, OrgUnit, Post, User
from daftar.org.models import Sequence as OrgSequence

GENERATOR_VERSION = 2
DEFAULT_SEED = 42
UTC = dt.UTC
DAY = 86400.0
Row = tuple[Any, ...]


@dataclass(frozen=True)
class Size:
    name: str
    people: int
    sections: int  # including the Central Registry
    files: int
    notes: int
    movements: int
    registry_pending: int  # the central registry / diary desk, the largest inbox
    bench_desk_pending: int  # the "median desk" measured for O2 (~25 pending)
    files_with_200_notes: int
    open_share: float = 0.78
    parked_share: float = 0.04


SIZES: dict[str, Size] = {
    # XS is for the tests only.
    "XS": Size("XS", 12, 2, 50, 750, 1500, 12, 10, 1),
    "S": Size("S", 40, 5, 1_000, 15_000, 40_000, 250, 25, 3),
    "M": Size("M", 2_000, 250, 100_000, 1_500_000, 4_000_000, 5_000, 25, 60),
}


@dataclass
class Targets:
    """What the measurements act on; stored with the data set."""

    bench_post: int  # the ~25-item desk (a Section Officer)
    bench_person: int
    receiver_post: int  # where the bench desk sends to (its Deputy Secretary)
    receiver_person: int
    registry_post: int  # the diary desk with the largest inbox
    registry_person: int
    big_file: int  # 200 notes, on the bench desk
    track_file: int  # 50 movements, the newest file on the bench desk
    track_number: str


@dataclass
class Dataset:
    size: str
    seed: int
    anchor: str
    targets: Targets
    counts: dict[str, int]
    stats: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Dataset:
        return cls(
            size=data["size"],
            seed=data["seed"],
            anchor=data["anchor"],
            targets=Targets(**data["targets"]),
            counts=data["counts"],
            stats=data.get("stats", {}),
            seconds=data.get("seconds", 0.0),
        )


# --- Loading ---------------------------------------------------------------------------


class Loader:
    """Bulk inserts into the migrated tables, on PostgreSQL (COPY) or SQLite (executemany).

    Callers give rows as tuples in the order of ``fields`` (attribute names); any other
    concrete field of the model is filled with its default, so a new nullable or defaulted
    column does not break the generator.
    """

    def __init__(self, *, fast: bool) -> None:
        self.vendor = connection.vendor
        self.fast = fast and self.vendor == "postgresql" and self._is_superuser()
        self.rows: Counter[str] = Counter()

    @staticmethod
    def _is_superuser() -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('is_superuser')")
            row = cursor.fetchone()
        return bool(row and row[0] == "on")

    def begin_chunk(self) -> None:
        """Call inside ``transaction.atomic()``: skip FK triggers for this transaction."""
        if self.fast:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")

    def insert(self, model: type[models.Model], fields: Sequence[str], rows: list[Row]) -> None:
        if not rows:
            return
        meta = model._meta
        given = [meta.get_field(name) for name in fields]
        columns: list[str] = [f.column for f in given]  # type: ignore[union-attr,misc]
        extra: list[Any] = []
        for f in meta.concrete_fields:
            if f.attname in fields or f.column in columns:
                continue
            if not f.has_default() and not f.null:
                raise RuntimeError(f"bench generator: {meta.label}.{f.name} needs a value")
            columns.append(str(f.column))
            value = f.get_default() if f.has_default() else None
            if isinstance(f, models.JSONField) and value is not None:
                value = json.dumps(value)
            extra.append(value)
        suffix = tuple(extra)
        table = connection.ops.quote_name(meta.db_table)
        cols = ", ".join(connection.ops.quote_name(c) for c in columns)
        if self.vendor == "postgresql":
            with connection.cursor() as cursor:
                raw = cursor.cursor
                with raw.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    write = copy.write_row
                    if suffix:
                        for row in rows:
                            write(row + suffix)
                    else:
                        for row in rows:
                            write(row)
        else:
            convert = [_sqlite_converter(f) for f in given]
            marks = ", ".join("?" * len(columns))
            sql = f"INSERT INTO {table} ({cols}) VALUES ({marks})"
            if any(convert):
                pairs = [(i, c) for i, c in enumerate(convert) if c is not None]

                def fixed(row: Row) -> Row:
                    values = list(row)
                    for i, c in pairs:
                        if values[i] is not None:
                            values[i] = c(values[i])
                    return (*values, *suffix)

                data: Iterable[Row] = (fixed(r) for r in rows)
            else:
                data = (r + suffix for r in rows)
            connection.ensure_connection()
            connection.connection.executemany(sql, data)
        self.rows[meta.label] += len(rows)

    def finish(self, model_list: list[type[models.Model]], *, analyze: bool = True) -> None:
        """Move id sequences past the inserted ids and refresh planner statistics."""
        statements = connection.ops.sequence_reset_sql(no_style(), model_list)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
        if not analyze:
            return
        tables = [m._meta.db_table for m in model_list]
        if self.vendor == "postgresql":
            # VACUUM also sets the visibility map (index-only scans) and hint bits, the steady
            # state autovacuum gives a live system; it cannot run inside a transaction.
            verb = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            with connection.cursor() as cursor:
                for table in tables:
                    cursor.execute(f"{verb} {connection.ops.quote_name(table)}")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")


def _sqlite_converter(f: Any) -> Callable[[Any], Any] | None:
    kind = f.get_internal_type()
    if kind == "DateTimeField":
        return lambda v: str(v.astimezone(UTC).replace(tzinfo=None))
    if kind == "DateField":
        return lambda v: v.isoformat()
    return None


# --- The organisation chart --------------------------------------------------------------


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
)
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
        org.users.append((uid, "!bench-no-password", None, False, email, name, True, False, joined))
        org.charges.append((base["charge"] + k, uid, pid, "regular", start, None))
        org.person_of[pid] = uid
    return org


# --- Files, movements, notes ---------------------------------------------------------------

REMARKS = (
    "",
    "",
    "",
    "Put up for orders, please.",
    "Please examine and put up.",
    "For necessary action.",
    "Discussed. Please process.",
    "Please see the note above.",
    "Draft reply placed below.",
    "ضروری کارروائی کے لیے",
    "ملاحظہ فرمائیں",
)
ACTION_OPEN, ACTION_UP, ACTION_DOWN, ACTION_ACROSS, ACTION_RETURN = (
    "open",
    "put_up",
    "mark_down",
    "send_across",
    "return",
)


def _lognormal_counts(
    rng: random.Random, n: int, median: float, sigma: float, lo: int, hi: int
) -> list[int]:
    mu = math.log(median)
    return [min(hi, max(lo, round(rng.lognormvariate(mu, sigma)))) for _ in range(n)]


def _fit_total(
    rng: random.Random, counts: list[int], total: int, fixed: set[int], lo: int, hi: int
) -> None:
    """Scale ``counts`` (except the indices in ``fixed``) so they sum to ``total``."""
    free = [i for i in range(len(counts)) if i not in fixed]
    want = total - sum(counts[i] for i in fixed)
    have = sum(counts[i] for i in free)
    if not free or want < lo * len(free) or want > hi * len(free):
        raise ValueError(f"cannot fit {total} over {len(counts)} items")
    factor = want / have
    for i in free:
        counts[i] = min(hi, max(lo, round(counts[i] * factor)))
    diff = want - sum(counts[i] for i in free)
    while diff != 0:
        i = free[rng.randrange(len(free))]
        step = 1 if diff > 0 else -1
        if lo <= counts[i] + step <= hi:
            counts[i] += step
            diff -= step


def _allocate(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder)."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    out = [int(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - out[i], reverse=True)
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


def _percentile(values: list[int], q: float) -> int:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@dataclass
class FilePlan:
    created: float
    last: float
    status: str
    unit: int
    opener: int
    holder: int
    moves: int
    notes: int
    priority: int
    classification: int
    urdu: bool
    draft: bool
    unread: bool
    due: bool


def plan_files(
    size: Size, org: Org, rng: random.Random, now: float
) -> tuple[list[FilePlan], int, int]:
    """Per-file parameters, sorted by opening time. Returns (plans, big file, track file)."""
    n = size.files
    n_open = round(n * size.open_share)
    n_parked = round(n * size.parked_share)
    statuses = ["open"] * n_open + ["parked"] * n_parked + ["closed"] * (n - n_open - n_parked)

    special = {org.registry_post, org.bench_post}
    others = [p for p in org.post_ids if p not in special]
    others_total = n_open - size.registry_pending - size.bench_desk_pending
    weights = [rng.lognormvariate(0.0, 0.9) for _ in others]
    desk = _allocate(others_total, weights)
    holders = [org.registry_post] * size.registry_pending + [org.bench_post] * (
        size.bench_desk_pending
    )
    for pid, k in zip(others, desk, strict=True):
        holders.extend([pid] * k)
    rng.shuffle(holders)

    five_years = 5 * 365 * DAY
    plans: list[FilePlan] = []
    for i in range(n):
        status = statuses[i]
        unit = rng.choice(org.sections)
        if status == "open":
            holder = holders[i]
        elif status == "parked":
            holder = rng.choice(others)
        else:
            holder = rng.choice(org.section_posts[unit])
        if status == "closed":
            last = now - rng.uniform(2 * DAY, five_years - 30 * DAY)
        else:
            r = rng.random()  # age of the pending item: 60 % < 7 days, 10 % > 90 days
            if r < 0.6:
                age = rng.uniform(0.05 * DAY, 7 * DAY)
            elif r < 0.9:
                age = rng.uniform(7 * DAY, 90 * DAY)
            else:
                age = rng.uniform(90 * DAY, 720 * DAY)
            last = now - age
        created = rng.uniform(now - five_years, last - 3600)
        r = rng.random()
        priority = 0 if r < 0.85 else 1 if r < 0.95 else 2 if r < 0.99 else 3
        r = rng.random()
        classification = 0 if r < 0.8 else 1 if r < 0.9 else 2 if r < 0.97 else 3
        plans.append(
            FilePlan(
                created=created,
                last=last,
                status=status,
                unit=unit,
                opener=rng.choice(org.section_posts[unit]),
                holder=holder,
                moves=0,
                notes=0,
                priority=priority,
                classification=classification,
                urdu=rng.random() < 0.15,
                draft=status == "open" and rng.random() < 0.12,
                unread=status == "open" and rng.random() < 0.35,
                due=status == "open" and rng.random() < 0.3,
            )
        )
    plans.sort(key=lambda p: p.created)

    # Movements per file: at least 3 (open + 2 sends), mean movements/files, long tail.
    mean_moves = size.movements / n
    moves = _lognormal_counts(rng, n, max(3.0, (mean_moves - 2) / 1.32), 0.75, 3, 600)
    notes = _lognormal_counts(rng, n, 6, 1.38, 1, 1000)
    bench_files = [
        i for i, p in enumerate(plans) if p.status == "open" and p.holder == org.bench_post
    ]
    # The 200-note file is the desk's oldest; the tracked file its newest (highest id and
    # serial), so a lookup that walks the files in id order shows its worst case.
    big_file, track_file = bench_files[0], bench_files[-1]
    fixed_notes = {big_file}
    others_idx = [i for i in range(n) if i not in (big_file, track_file)]
    fixed_notes.update(rng.sample(others_idx, size.files_with_200_notes - 1))
    for i in fixed_notes:
        notes[i] = 200
    moves[track_file] = 50
    _fit_total(rng, notes, size.notes, fixed_notes, 1, 1000)
    _fit_total(rng, moves, size.movements, {track_file}, 3, 600)
    for p, m, k in zip(plans, moves, notes, strict=True):
        p.moves = m
        p.notes = k
        if p.draft and k < 2:
            p.draft = False
        if p.draft:
            p.unread = False  # writing a note on a received file opens it
    return plans, big_file, track_file


class History:
    """Builds the rows of one file: its movements, notes and audit events."""

    def __init__(self, org: Org, prose: Prose, rng: random.Random, now: float) -> None:
        self.org = org
        self.prose = prose
        self.rng = rng
        self.now = now
        self.all_posts = org.post_ids

    def _next_post(self, cur: int, came_from: int | None, avoid: int | None) -> int:
        rng = self.rng
        org = self.org
        for _ in range(10):
            r = rng.random()
            up = org.reports_to[cur]
            down = org.reports[cur]
            if r < 0.25 and came_from is not None:
                to = came_from
            elif r < 0.55 and up is not None:
                to = up
            elif r < 0.8 and down:
                to = rng.choice(down)
            else:
                to = rng.choice(self.all_posts)
            if to != cur and to != avoid:
                return to
        while True:
            to = rng.choice(self.all_posts)
            if to != cur and to != avoid:
                return to

    def _action(self, frm: int, to: int, came_from: int | None) -> str:
        if came_from == to:
            return ACTION_RETURN
        if to in self.org.above[frm]:
            return ACTION_UP
        if frm in self.org.above[to]:
            return ACTION_DOWN
        return ACTION_ACROSS

    def build(
        self, plan: FilePlan, fid: int, mid: int, nid: int, aid: int
    ) -> tuple[Row, list[Row], list[Row], list[Row], int, dict[str, int]]:
        """Rows for one file. Returns (file row, movements, notes, audit, current id, info)."""
        rng = self.rng
        org = self.org
        person = org.person_of
        ts = dt.datetime.fromtimestamp

        n = plan.moves
        times = sorted(rng.uniform(plan.created, plan.last) for _ in range(n - 2))
        times = [plan.created, *times, plan.last]
        for i in range(1, n):  # strictly increasing, to the microsecond
            if times[i] <= times[i - 1]:
                times[i] = times[i - 1] + 1e-3

        moves: list[Row] = []
        opener = plan.opener
        t0 = ts(times[0], UTC)
        moves.append(
            (
                mid, fid, ACTION_OPEN, None, opener, person[opener], t0, "", plan.priority,
                None, t0, person[opener], None, None,
            )
        )  # fmt: skip
        current = mid
        cur, came_from = opener, None
        held_times = [times[0]]
        held_posts = [opener]
        pending_read: int | None = None  # index in ``moves`` of the held movement not yet read
        steps = n - 1
        target = plan.holder
        for i in range(1, n):
            t = times[i]
            last = i == steps
            penultimate = i == steps - 1
            mid += 1
            if pending_read is not None:
                # the holder opened what it received before acting on it
                prev_t = held_times[-1]
                row = moves[pending_read]
                read = ts(prev_t + (t - prev_t) * rng.uniform(0.05, 0.5), UTC)
                moves[pending_read] = (*row[:10], read, person[row[4]], *row[12:])
                pending_read = None
            if not last and not penultimate and rng.random() < 0.01:
                # sent, then pulled back unread by the sender before anyone opened it
                to = self._next_post(cur, came_from, None)
                gap = times[i + 1] - t
                moves.append(
                    (
                        mid, fid, self._action(cur, to, came_from), cur, to, person[cur],
                        ts(t, UTC), rng.choice(REMARKS), plan.priority, None, None, None,
                        ts(t + min(gap / 2, 7200.0), UTC), current,
                    )
                )  # fmt: skip
                continue
            if last:
                to = target
            else:
                to = self._next_post(cur, came_from, target if penultimate else None)
            action = self._action(cur, to, came_from)
            due = None
            if last and plan.due:
                due = (ts(t, UTC) + dt.timedelta(days=rng.choice((3, 7, 7, 14)))).date()
            moves.append(
                (
                    mid, fid, action, cur, to, person[cur], ts(t, UTC), rng.choice(REMARKS),
                    plan.priority, due, None, None, None, current,
                )
            )  # fmt: skip
            pending_read = len(moves) - 1
            current = mid
            came_from, cur = cur, to
            held_times.append(t)
            held_posts.append(to)
        if cur != target:
            raise RuntimeError("custody chain must end at the planned holder")
        # The current movement: read unless the plan says it waits unopened.
        if pending_read is not None and not plan.unread:
            row = moves[pending_read]
            end = self.now if plan.status != "closed" else plan.last + 3600
            read = ts(plan.last + (end - plan.last) * rng.uniform(0.01, 0.5), UTC)
            moves[pending_read] = (*row[:10], read, person[row[4]], *row[12:])

        # Notes: written by the holder of the day; final after the next send.
        all_times = [m[6].timestamp() for m in moves[1:]]
        notes: list[Row] = []
        k = plan.notes - (1 if plan.draft else 0)
        note_times = sorted(rng.uniform(plan.created, plan.last) for _ in range(k))
        para = 1
        share = 0.7 if plan.urdu else 0.04
        for t in note_times:
            post = held_posts[bisect.bisect_right(held_times, t) - 1]
            fin = all_times[min(len(all_times) - 1, bisect.bisect_right(all_times, t))]
            nid_row, para = self._note(nid, fid, post, t, ts(fin, UTC), para, share)
            notes.append(nid_row)
            nid += 1
        if plan.draft:
            t = rng.uniform(plan.last, self.now)
            row, para = self._note(nid, fid, target, t, None, para, share)
            notes.append(row)
            nid += 1

        year = dt.datetime.fromtimestamp(plan.created, UTC).year
        file_row = (
            fid, "", "", plan.unit, "1", year, 0, plan.classification, plan.priority, False,
            plan.status, target, current, person[opener], t0,
            ts(min(self.now, plan.last + rng.uniform(3600, 30 * DAY)), UTC)
            if plan.status == "closed" else None,
        )  # fmt: skip
        audit: list[Row] = [
            (
                aid, t0, person[opener], opener, "file.open", "files.file", str(fid), None,
                json.dumps({"subject": "", "classification": plan.classification}),
            )
        ]  # fmt: skip
        cur_row = next(m for m in moves if m[0] == current)
        if cur_row[2] != ACTION_OPEN:
            audit.append(
                (
                    aid + 1, cur_row[6], cur_row[5], cur_row[3], f"file.{cur_row[2]}",
                    "files.file", str(fid),
                    json.dumps({"holder": org.code_of[cur_row[3]], "status": "open"}),
                    json.dumps({"holder": org.code_of[cur_row[4]], "movement": current}),
                )
            )  # fmt: skip
        return file_row, moves, notes, audit, current, {"mid": mid + 1, "nid": nid}

    def _note(
        self,
        nid: int,
        fid: int,
        post: int,
        t: float,
        finalised: dt.datetime | None,
        para: int,
        urdu_share: float,
    ) -> tuple[Row, int]:
        rng = self.rng
        at = dt.datetime.fromtimestamp(t, UTC)
        if rng.random() < 0.1:
            body, count, kind = "", 0, "agree"
        else:
            words = min(400, max(40, round(rng.lognormvariate(4.5, 0.55))))
            body, count = self.prose.body(words, urdu_share=urdu_share)
            kind = "text"
        row = (
            nid, fid, self.org.person_of[post], post, kind, body, finalised is not None, para,
            count, at, at, finalised,
        )  # fmt: skip
        return row, para + count


# --- The whole data set ---------------------------------------------------------------------


def _next_ids() -> dict[str, int]:
    tables = {
        "unit": OrgUnit,
        "post": Post,
        "user": User,
        "charge": Charge,
        "sequence": OrgSequence,
        "file": File,
        "movement": Movement,
        "note": Note,
        "audit": AuditEvent,
    }
    return {
        key: (model.objects.aggregate(m=models.Max("id"))["m"] or 0) + 1  # type: ignore[attr-defined]
        for key, model in tables.items()
    }


Batch = tuple[type[models.Model], tuple[str, ...], list[Row]]


class Builder:
    """All rows of a data set, as batches per table, from ``seed`` alone (no database)."""

    def __init__(self, size: Size, *, seed: int, anchor: dt.datetime, base: dict[str, int]):
        self.size = size
        self.seed = seed
        self.anchor = anchor
        self.base = base
        self.now = anchor.timestamp()
        rng = random.Random(seed)
        self.org = build_org(size, base, anchor)
        self.plans, self.big_i, self.track_i = plan_files(size, self.org, rng, self.now)
        self.prose = Prose(rng)
        self.history = History(self.org, self.prose, rng, self.now)
        self.serials: Counter[tuple[int, int]] = Counter()
        self.notes_per_file: list[int] = []
        self.pending: Counter[int] = Counter()
        self.big_file = self.track_file = 0
        self.track_number = ""

    def org_batches(self) -> list[Batch]:
        org = self.org
        return [
            (OrgUnit, UNIT_FIELDS, org.units),
            (Post, POST_FIELDS, org.posts),
            (User, USER_FIELDS, org.users),
            (Charge, CHARGE_FIELDS, org.charges),
        ]

    def file_batches(self, chunk_files: int) -> Iterator[tuple[int, list[Batch]]]:
        """(files done, batches) per chunk of files, in the order they must be inserted."""
        org, plans, prose = self.org, self.plans, self.prose
        base = self.base
        ids = {"file": base["file"], "mid": base["movement"], "nid": base["note"]}
        aid = base["audit"]
        for start in range(0, len(plans), chunk_files):
            file_rows: list[Row] = []
            move_rows: list[Row] = []
            note_rows: list[Row] = []
            audit_rows: list[Row] = []
            for i in range(start, min(start + chunk_files, len(plans))):
                plan = plans[i]
                fid = ids["file"]
                row, moves, notes, audit, _current, nxt = self.history.build(
                    plan, fid, ids["mid"], ids["nid"], aid
                )
                year = row[5]
                self.serials[(plan.unit, year)] += 1
                serial = self.serials[(plan.unit, year)]
                number = f"1-{serial}/{year}-{org.unit_code[plan.unit]}"
                subject = prose.subject()
                row = (row[0], number, subject, *row[3:6], serial, *row[7:])
                opened = {
                    "number": number,
                    "subject": subject,
                    "classification": plan.classification,
                }
                audit[0] = (*audit[0][:8], json.dumps(opened))
                file_rows.append(row)
                move_rows.extend(moves)
                note_rows.extend(notes)
                audit_rows.extend(audit)
                self.notes_per_file.append(len(notes))
                if plan.status == "open":
                    self.pending[plan.holder] += 1
                if i == self.big_i:
                    self.big_file = fid
                if i == self.track_i:
                    self.track_file, self.track_number = fid, number
                ids["file"] += 1
                ids["mid"], ids["nid"] = nxt["mid"], nxt["nid"]
                aid += len(audit)
            yield (
                min(start + chunk_files, len(plans)),
                [
                    (File, FILE_FIELDS, file_rows),
                    (Movement, MOVEMENT_FIELDS, move_rows),
                    (Note, NOTE_FIELDS, note_rows),
                    (AuditEvent, AUDIT_FIELDS, audit_rows),
                ],
            )

    def sequence_batch(self) -> Batch:
        """File serials continue after the generated ones (call after ``file_batches``)."""
        rows = [
            (self.base["sequence"] + k, f"file:{unit}:{year}", last)
            for k, ((unit, year), last) in enumerate(sorted(self.serials.items()))
        ]
        return (OrgSequence, SEQUENCE_FIELDS, rows)

    def dataset(self, counts: dict[str, int], *, fast: bool, seconds: float) -> Dataset:
        org = self.org
        receiver = org.reports_to[org.bench_post] or org.registry_post
        desks = [self.pending.get(p, 0) for p in org.post_ids]
        notes = self.notes_per_file
        return Dataset(
            size=self.size.name,
            seed=self.seed,
            anchor=self.anchor.isoformat(),
            targets=Targets(
                bench_post=org.bench_post,
                bench_person=org.person_of[org.bench_post],
                receiver_post=receiver,
                receiver_person=org.person_of[receiver],
                registry_post=org.registry_post,
                registry_person=org.person_of[org.registry_post],
                big_file=self.big_file,
                track_file=self.track_file,
                track_number=self.track_number,
            ),
            counts=counts,
            stats={
                "notes_per_file": {
                    "p50": _percentile(notes, 0.5),
                    "p90": _percentile(notes, 0.9),
                    "p99": _percentile(notes, 0.99),
                    "max": max(notes),
                    "exactly_200": sum(1 for k in notes if k == 200),
                },
                "pending_per_desk": {
                    "median": _percentile(desks, 0.5),
                    "p95": _percentile(desks, 0.95),
                    "max": max(desks),
                    "bench_desk": self.pending[org.bench_post],
                    "registry_desk": self.pending[org.registry_post],
                },
                "fk_triggers_skipped": fast,
                "audit_events": "2 per file (file.open + the current movement), not B2's 15 M",
            },
            seconds=seconds,
        )


def generate(
    size: Size,
    *,
    seed: int = DEFAULT_SEED,
    now: dt.datetime | None = None,
    fast: bool = True,
    chunk_files: int = 2000,
    analyze: bool = True,
    progress: Callable[[str], None] | None = None,
) -> Dataset:
    """Insert the data set for ``size`` into the current database; returns what was made."""
    started = time.monotonic()
    say = progress or (lambda _msg: None)
    anchor = (now or dt.datetime.now(UTC)).replace(minute=0, second=0, microsecond=0)
    loader = Loader(fast=fast)
    builder = Builder(size, seed=seed, anchor=anchor, base=_next_ids())
    with transaction.atomic():
        loader.begin_chunk()
        for batch in builder.org_batches():
            loader.insert(*batch)
    say(f"{size.name}: org chart loaded ({len(builder.org.post_ids)} posts); generating files")
    for done, batches in builder.file_batches(chunk_files):
        with transaction.atomic():
            loader.begin_chunk()
            for batch in batches:
                loader.insert(*batch)
        if done % (chunk_files * 10) == 0 or done == size.files:
            say(f"{size.name}: {done:,}/{size.files:,} files ({time.monotonic() - started:.0f} s)")
    with transaction.atomic():
        loader.insert(*builder.sequence_batch())
    say(f"{size.name}: rows loaded; resetting sequences and analysing")
    loader.finish(
        [OrgUnit, Post, User, Charge, OrgSequence, File, Movement, Note, AuditEvent],
        analyze=analyze,
    )
    counts = {label: loader.rows[label] for label in sorted(loader.rows)}
    return builder.dataset(counts, fast=loader.fast, seconds=round(time.monotonic() - started, 1))
