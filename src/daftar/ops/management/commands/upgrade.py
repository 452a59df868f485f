"""``daftar upgrade``: the one command after installing a new version (README)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Bring the database up to this version: apply the migrations, then rebuild the search "
        "index (only what differs is written). Safe to run again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=verbosity, stdout=self.stdout)
        call_command("reindex", verbosity=verbosity, stdout=self.stdout, stderr=self.stderr)
