"""``daftar bench --size S|M``: generate a synthetic ministry and measure the main pages,
search (``--search-only``: search alone) and the monthly computation of the e-office levels
(``--levels-only``: that alone).

The benchmark never touches the configured database: it works in its own database per size
(PostgreSQL: ``daftar_bench_s`` / ``daftar_bench_m`` on the server of
``DAFTAR_DATABASE_URL``; SQLite: ``DAFTAR_DATA_DIR/bench/daftar_bench_<size>.sqlite3``), in a
subprocess whose ``DAFTAR_DATABASE_URL`` points there. A data set already generated with the
same seed, size, generator and schema is reused (``--regenerate`` forces a new one). ``--size M``
also runs S so that the report can show flatness (p95 of M over p95 of S).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bench.report import render
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

SIZES = ("XS", "S", "M")


def _pg_ensure_database(db: dict[str, Any], name: str) -> None:
    import psycopg
    from psycopg import sql

    params: dict[str, Any] = {
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
    }
    last_error: Exception | None = None
    # Connect to the maintenance database (or, failing that, the configured one) only to
    # issue CREATE DATABASE; nothing in the configured database is read or written.
    for dbname in ("postgres", db["NAME"]):
        try:
            with psycopg.connect(dbname=dbname, autocommit=True, **params) as conn:
                exists = conn.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", [name]
                ).fetchone()
                if not exists:
                    conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                return
        except psycopg.OperationalError as exc:
            last_error = exc
    raise CommandError(f"cannot create the bench database {name}: {last_error}")


def bench_database_url(size: str) -> str:
    """The URL of the bench database for ``size``, created if needed."""
    db = settings.DATABASES["default"]
    name = f"daftar_bench_{size.lower()}"
    if db["ENGINE"].endswith("postgresql"):
        if db["NAME"] == name:
            raise CommandError(f"the configured database is {name}; the bench would overwrite it")
        _pg_ensure_database(db, name)
        auth = quote(db.get("USER") or "", safe="")
        if db.get("PASSWORD"):
            auth += ":" + quote(db["PASSWORD"], safe="")
        host = db.get("HOST") or "localhost"
        port = f":{db['PORT']}" if db.get("PORT") else ""
        return f"postgres://{auth}@{host}{port}/{name}"
    path = Path(settings.DATA_DIR) / "bench" / f"{name}.sqlite3"
    if str(path) == str(db["NAME"]):
        raise CommandError(f"the configured database is {path}; the bench would overwrite it")
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


class Command(BaseCommand):
    help = (
        "Generate a synthetic ministry (size S or M) in a separate bench database and measure "
        "inbox, file, track and send against their SQL floors."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=SIZES, default="S")
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument(
            "--regenerate", action="store_true", help="generate the data set even if one exists"
        )
        parser.add_argument("--reads", type=int, default=200, help="iterations per read")
        parser.add_argument("--sends", type=int, default=100, help="iterations of the send")
        parser.add_argument("--warmup", type=int, default=20)
        parser.add_argument("--receipts", type=int, default=50, help="diarisations timed")
        parser.add_argument("--ocr-pages", type=int, default=6, help="scanned pages OCRed")
        parser.add_argument(
            "--only", action="store_true", help="with --size M, do not also run size S"
        )
        parser.add_argument(
            "--searches", type=int, default=40, help="timed searches per query and searcher"
        )
        parser.add_argument(
            "--search-only",
            action="store_true",
            help="measure only search (issue 6) on the same data set",
        )
        parser.add_argument(
            "--levels-runs",
            type=int,
            default=3,
            help="runs of the monthly computation of the e-office levels (0: none)",
        )
        parser.add_argument(
            "--levels-only",
            action="store_true",
            help="measure only the monthly computation (issue 7) on the same data set",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["search_only"] and options["levels_only"]:
            raise CommandError("choose one of --search-only and --levels-only")
        size: str = options["size"]
        sizes = ["S", "M"] if size == "M" and not options["only"] else [size]
        out_dir = Path(settings.DATA_DIR) / "bench"
        out_dir.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        runs = []
        for name in sizes:
            url = bench_database_url(name)
            out = out_dir / f"run-{name}-{stamp}.json"
            env = {
                **os.environ,
                "DAFTAR_DATABASE_URL": url,
                "DAFTAR_DEBUG": "false",
                "DAFTAR_PLAIN_STATIC": "true",
                "DAFTAR_LOG_LEVEL": "ERROR",
                "DJANGO_SETTINGS_MODULE": "daftar.settings",
            }
            argv = [
                sys.executable,
                "-m",
                "bench.runner",
                "--size",
                name,
                "--seed",
                str(options["seed"]),
                "--reads",
                str(options["reads"]),
                "--sends",
                str(options["sends"]),
                "--warmup",
                str(options["warmup"]),
                "--receipts",
                str(options["receipts"]),
                "--ocr-pages",
                str(options["ocr_pages"]),
                "--searches",
                str(options["searches"]),
                "--levels-runs",
                str(options["levels_runs"]),
                "--out",
                str(out),
            ]
            if options["regenerate"]:
                argv.append("--regenerate")
            if options["search_only"]:
                argv.extend(["--only", "search"])
            if options["levels_only"]:
                argv.extend(["--only", "levels"])
            self.stdout.write(f"bench {name}: database {url.rsplit('@', 1)[-1]}")
            self.stdout.flush()
            done = subprocess.run(argv, env=env, check=False)  # noqa: S603 - our own module
            if done.returncode != 0:
                raise CommandError(f"bench {name} failed (exit {done.returncode})")
            runs.append(json.loads(out.read_text(encoding="utf-8")))
        report = render(runs)
        self.stdout.write(report)
        result = out_dir / f"bench-{'-'.join(sizes)}-{stamp}.json"
        payload = {"command": " ".join(["daftar", "bench", *sys.argv[2:]]), "runs": runs}
        result.write_text(json.dumps(payload, indent=1, default=str), encoding="utf-8")
        (out_dir / "latest.json").write_text(json.dumps(payload, indent=1, default=str))
        (out_dir / "latest.txt").write_text(report + "\n", encoding="utf-8")
        self.stdout.write(f"\nresults: {result}")
