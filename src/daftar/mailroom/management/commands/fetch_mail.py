"""``daftar fetch-mail [--mailbox ID]``: import the unseen messages of the registry mailboxes
as draft receipts, and say what was done. Run it from a timer (docs/mailroom.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from daftar.lib.errors import NotFound
from daftar.mailroom.fetching import FetchReport, mail_fetch, mail_fetch_all


class Command(BaseCommand):
    help = "Read the registry mailboxes over IMAP; each unseen message becomes a draft receipt."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--mailbox", type=int, metavar="ID", help="Only this mailbox.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["mailbox"] is not None:
            try:
                reports = [mail_fetch(mailbox_id=options["mailbox"])]
            except NotFound as exc:
                raise CommandError(exc.message) from exc
        else:
            reports = mail_fetch_all()
            if not reports:
                self.stdout.write("No active mailboxes.")
        for report in reports:
            self.stdout.write(describe(report))
            for problem in report.failed:
                self.stderr.write(f"  left unseen, to try again: {problem}")
            if report.error:
                self.stderr.write(f"  {report.error}")
        failed = [r for r in reports if not r.ok]
        if failed:
            raise CommandError(
                "Not everything was fetched: "
                + ", ".join(f"mailbox {r.mailbox_id}" for r in failed)
            )


def describe(report: FetchReport) -> str:
    parts = [f"{len(report.imported)} new draft(s)"]
    if report.imported:
        parts[0] += " (" + ", ".join(f"#{pk}" for pk in report.imported) + ")"
    if report.refused_attachments:
        parts.append(f"{report.refused_attachments} attachment(s) refused")
    if report.already:
        parts.append(f"{report.already} already imported")
    if report.failed:
        parts.append(f"{len(report.failed)} failed")
    if report.error:
        parts.append("could not be read")
    return f"Mailbox {report.mailbox_id} ({report.mailbox}): " + "; ".join(parts) + "."
