"""``daftar audit verify | checkpoint | public-key`` (docs/audit.md).

``verify`` exits 0 and prints what it checked, or names the first broken link and exits 1.
``--public-key FILE`` checks the checkpoints against a published key instead of the
instance's own (a copy of the database checked elsewhere).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from daftar.audit import keys
from daftar.audit.checkpoints import checkpoint_make
from daftar.audit.verify import verify


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain, sign a checkpoint, or print the public key."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("verify", help="Re-compute the chain and check checkpoints.")
        check.add_argument("--public-key", type=Path, help="PEM file of the published key.")
        sign = sub.add_parser("checkpoint", help="Sign the chain head now.")
        sign.add_argument("--force", action="store_true", help="Sign even if nothing was added.")
        sub.add_parser("public-key", help="Print the public key that signs checkpoints.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "verify":
            self._verify(options["public_key"])
        elif action == "checkpoint":
            self._checkpoint(force=options["force"])
        else:
            key = keys.public_key()
            self.stdout.write(keys.public_pem(key), ending="")
            self.stdout.write(f"key id (SHA-256 of the raw key): {keys.key_id(key)}")

    def _verify(self, public_key: Path | None) -> None:
        try:
            key = keys.load_public_pem(public_key.read_bytes()) if public_key else keys.public_key()
        except (OSError, ValueError) as exc:
            raise CommandError(f"{public_key}: {exc}") from exc
        report = verify(key=key)
        if not report.ok:
            raise CommandError(
                f"audit trail BROKEN at {report.broken} ({report.events} events verified before it)"
            )
        self.stdout.write(
            f"audit trail OK: {report.events} events and {report.checkpoints} checkpoints "
            f"verified; head {report.head_hash}"
        )

    def _checkpoint(self, *, force: bool) -> None:
        made = checkpoint_make(force=force)
        if made is None:
            self.stdout.write("nothing new since the last checkpoint")
            return
        # One line with all a checker needs, to be sent outside the instance (docs/audit.md).
        self.stdout.write(
            f"checkpoint {made.pk}: sequence {made.seq} head {made.head_hash} "
            f"at {made.at.isoformat()} key {made.key_id} signature {made.signature}"
        )
