"""The printed report: per-size tables, floors, flatness and calibration."""

from __future__ import annotations

from typing import Any

# Anchors B3 (dataset M, 2 cores): p50 / p95 targets in ms and the query budget.
TARGETS: dict[str, tuple[float, float, int | None]] = {
    "O2": (60, 150, 6),
    "O2-max": (60, 150, 6),
    "O3": (150, 400, 12),
    "O9": (50, 120, 4),
    "O4": (80, 200, None),
}
# Anchors O7 (rare or medium term) and O8 (a term in over 100,000 papers), dataset M.
SEARCH_TARGETS: dict[str, tuple[float, float]] = {"O7": (150, 500), "O8": (500, 1500)}
FLOOR_GATE = {"O4": 20.0}  # ours/floor gate: 20x for writes, 10x for reads


def _fmt(value: float) -> str:
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def size_table(run: dict[str, Any]) -> str:
    head = (
        f"{'op':<7}{'operation':<52}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}{'cpu50':>7}"
        f"{'q':>4}{'floor50':>9}{'floor95':>9}{'x50':>7}{'x95':>7}  via"
    )
    lines = [head, "-" * len(head)]
    for r in run["results"]:
        s, f = r["stats"], r["floor"]
        lines.append(
            f"{r['op']:<7}{r['title'][:51]:<52}{_fmt(s['p50']):>8}{_fmt(s['p95']):>8}"
            f"{_fmt(s['p99']):>8}{_fmt(s['max']):>8}{_fmt(r['cpu_p50']):>7}{r['queries']:>4}"
            f"{_fmt(f['p50']):>9}{_fmt(f['p95']):>9}{r['ratio_p50']:>7.1f}{r['ratio_p95']:>7.1f}"
            f"  {r['via']}" + (f"  ERRORS: {r['errors']}" if r["errors"] else "")
        )
    return "\n".join(lines)


def gates(run: dict[str, Any]) -> list[str]:
    """Where the run misses the B3 targets (only meaningful for size M)."""
    misses = []
    for r in run["results"]:
        p50, p95, budget = TARGETS.get(r["op"], (0, 0, None))
        if p50 and r["stats"]["p50"] > p50:
            misses.append(f"{r['op']}: p50 {r['stats']['p50']} ms > {p50} ms")
        if p95 and r["stats"]["p95"] > p95:
            misses.append(f"{r['op']}: p95 {r['stats']['p95']} ms > {p95} ms")
        if budget is not None and r["queries"] > budget:
            misses.append(f"{r['op']}: {r['queries']} queries > {budget}")
        gate = FLOOR_GATE.get(r["op"], 10.0)
        if r["ratio_p50"] > gate:
            misses.append(f"{r['op']}: ours/floor {r['ratio_p50']} > {gate:.0f}x")
        if r["errors"]:
            misses.append(f"{r['op']}: {r['errors']} failed requests")
    return misses


def flatness(small: dict[str, Any], large: dict[str, Any]) -> tuple[str, list[str]]:
    by_op = {r["op"]: r for r in small["results"]}
    lines = [f"{'op':<7}{'p95 S':>9}{'p95 M':>9}{'M/S':>7}  (target <= 2)"]
    misses = []
    for r in large["results"]:
        s = by_op.get(r["op"])
        if s is None:
            continue
        ratio = r["stats"]["p95"] / s["stats"]["p95"] if s["stats"]["p95"] else 0.0
        mark = "" if ratio <= 2 else "  <- not flat"
        lines.append(
            f"{r['op']:<7}{_fmt(s['stats']['p95']):>9}{_fmt(r['stats']['p95']):>9}"
            f"{ratio:>7.2f}{mark}"
        )
        if ratio > 2:
            misses.append(f"{r['op']}: p95(M)/p95(S) = {ratio:.2f}")
    return "\n".join(lines), misses


def dataset_line(run: dict[str, Any]) -> str:
    ds = run["dataset"]
    c = ds["counts"]
    st = ds["stats"]
    desks = st["pending_per_desk"]
    notes = st["notes_per_file"]
    how = "generated now" if run.get("generated_now") else "reused"
    return (
        f"data set {ds['size']} (seed {ds['seed']}, {how}, anchor {ds['anchor']}, "
        f"generation {ds['seconds']:.0f} s): "
        f"{c.get('org.User', 0):,} people, {c.get('org.Post', 0):,} posts, "
        f"{c.get('files.File', 0):,} files, {c.get('files.Note', 0):,} notes, "
        f"{c.get('movement.Movement', 0):,} movements, {c.get('audit.AuditEvent', 0):,} audit "
        f"events; notes/file p50 {notes['p50']} p90 {notes['p90']} p99 {notes['p99']} "
        f"max {notes['max']} ({notes['exactly_200']} files with exactly 200); pending/desk "
        f"median {desks['median']} p95 {desks['p95']} max {desks['max']}"
    )


def calibration_line(run: dict[str, Any]) -> str:
    c = run["calibration"]
    db = (
        f"PostgreSQL {c.get('pg_server_version')} (shared_buffers {c.get('pg_shared_buffers')}, "
        f"synchronous_commit {c.get('pg_synchronous_commit')})"
        if c["database"] == "postgresql"
        else f"SQLite {c.get('sqlite_version')}"
    )
    return (
        f"calibration: Python {c['python']}, Django {c['django']}, {db}, "
        f"{c['cpu_count']} cores ({c['cpus_usable']} usable), load average {c['load_average']}, "
        f"SELECT 1 round trip p50 {c['select_1_p50_ms']} ms; {c['platform']}"
    )


def intake_table(run: dict[str, Any]) -> str:
    """Throughput of the registry and of OCR next to their floors (x = floor / ours)."""
    head = f"{'op':<5}{'operation':<66}{'count':>7}{'rate':>10}{'floor':>10}{'x':>7}  unit"
    rows = [
        f"{r['op']:<5}{r['title'][:65]:<66}{r['count']:>7}{_fmt(r['rate']):>10}"
        f"{_fmt(r['floor_rate']):>10}{r['ratio']:>7.1f}  {r['unit']} (floor: {r['floor_kind']})"
        for r in run["intake"]
    ]
    return "\n".join([head, "-" * len(head), *rows])


def search_table(run: dict[str, Any]) -> str:
    """Search next to the bare full-text query (floor) and the ranked one, per searcher."""
    head = (
        f"{'op':<4}{'query (searcher)':<40}{'matches':>9}{'hits':>7}{'p50':>8}{'p95':>8}"
        f"{'q':>4}{'floor50':>9}{'rank50':>9}{'x50':>7}{'x95':>7}  via"
    )
    lines = [head, "-" * len(head)]
    for r in run["search"]:
        s, f, d = r["stats"], r["floor"], r["detail"]
        ranked = d.get("ranked_floor", {})
        hits = f"{d['hits']}{'+' if d.get('capped') else ''}" if "hits" in d else "-"
        lines.append(
            f"{r['op']:<4}{r['title'][:39]:<40}{d.get('matches', 0):>9,}{hits:>7}"
            f"{_fmt(s['p50']):>8}{_fmt(s['p95']):>8}{r['queries']:>4}{_fmt(f['p50']):>9}"
            f"{_fmt(ranked.get('p50', 0.0)):>9}{r['ratio_p50']:>7.1f}{r['ratio_p95']:>7.1f}"
            f"  {r['via']}" + (f"  ERRORS: {r['errors']}" if r["errors"] else "")
        )
    return "\n".join(lines)


def search_gates(run: dict[str, Any]) -> list[str]:
    misses = []
    for r in run.get("search", []):
        p50, p95 = SEARCH_TARGETS.get(r["op"], (0, 0))
        name = f"{r['op']} {r['title']}"
        if p50 and r["stats"]["p50"] > p50:
            misses.append(f"{name}: p50 {r['stats']['p50']} ms > {p50} ms")
        if p95 and r["stats"]["p95"] > p95:
            misses.append(f"{name}: p95 {r['stats']['p95']} ms > {p95} ms")
        if r["errors"]:
            misses.append(f"{name}: {r['errors']} failed requests")
    return misses


def levels_table(run: dict[str, Any]) -> str:
    """The monthly computation next to its floor (bench/levels.py)."""
    head = (
        f"{'op':<4}{'computation':<40}{'month':>8}{'units':>7}{'rows read':>11}{'s/month':>9}"
        f"{'first':>8}{'floor s':>9}{'x50':>8}"
    )
    rows = [
        f"{r['op']:<4}{r['title'][:39]:<40}{r['month']:>8}{r['units']:>7}"
        f"{r['rows_read']:>11,}{r['seconds_p50']:>9.2f}{r['first_seconds']:>8.2f}"
        f"{r['floor_p50']:>9.4f}{r['ratio_p50']:>8.1f}"
        for r in run.get("levels", [])
    ]
    return "\n".join([head, "-" * len(head), *rows])


def index_line(run: dict[str, Any]) -> str:
    ds = run["dataset"]
    c, info = ds["counts"], ds["stats"].get("search_index")
    line = (
        f"search archive: {c.get('receipts.Receipt', 0):,} receipts, "
        f"{c.get('documents.DocumentPage', 0):,} OCR pages"
    )
    if info:
        line += (
            f"; index (reindex_all): {info['entries']:,} entries, {info['words']:,} words in "
            f"{info['seconds']:.0f} s ({info['entries_per_second']:,}/s)"
        )
        if "gin_mb" in info:
            line += (
                f", entries {info['entry_table_mb']:,} MB with GIN {info['gin_mb']:,} MB, "
                f"database {info['database_mb']:,} MB"
            )
    return line


def render(runs: list[dict[str, Any]]) -> str:
    out = [
        "Latency in ms through the Django test client (full middleware, logged-in officer, "
        "DEBUG off), warm; q = queries per request; floor = the same SQL replayed on the raw "
        "cursor (O4: one committed UPDATE + INSERT); x50/x95 = ours/floor; cpu50 = CPU ms of "
        "the application process per request.",
    ]
    for run in runs:
        out.extend(["", f"== size {run['size']} ==", dataset_line(run), index_line(run)])
        if run.get("results"):
            out.extend(["", size_table(run)])
        if run.get("intake"):
            out.extend(["", intake_table(run)])
        if run.get("search"):
            out.extend(
                [
                    "",
                    "search: ours = search() or the /search/ page; floor = bare full-text "
                    "query, first 20 matches; rank50 = top 20 of all matches by rank",
                    search_table(run),
                ]
            )
        if run.get("levels"):
            out.extend(
                [
                    "",
                    "the monthly computation: ours = levels_compute for the month (median of the "
                    "runs; first = the first run); floor = the month's final notes and movements "
                    "counted per post in plain SQL; x50 = ours/floor",
                    levels_table(run),
                ]
            )
        out.append(calibration_line(run))
    sizes = {run["size"]: run for run in runs}
    if "S" in sizes and "M" in sizes:
        text, _ = flatness(sizes["S"], sizes["M"])
        out.extend(["", "== flatness p95(M) / p95(S) ==", text])
    if "M" in sizes and sizes["M"].get("results"):
        misses = gates(sizes["M"])
        out.extend(["", "== B3 targets on M ==", *(misses or ["all met"])])
    if "M" in sizes and sizes["M"].get("search"):
        misses = search_gates(sizes["M"])
        out.extend(["", "== O7 / O8 search targets on M ==", *(misses or ["all met"])])
    return "\n".join(out)
