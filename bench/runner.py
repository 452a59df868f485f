"""The benchmark's inner process: ``python -m bench.runner --size S --out FILE``.

Started by ``daftar bench`` with ``DAFTAR_DATABASE_URL`` pointing at the bench's own database
(never the user's). It migrates, reuses the data set already there when its recorded seed,
size, generator and schema match (else empties the tables and generates it), checks the
invariants, measures, and writes the results as JSON.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

META_DDL = "CREATE TABLE IF NOT EXISTS bench_dataset (id integer PRIMARY KEY, info text NOT NULL)"


def _say(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def schema_key(size_name: str, seed: int) -> str:
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    from bench.generate import GENERATOR_VERSION, SIZES

    recorder = MigrationRecorder(connection)
    applied = sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())
    raw = json.dumps([GENERATOR_VERSION, asdict(SIZES[size_name]), seed, applied])
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def load_meta() -> dict[str, Any] | None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(META_DDL)
        cursor.execute("SELECT info FROM bench_dataset WHERE id = 1")
        row = cursor.fetchone()
    return json.loads(row[0]) if row else None


def save_meta(info: dict[str, Any] | None) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(META_DDL)
        cursor.execute("DELETE FROM bench_dataset")
        if info is not None:
            cursor.execute(
                "INSERT INTO bench_dataset (id, info) VALUES (1, %s)", [json.dumps(info)]
            )


def prepare(size_name: str, seed: int, *, regenerate: bool) -> tuple[Any, bool]:
    """The data set in this database: reused when it matches, else (re)generated."""
    from django.core.management import call_command
    from django.db import connection

    from bench.check import check_dataset
    from bench.generate import SIZES, Dataset, generate

    key = schema_key(size_name, seed)
    meta = load_meta()
    if meta is not None and meta.get("key") == key and not regenerate:
        _say(f"{size_name}: reusing the data set generated {meta['dataset']['anchor']} ({key})")
        dataset = Dataset.from_json(meta["dataset"])
        if "search_index" not in dataset.stats:  # an earlier run stopped while indexing
            dataset.stats["search_index"] = build_index(size_name)
            save_meta({"key": key, "dataset": dataset.as_json()})
        return dataset, False
    save_meta(None)
    from daftar.files.models import File

    if File.objects.exists() or regenerate:
        _say(f"{size_name}: emptying the bench database")
        from daftar.audit import protect

        # The bench's own scratch database: drop the append-only triggers for the flush
        # (its post_migrate puts them back).
        protect.uninstall(connection)
        call_command("flush", interactive=False, verbosity=0)
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM")
    _say(f"{size_name}: generating (seed {seed})")
    dataset = generate(SIZES[size_name], seed=seed, progress=_say)
    _say(f"{size_name}: generated in {dataset.seconds:.0f} s; checking invariants")
    started = time.monotonic()
    problems = check_dataset()
    if problems:
        raise SystemExit(f"generated data set is inconsistent: {problems}")
    dataset.stats["check_seconds"] = round(time.monotonic() - started, 1)
    save_meta({"key": key, "dataset": dataset.as_json()})  # kept if indexing is interrupted
    dataset.stats["search_index"] = build_index(size_name)
    save_meta({"key": key, "dataset": dataset.as_json()})
    return dataset, True


def build_index(size_name: str) -> dict[str, Any]:
    """The search entries, built by what production runs (``reindex_all``, as ``daftar
    reindex`` does), timed; then the planner statistics of the index tables."""
    from django.db import connection

    from daftar.search.indexing import reindex_all
    from daftar.search.models import Entry, Word

    started = time.monotonic()
    last = [started]

    def progress(step: str, done: int) -> None:
        now = time.monotonic()
        if now - last[0] >= 30:
            last[0] = now
            _say(f"{size_name}: indexing {step}: {done:,} ({now - started:.0f} s)")

    _say(f"{size_name}: building the search index (reindex_all)")
    report = reindex_all(progress=progress)
    seconds = time.monotonic() - started
    with connection.cursor() as cursor:
        for table in ("search_entry", "search_word"):
            # (VACUUM cannot run in a transaction: the tests build the index inside one.)
            vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
            verb = "VACUUM (ANALYZE)" if vacuum else "ANALYZE"
            cursor.execute(f"{verb} {table}")
    entries = Entry.objects.count()
    info: dict[str, Any] = {
        "entries": entries,
        "words": Word.objects.count(),
        "by_kind": {kind: c.added for kind, c in report.kinds.items()},
        "seconds": round(seconds, 1),
        "entries_per_second": round(entries / seconds) if seconds else 0,
        "analyse_seconds": round(time.monotonic() - started - seconds, 1),
    }
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_total_relation_size('search_entry'), "
                "pg_relation_size('search_entry_tsv'), pg_database_size(current_database())"
            )
            row = cursor.fetchone()
        if row:
            info["entry_table_mb"], info["gin_mb"], info["database_mb"] = (
                round(v / 2**20) for v in row
            )
    _say(f"{size_name}: index built: {entries:,} entries in {seconds:.0f} s")
    return info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.runner")
    parser.add_argument("--size", required=True)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--reads", type=int, default=200)
    parser.add_argument("--sends", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--receipts", type=int, default=50, help="diarisations timed (0: none)")
    parser.add_argument("--ocr-pages", type=int, default=6, help="pages OCRed (0: none)")
    parser.add_argument("--searches", type=int, default=40, help="timed searches per query")
    parser.add_argument(
        "--levels-runs", type=int, default=3, help="runs of the monthly computation (0: none)"
    )
    parser.add_argument(
        "--only",
        choices=("search", "levels"),
        help="measure only this (the data set is the same)",
    )
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "daftar.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    if "testserver" not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if settings.DEBUG:
        raise SystemExit("bench: DEBUG must be off (DAFTAR_DEBUG=false)")

    from bench.measure import calibration, measure

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # WhiteNoise warns otherwise

    _say(f"{args.size}: migrating {settings.DATABASES['default']['NAME']}")
    call_command("migrate", interactive=False, verbosity=0)
    dataset, generated = prepare(args.size, args.seed, regenerate=args.regenerate)
    _say(f"{args.size}: measuring ({args.reads} reads, {args.sends} sends per operation)")
    started = time.monotonic()
    results = []
    if args.only is None:
        results = measure(dataset, reads=args.reads, sends=args.sends, warmup=args.warmup)
    search_results = []
    if args.searches and args.only in (None, "search"):
        from bench.searching import measure_search

        _say(f"{args.size}: search ({args.searches} timed searches per query and searcher)")
        search_results = measure_search(dataset, n=args.searches)
    intake = []
    if args.only is None and (args.receipts or args.ocr_pages):
        from bench.intake import measure_intake

        _say(f"{args.size}: intake ({args.receipts} receipts, {args.ocr_pages} OCR pages)")
        intake = measure_intake(
            dataset, receipts=args.receipts, ocr_pages=args.ocr_pages, seed=args.seed
        )
    levels = []
    if args.levels_runs and args.only in (None, "levels"):
        from bench.levels import measure_levels

        _say(f"{args.size}: the monthly computation ({args.levels_runs} runs)")
        levels = [measure_levels(dataset, runs=args.levels_runs)]
    out = {
        "size": args.size,
        "seed": args.seed,
        "database": settings.DATABASES["default"]["NAME"],
        "generated_now": generated,
        "dataset": dataset.as_json(),
        "calibration": calibration(),
        "measure_seconds": round(time.monotonic() - started, 1),
        "results": [r.as_json() for r in results],
        "intake": [r.as_json() for r in intake],
        "search": [r.as_json() for r in search_results],
        "levels": [r.as_json() for r in levels],
    }
    Path(args.out).write_text(json.dumps(out, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
