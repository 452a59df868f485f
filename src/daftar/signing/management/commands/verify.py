"""``daftar verify FILE.pdf``: check a signed PDF against this instance's CA.

Exit code 0 when every signature is intact, trusted and valid at signing and covers the file;
1 when one is not; 2 when the file cannot be read (docs/signing.md).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from daftar.signing.verify import SignatureReport, pdf_verify

READ_LIMIT = 512 * 1024 * 1024  # the command line may check larger files than the web page


def _mark(flag: bool) -> str:
    return "yes" if flag else "NO"


class Command(BaseCommand):
    help = "Verify the signatures of a PDF against this instance's certificate authority."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the signed PDF")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.stderr.write(f"{path}: cannot be read ({exc.strerror})")
            sys.exit(2)
        report = pdf_verify(data, max_bytes=READ_LIMIT)
        if not report.readable:
            self.stderr.write(f"{path}: {report.summary}")
            sys.exit(2)
        self.stdout.write(f"{path} (SHA-256 {report.sha256})")
        for number, sig in enumerate(report.signatures, start=1):
            self._signature(number, sig)
        self.stdout.write(("OK: " if report.ok else "FAILED: ") + report.summary)
        if not report.ok:
            sys.exit(1)

    def _signature(self, number: int, sig: SignatureReport) -> None:
        who = f"{sig.signer}" + (f", {sig.organisation}" if sig.organisation else "")
        when = sig.signed_at.isoformat() if sig.signed_at else "not stated"
        revoked = "no"
        if sig.revoked and sig.revoked_at is not None:
            revoked = f"yes, {sig.revoked_at:%Y-%m-%d %H:%M} ({sig.revocation_reason})"
        lines = [
            f"signature {number}: {sig.kind} — {who}",
            f"  signed at:          {when}",
            f"  intact:             {_mark(sig.intact)}",
            f"  trusted (this CA):  {_mark(sig.trusted)}",
            f"  revoked:            {revoked}",
            f"  valid at signing:   {_mark(sig.valid_at_signing)}",
            f"  covers whole file:  {_mark(sig.covers_whole_file)}",
        ]
        if sig.token:
            lines.append(f"  issued record:      {sig.token}")
        self.stdout.write("\n".join(lines))
