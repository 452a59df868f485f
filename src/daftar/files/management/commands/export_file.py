"""``daftar export-file FILE-NUMBER OUT.pdf --as EMAIL``: the whole file as one sealed PDF.

The same export as the file page's "Export as PDF" (docs/export.md), made as the person named
by ``--as``: their access decides whether the file may be exported, and the audit trail and
the cover page record them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from daftar.files.export import file_export
from daftar.files.selectors import file_by_number_for_actor
from daftar.lib.errors import DaftarError
from daftar.org.models import User


class Command(BaseCommand):
    help = "Export a whole file (cover, notes, correspondence) as one sealed PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("number", help="the file number, e.g. 1-3/2026-D-I")
        parser.add_argument("out", type=Path, help="where to write the PDF")
        parser.add_argument(
            "--as",
            dest="person",
            metavar="EMAIL",
            required=True,
            help="the person exporting (their access applies; recorded in the audit trail)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["person"].strip()
        actor = User.objects.filter(email__iexact=email, is_active=True).first()
        if actor is None:
            raise CommandError(f"--as {email}: no such active person.")
        out: Path = options["out"]
        if not out.parent.is_dir():
            raise CommandError(f"{out.parent}: no such directory.")
        try:
            file = file_by_number_for_actor(actor, options["number"])
            export = file_export(actor=actor, file_id=file.pk)
        except DaftarError as exc:
            raise CommandError(exc.message) from exc
        out.write_bytes(export.pdf)
        for warning in export.warnings:
            self.stderr.write(f"warning: {warning}")
        self.stdout.write(
            f"{out}: file {export.file.number}, {export.pages} pages, sealed; "
            f"SHA-256 {export.sha256}"
        )
