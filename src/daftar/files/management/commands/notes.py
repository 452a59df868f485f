"""``daftar notes verify FILE-NUMBER``: check the signatures on a file's final notes.

Every final note must carry its author's signature over its canonical content, and that
content must still be what was signed. Exit status 0 when all verify; 1 naming the first bad
note (docs/notes.md). An operator's check, like ``daftar audit verify``: no person's access
rules apply, and it reads nothing but the notes and the certificates.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from daftar.files.models import File
from daftar.files.note_signatures import notes_verify


class Command(BaseCommand):
    help = "Verify the signatures on the final notes of a file."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("verify", help="Check every final note of one file.")
        check.add_argument("number", help="the file number, e.g. 1-3/2026-D-I")

    def handle(self, *args: Any, **options: Any) -> None:
        number = options["number"].strip()
        file = File.objects.filter(number__iexact=number).first()
        if file is None:
            raise CommandError(f"{number}: no such file.")
        checks = notes_verify(file)
        bad = [check for check in checks if check.problem]
        if bad:
            first = bad[0]
            raise CommandError(
                f"file {file.number}: note {first.label} is BAD: {first.problem} "
                f"({len(bad)} of {len(checks)} final notes fail)"
            )
        self.stdout.write(
            f"file {file.number}: {len(checks)} final notes, every signature valid and every "
            "content hash matching"
        )
