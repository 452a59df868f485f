"""``daftar reindex [--check]``: rebuild the search index from the data (docs/search.md)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from daftar.search.indexing import reindex_all


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the data, writing only what differs; entries whose "
        "source is gone are removed. Safe to run again: a second run changes nothing. With "
        "--check nothing is written, and the exit code is 1 when the index is out of step."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="Report the drift; write nothing.")
        parser.add_argument(
            "--batch", type=int, default=2000, help="Source rows read per transaction."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch"] < 1:
            raise CommandError("--batch must be at least 1.")
        verbose = options["verbosity"] > 1
        started = time.monotonic()

        def progress(step: str, done: int) -> None:
            if verbose:
                self.stderr.write(f"{step}: {done} entries built")

        report = reindex_all(check=options["check"], batch=options["batch"], progress=progress)
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(f"({time.monotonic() - started:.1f} s)")
        if options["check"] and report.drift:
            raise CommandError(
                f"The search index is out of step with the data ({report.drift} entries); "
                "run `daftar reindex`.",
                returncode=1,
            )
