"""``daftar import-training FILE.csv --actor EMAIL``: record training sessions and who
attended them from a CSV file, one row per attendee.

The format is in docs/training.md. Every row is checked first; if any is bad, nothing is
recorded and every problem is listed with its line number (exit status 1). Re-importing the
same file records nothing new.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from daftar.adoption.training import ImportRejected, training_file_import
from daftar.lib.errors import DaftarError
from daftar.org.models import User


class Command(BaseCommand):
    help = (
        "Record training sessions and their attendees from a CSV file "
        "(organisation,date,topic,trainer,place,email; one row per attendee). Nothing is "
        "recorded unless every row is good; re-importing the same file adds nothing. "
        "Format: docs/training.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("csv_file", help="CSV file, UTF-8, one row per attendee")
        parser.add_argument(
            "--actor",
            metavar="EMAIL",
            required=True,
            help=(
                "The person recording the training (an organisation admin or the programme "
                "office): the audit log names them and their organisations bound the file."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["csv_file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        actor = User.objects.filter(email__iexact=options["actor"].strip()).first()
        if actor is None:
            raise CommandError(f"--actor {options['actor']}: no such person.")
        try:
            result = training_file_import(actor=actor, data=path.read_bytes())
        except ImportRejected as exc:
            raise CommandError(f"{path}: {exc.report()}") from exc
        except DaftarError as exc:
            raise CommandError(f"{path}: {exc.message}") from exc
        self.stdout.write(f"{path}: {result.summary()}")
