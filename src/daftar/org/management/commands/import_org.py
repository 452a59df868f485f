"""``daftar import-org FILE.csv``: load units, posts, people and charges from a CSV file.

The format is in docs/import-org.md. Every row is checked first; if any is bad, nothing is
imported and every problem is listed with its line number (exit status 1).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from daftar.org.importer import ImportRejected, org_import, read_text
from daftar.org.models import User


class Command(BaseCommand):
    help = (
        "Import an organisation chart (units, posts, people, charges) from a CSV file. "
        "Nothing is imported unless every row is good; re-importing the same file changes "
        "nothing. Format: docs/import-org.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("csv_file", help="CSV file, UTF-8, one row per post")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only check the file and say what would be imported.",
        )
        parser.add_argument(
            "--demo-password",
            metavar="PASSWORD",
            help=(
                "Give every person created this password (demos and training only). Without "
                "it people get no usable password and set one through a reset or the admin."
            ),
        )
        parser.add_argument(
            "--actor",
            metavar="EMAIL",
            help="Record this existing person as the actor in the audit log.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["csv_file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        actor = None
        if options["actor"]:
            actor = User.objects.filter(email__iexact=options["actor"].strip()).first()
            if actor is None:
                raise CommandError(f"--actor {options['actor']}: no such person.")
        try:
            result = org_import(
                read_text(path),
                actor=actor,
                password=options["demo_password"] or None,
                dry_run=options["check"],
            )
        except ImportRejected as exc:
            raise CommandError(f"{path}: {exc.report()}") from exc
        self.stdout.write(f"{path}: {result.summary()}")
