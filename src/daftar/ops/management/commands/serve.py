"""Serve Daftar with gunicorn (static files by WhiteNoise)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Collect static files and serve the application with gunicorn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("DAFTAR_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("DAFTAR_WEB_WORKERS", "2"))
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Daftar is serving on http://{options['bind']}/ (Ctrl+C stops it)")
        # Replace this process with gunicorn (from this venv) so signals reach it directly.
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        argv = [
            gunicorn,
            "daftar.wsgi:application",
            "--bind",
            options["bind"],
            "--workers",
            str(options["workers"]),
            "--access-logfile",
            "-",
        ]
        os.execv(gunicorn, argv)  # noqa: S606 - fixed program, arguments from our options
