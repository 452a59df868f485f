"""Latency of the user-facing operations through the real request path, next to their floors.

Each operation runs as an ordinary officer (never a superuser) through Django's test
``Client`` — the full middleware stack, a real session from ``force_login``, CSRF checks
enforced on the POST — in this process, warm, for N iterations. Next to it:

* **floor (reads)**: the exact statements the view ran (captured once with
  ``CaptureQueriesContext`` plus an execute wrapper that keeps their parameters), replayed
  with the raw DB-API cursor and fetched, timed the same way: what the database alone costs;
* **floor (send)**: one committed transaction of a single-row UPDATE and an INSERT in two
  small bench-only tables: the physical cost of a durable write.

Floors are interleaved with the requests (one replay after each timed request), so on a
machine shared with other work both columns see the same load.

When a view is not there yet the operation falls back to the selectors or service it would
call (marked ``via`` = ``selector``/``service``) so the harness keeps working; the report
says so.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import connection, transaction
from django.http import HttpResponseBase
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.crypto import get_random_string

from bench.generate import Dataset
from daftar.files.models import File, FileStatus
from daftar.files.selectors import file_by_number_for_actor, file_for_actor, notes_of
from daftar.movement.selectors import inbox, inbox_counts, timeline
from daftar.movement.services import file_return, file_send
from daftar.org.models import User
from daftar.org.selectors import posts_held

CSRF_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
SKIP_ON_REPLAY = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")
# Opening a Confidential file appends to the audit chain (docs/access.md): an append cannot be
# replayed (its sequence number is taken), so the floor leaves the chain's statements out.
AUDIT_TABLES = ("audit_auditevent", "audit_chainhead")


def _replayable(sql: str) -> bool:
    if sql.lstrip().upper().startswith(SKIP_ON_REPLAY):
        return False
    return not any(table in sql for table in AUDIT_TABLES)


@dataclass
class Stats:
    n: int
    p50: float
    p95: float
    p99: float
    max: float
    mean: float

    @classmethod
    def of(cls, samples_ns: list[int]) -> Stats:
        ms = sorted(s / 1e6 for s in samples_ns)

        def q(p: float) -> float:
            if len(ms) == 1:
                return ms[0]
            # nearest-rank on the sorted samples, as latency tools report it
            return ms[min(len(ms) - 1, max(0, round(p * len(ms) + 0.5) - 1))]

        return cls(
            n=len(ms),
            p50=round(statistics.median(ms), 3),
            p95=round(q(0.95), 3),
            p99=round(q(0.99), 3),
            max=round(ms[-1], 3),
            mean=round(statistics.fmean(ms), 3),
        )


@dataclass
class OpResult:
    op: str
    title: str
    via: str  # "view GET /…", "view POST …", "api POST …", "selector", "service"
    stats: Stats
    cpu_p50: float  # CPU time of this (the application) process per request, ms
    queries: int
    floor: Stats
    floor_kind: str
    errors: int = 0
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio_p50(self) -> float:
        return round(self.stats.p50 / self.floor.p50, 1) if self.floor.p50 else 0.0

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["ratio_p50"] = self.ratio_p50
        data["ratio_p95"] = round(self.stats.p95 / self.floor.p95, 1) if self.floor.p95 else 0.0
        return data


Statement = tuple[str, Any, bool]


def _capture(fn: Callable[[], object]) -> tuple[int, list[Statement]]:
    statements: list[Statement] = []

    def keep(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append((sql, params, many))
        return execute(sql, params, many, context)

    with CaptureQueriesContext(connection) as ctx, connection.execute_wrapper(keep):
        fn()
    return len(ctx.captured_queries), statements


class Replay:
    """Exactly the captured statements, run with the raw DB-API cursor and fetched.

    ``once()`` is called between the timed requests, so that the view and its floor see the
    same moment of a machine other work may share.
    """

    def __init__(self, statements: list[Statement]) -> None:
        self.todo = [s for s in statements if _replayable(s[0])]
        self.per: list[list[int]] = [[] for _ in self.todo]
        self.samples: list[int] = []

    def once(self, *, record: bool = True) -> None:
        clock = time.perf_counter_ns
        connection.ensure_connection()
        cursor = connection.create_cursor()
        try:
            start = clock()
            for k, (sql, params, many) in enumerate(self.todo):
                t0 = clock()
                if many:
                    cursor.executemany(sql, params)
                else:
                    cursor.execute(sql, params)
                if cursor.description is not None:
                    cursor.fetchall()
                if record:
                    self.per[k].append(clock() - t0)
            if record:
                self.samples.append(clock() - start)
        finally:
            cursor.close()

    def result(self) -> tuple[Stats, list[dict[str, Any]]]:
        """The floor, and the statements by their median time (EXPLAIN of the slowest)."""
        per, todo = self.per, self.todo
        order = sorted(range(len(todo)), key=lambda k: statistics.median(per[k]), reverse=True)
        shares: list[dict[str, Any]] = [
            {
                "sql": " ".join(todo[k][0].split())[:300],
                "p50_ms": round(statistics.median(per[k]) / 1e6, 3),
            }
            for k in order
        ]
        if order and connection.vendor == "postgresql":
            shares[0]["plan"] = _explain(todo[order[0]])
        return Stats.of(self.samples), shares


def _explain(statement: Statement) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of one captured SELECT, for the report."""
    sql, params, many = statement
    if many or not sql.lstrip().upper().startswith("SELECT"):
        return ""
    cursor = connection.create_cursor()
    try:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())
    finally:
        cursor.close()


def _run(
    fn: Callable[[], bool], n: int, between: Callable[[], None] | None = None
) -> tuple[list[int], list[int], int]:
    """Time ``fn`` ``n`` times (it answers whether the request succeeded); ``between`` runs
    untimed here after each request (the floor, interleaved)."""
    errors = 0
    wall: list[int] = []
    cpu: list[int] = []
    clock, cpu_clock = time.perf_counter_ns, time.process_time_ns
    for _ in range(n):
        c0 = cpu_clock()
        t0 = clock()
        ok = fn()
        wall.append(clock() - t0)
        cpu.append(cpu_clock() - c0)
        if not ok:
            errors += 1
        if between is not None:
            between()
    return wall, cpu, errors


def _url(name: str, args: list[Any] | None = None) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _path_exists(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def _client(user: User) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    token = get_random_string(32, CSRF_CHARS)
    client.cookies["csrftoken"] = token
    client.defaults["HTTP_X_CSRFTOKEN"] = token
    return client


def _ok(response: HttpResponseBase) -> bool:
    return response.status_code == 200


def measure_read(
    op: str,
    title: str,
    *,
    user: User,
    url: str | None,
    fallback: Callable[[], object],
    n: int,
    warmup: int,
    detail: dict[str, Any],
) -> OpResult:
    if user.is_superuser or user.is_staff:
        raise RuntimeError("measure as an ordinary officer, not a superuser or staff")
    if url is not None:
        client = _client(user)

        def fn() -> bool:
            return _ok(client.get(url))

        via = f"view GET {url}"
    else:

        def fn() -> bool:
            fallback()
            return True

        via = "selector (view not available)"
    for _ in range(warmup):
        fn()
    queries, statements = _capture(fn)
    replay = Replay(statements)
    for _ in range(max(3, warmup // 2)):
        replay.once(record=False)
    wall, cpu, errors = _run(fn, n, replay.once)
    floor, shares = replay.result()
    return OpResult(
        op=op,
        title=title,
        via=via,
        stats=Stats.of(wall),
        cpu_p50=round(statistics.median(cpu) / 1e6, 3),
        queries=queries,
        floor=floor,
        floor_kind="same SQL replayed",
        errors=errors,
        detail={**detail, "slowest_statements": shares[:3]},
    )


FLOOR_TABLES = {
    "postgresql": (
        "CREATE TABLE IF NOT EXISTS bench_floor (id integer PRIMARY KEY, n bigint NOT NULL)",
        "CREATE TABLE IF NOT EXISTS bench_floor_log (id bigserial PRIMARY KEY, "
        "at timestamptz NOT NULL, note text NOT NULL)",
    ),
    "sqlite": (
        "CREATE TABLE IF NOT EXISTS bench_floor (id integer PRIMARY KEY, n integer NOT NULL)",
        "CREATE TABLE IF NOT EXISTS bench_floor_log (id integer PRIMARY KEY AUTOINCREMENT, "
        "at text NOT NULL, note text NOT NULL)",
    ),
}


class WriteFloor:
    """One committed transaction: UPDATE one row, INSERT one row (bench-only tables)."""

    def __init__(self) -> None:
        with connection.cursor() as cursor:
            for ddl in FLOOR_TABLES[connection.vendor]:
                cursor.execute(ddl)
            cursor.execute("DELETE FROM bench_floor")
            cursor.execute("INSERT INTO bench_floor (id, n) VALUES (1, 0)")
        self.samples: list[int] = []

    def once(self, *, record: bool = True) -> None:
        connection.ensure_connection()
        raw = connection.create_cursor()
        try:
            t0 = time.perf_counter_ns()
            with transaction.atomic():
                raw.execute("UPDATE bench_floor SET n = n + 1 WHERE id = 1")
                raw.execute(
                    "INSERT INTO bench_floor_log (at, note) VALUES (CURRENT_TIMESTAMP, 'moved')"
                )
            if record:
                self.samples.append(time.perf_counter_ns() - t0)
        finally:
            raw.close()


def measure_send(ds: Dataset, *, n: int, warmup: int) -> OpResult:
    """Send files from the bench desk to its Deputy Secretary, in rounds: each round sends
    every open file on the desk (timed, one request each), then the Deputy Secretary returns
    them through the service (untimed), so the desk and the data set keep their shape."""
    t = ds.targets
    officer = User.objects.get(pk=t.bench_person)
    receiver = User.objects.get(pk=t.receiver_person)
    if officer.is_superuser or officer.is_staff:
        raise RuntimeError("measure as an ordinary officer, not a superuser or staff")
    client = _client(officer)
    data = {
        "to_post": str(t.receiver_post),
        "remarks": "Put up for orders, please.",
        "priority": "0",
        "due_on": "",
    }
    probe = _url("file-send", [0])
    api_probe = "/api/v1/files/0/send/"
    if probe is not None:
        via = f"view POST {probe.replace('/0/', '/<id>/')}"

        def send(fid: int) -> bool:
            response = client.post(_url("file-send", [fid]) or "", data)
            return response.status_code < 400
    elif _path_exists(api_probe):
        via = "api POST /api/v1/files/<id>/send/"
        payload = {"to_post": t.receiver_post, "remarks": data["remarks"], "priority": 0}

        def send(fid: int) -> bool:
            response = client.post(
                f"/api/v1/files/{fid}/send/", payload, content_type="application/json"
            )
            return response.status_code < 400
    else:
        via = "service (no view or API yet)"

        def send(fid: int) -> bool:
            file_send(
                actor=officer, file_id=fid, to_post_id=t.receiver_post, remarks=data["remarks"]
            )
            return True

    wall: list[int] = []
    cpu: list[int] = []
    errors = 0
    queries = 0
    captured = False
    total = warmup + n
    done = 0
    floor = WriteFloor()
    clock, cpu_clock = time.perf_counter_ns, time.process_time_ns
    while done < total:
        batch = list(
            File.objects.filter(holder_id=t.bench_post, status=FileStatus.OPEN)
            .exclude(pk__in=[t.big_file, t.track_file])  # their histories are measured
            .order_by("id")
            .values_list("id", flat=True)[: total - done]
        )
        if not batch:
            raise RuntimeError("the bench desk holds no open file to send")
        for fid in batch:
            if not captured and done == warmup - 1:
                queries, _ = _capture(lambda fid=fid: send(fid))  # type: ignore[misc]
                captured = True
            else:
                c0 = cpu_clock()
                t0 = clock()
                ok = send(fid)
                elapsed = clock() - t0
                if done >= warmup:
                    wall.append(elapsed)
                    cpu.append(cpu_clock() - c0)
                    errors += 0 if ok else 1
            floor.once(record=done >= warmup)  # interleaved, as for the reads
            done += 1
        moved = File.objects.filter(pk__in=batch, holder_id=t.receiver_post).count()
        errors += len(batch) - moved
        for fid in batch:
            if File.objects.filter(pk=fid, holder_id=t.receiver_post).exists():
                file_return(actor=receiver, file_id=fid, remarks="Returned (benchmark).")
    return OpResult(
        op="O4",
        title="Send a file (forward, one transaction)",
        via=via,
        stats=Stats.of(wall),
        cpu_p50=round(statistics.median(cpu) / 1e6, 3),
        queries=queries,
        floor=Stats.of(floor.samples),
        floor_kind="1 committed UPDATE + INSERT",
        errors=errors,
        detail={"rounds_returned_by": "file_return service (untimed)"},
    )


def measure(ds: Dataset, *, reads: int = 200, sends: int = 100, warmup: int = 20) -> list[OpResult]:
    t = ds.targets
    officer = User.objects.get(pk=t.bench_person)
    clerk = User.objects.get(pk=t.registry_person)
    bench_pending = File.objects.filter(holder_id=t.bench_post, status=FileStatus.OPEN).count()
    registry_pending = File.objects.filter(
        holder_id=t.registry_post, status=FileStatus.OPEN
    ).count()
    home = _url("home")
    big = File.objects.get(pk=t.big_file)
    track = File.objects.get(pk=t.track_file)

    def inbox_of(user: User, post: int) -> Callable[[], object]:
        def page() -> object:
            posts_held(user)
            items = list(inbox(post)[:25])
            return items, inbox_counts([post])

        return page

    def open_file() -> object:
        f = file_for_actor(officer, t.big_file)
        return list(notes_of(f)), timeline(f)

    def track_file() -> object:
        f = file_by_number_for_actor(officer, t.track_number)
        return timeline(f)

    detail_url = _url("file-detail", [t.big_file])
    track_url = _url("file-track")
    results = [
        measure_read(
            "O2",
            f"Open my inbox: median desk ({bench_pending} pending)",
            user=officer,
            url=f"{home}?post={t.bench_post}" if home else None,
            fallback=inbox_of(officer, t.bench_post),
            n=reads,
            warmup=warmup,
            detail={"pending": bench_pending},
        ),
        measure_read(
            "O2-max",
            f"Open my inbox: diary desk ({registry_pending} pending)",
            user=clerk,
            url=f"{home}?post={t.registry_post}" if home else None,
            fallback=inbox_of(clerk, t.registry_post),
            n=reads,
            warmup=warmup,
            detail={"pending": registry_pending},
        ),
        measure_read(
            "O3",
            f"Open a file with {big.notes.count()} notes, {big.movements.count()} movements",
            user=officer,
            url=detail_url,
            fallback=open_file,
            n=reads,
            warmup=warmup,
            detail={"file": t.big_file},
        ),
        measure_read(
            "O9",
            f"Track a file ({track.movements.count()} movements)",
            user=officer,
            url=f"{track_url}?number={track.number}" if track_url else None,
            fallback=track_file,
            n=reads,
            warmup=warmup,
            detail={"file": t.track_file, "number": track.number},
        ),
        measure_send(ds, n=sends, warmup=max(5, warmup // 4)),
    ]
    return results


def calibration() -> dict[str, Any]:
    """What the figures were measured on."""
    import platform
    import sqlite3
    import sys

    import django

    info: dict[str, Any] = {
        "python": sys.version.split()[0],
        "django": django.get_version(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "database": connection.vendor,
    }
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for setting in ("server_version", "shared_buffers", "work_mem", "synchronous_commit"):
                cursor.execute(f"SHOW {setting}")
                row = cursor.fetchone()
                info[f"pg_{setting}"] = row[0] if row else None
        else:
            info["sqlite_version"] = sqlite3.sqlite_version
    round_trip = Stats.of(_time_select_1(200))
    info["select_1_p50_ms"] = round_trip.p50
    return info


def _time_select_1(n: int) -> list[int]:
    connection.ensure_connection()
    cursor = connection.create_cursor()
    samples = []
    try:
        for _ in range(n + 10):
            t0 = time.perf_counter_ns()
            cursor.execute("SELECT 1")
            cursor.fetchall()
            samples.append(time.perf_counter_ns() - t0)
    finally:
        cursor.close()
    return samples[10:]
