"""Files, their custody chains, note sheets and audit events, row by row."""

from __future__ import annotations

import bisect
import datetime as dt
import json
import math
import random
from dataclasses import dataclass

from bench.lexicon import Lexicon
from bench.orgchart import Org
from bench.sizes import DAY, UTC, Row, Size
from bench.text import Prose

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


def percentile(values: list[int], q: float) -> int:
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
    archive: bool = False  # a search-archive file: its notes carry keyword sentences


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

    def __init__(
        self,
        org: Org,
        prose: Prose,
        rng: random.Random,
        now: float,
        lexicon: Lexicon | None = None,
    ) -> None:
        self.org = org
        self.prose = prose
        self.rng = rng
        self.now = now
        self.all_posts = org.post_ids
        self.lexicon = lexicon
        self.keywords = False  # the file being built is an archive one

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
        self.keywords = plan.archive and self.lexicon is not None

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
        cur_row = next(m for m in moves if m[0] == current)
        file_row = (
            fid, "", "", plan.unit, "1", year, 0, plan.classification, plan.priority, False,
            plan.status, target, current,
            cur_row[10] is None, cur_row[8], cur_row[9], cur_row[6],  # the inbox keys
            person[opener], t0,
            ts(min(self.now, plan.last + rng.uniform(3600, 30 * DAY)), UTC)
            if plan.status == "closed" else None,
        )  # fmt: skip
        audit: list[Row] = [
            (
                aid, t0, person[opener], opener, "file.open", "files.file", str(fid), None,
                json.dumps({"subject": "", "classification": plan.classification}),
            )
        ]  # fmt: skip
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
        # ("agree" notes carry no text; the archive's all do, for the search.)
        if rng.random() < 0.1 and not self.keywords:
            body, count, kind = "", 0, "agree"
        else:
            words = min(400, max(40, round(rng.lognormvariate(4.5, 0.55))))
            body, count = self.prose.body(words, urdu_share=urdu_share)
            if self.keywords and self.lexicon is not None:
                urdu = rng.random() < urdu_share / 2
                body = f"{body} {self.lexicon.sentence(urdu=urdu)}"
            kind = "text"
        row = (
            nid, fid, self.org.person_of[post], post, kind, body, finalised is not None, para,
            count, at, at, finalised,
        )  # fmt: skip
        return row, para + count


def archive_plans(size: Size, org: Org, rng: random.Random, now: float) -> list[FilePlan]:
    """The search archive's files: closed, in the same sections, each with a short custody
    chain and a share of ``size.archive_notes`` notes (long tail, as for the other files)."""
    n = size.archive_files
    if not n:
        return []
    five_years = 5 * 365 * DAY
    notes = _lognormal_counts(rng, n, max(1.0, size.archive_notes / n * 0.6), 1.0, 1, 1000)
    _fit_total(rng, notes, size.archive_notes, set(), 1, 1000)
    plans = []
    for k in notes:
        unit = rng.choice(org.sections)
        last = now - rng.uniform(2 * DAY, five_years - 30 * DAY)
        r = rng.random()
        plans.append(
            FilePlan(
                created=rng.uniform(now - five_years, last - 3600),
                last=last,
                status="closed",
                unit=unit,
                opener=rng.choice(org.section_posts[unit]),
                holder=rng.choice(org.section_posts[unit]),
                moves=min(40, max(3, round(rng.lognormvariate(1.6, 0.6)))),
                notes=k,
                priority=0,
                classification=0 if r < 0.85 else 1 if r < 0.95 else 2,
                urdu=rng.random() < 0.15,
                draft=False,
                unread=False,
                due=False,
                archive=True,
            )
        )
    return plans
