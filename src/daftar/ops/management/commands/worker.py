"""Run the background worker: django-tasks-db's ``db_worker``, plus the recovery of lost jobs.

``daftar worker`` first re-queues the documents whose OCR job was lost (``ocr_recover``: a
worker killed mid-page, a crash between commit and enqueue) and runs the deliveries of issued
letters whose after-commit run was lost, then runs queued tasks; while it
runs it looks for lost jobs again every ``--recover-every`` seconds, signs an audit
checkpoint every ``--checkpoint-every`` seconds (docs/audit.md), and recomputes the
programme's figures of the month to date (and the previous month once it has ended) every
``--levels-every`` seconds, the first time that long after it starts (docs/adoption.md).
Run one or more per machine under systemd (``Restart=always``); see docs/documents.md.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.crypto import get_random_string
from django_tasks_db.compat import TASKS_LOGGER
from django_tasks_db.management.commands.db_worker import Worker

from daftar.adoption.services import levels_refresh
from daftar.audit.checkpoints import checkpoint_make
from daftar.dispatch.delivery import deliveries_pending_run
from daftar.documents.services import ocr_recover, worker_id_new
from daftar.mailroom.fetching import mail_fetch_all
from daftar.mailroom.management.commands.fetch_mail import describe

log = logging.getLogger(__name__)

# A delivery still pending this long after its issue lost its after-commit run.
LOST_DELIVERY_AFTER = dt.timedelta(minutes=2)


class Command(BaseCommand):
    help = (
        "Re-queue lost OCR jobs and run lost deliveries, then run queued background tasks "
        "(--batch: until none)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="Run what is queued now, then stop."
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between looks at an empty queue."
        )
        parser.add_argument(
            "--recover-every",
            type=float,
            default=60.0,
            help="Seconds between searches for lost OCR jobs and lost deliveries.",
        )
        parser.add_argument(
            "--fetch-mail-every",
            type=float,
            default=settings.MAIL_FETCH_SECONDS,
            help="Seconds between reads of the registry mailboxes (0: never).",
        )
        parser.add_argument(
            "--checkpoint-every",
            type=float,
            default=settings.AUDIT_CHECKPOINT_SECONDS,
            help="Seconds between signed audit checkpoints (0: never).",
        )
        parser.add_argument(
            "--levels-every",
            type=float,
            default=3600.0,
            help="Seconds between recomputations of this month's e-office figures (0: never).",
        )
        parser.add_argument("--queue-name", default="default")

    def handle(self, *args: Any, **options: Any) -> None:
        # One OpenMP thread per Tesseract: several times faster on a busy machine.
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        worker_id = worker_id_new(get_random_string(12))
        if options["verbosity"] >= 1:
            # Each job started and finished (django-tasks' signals log them). The inner
            # worker's "starting"/"no more tasks" lines, once per empty look, stay quiet.
            tasks_log = logging.getLogger(TASKS_LOGGER)
            tasks_log.setLevel(logging.INFO)
            if not tasks_log.hasHandlers():
                tasks_log.addHandler(logging.StreamHandler(self.stdout))
            self.stdout.write(f"Daftar worker {worker_id} (Ctrl+C stops it after the job in hand)")
        worker = Worker(
            queue_names=options["queue_name"].split(","),
            interval=options["interval"],
            batch=True,  # each run() drains the queue and returns; this loop goes on
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        if not options["batch"]:
            worker.configure_signals()  # Ctrl+C / SIGTERM: finish the task in hand, then stop
        last_recovery = last_fetch = last_checkpoint = float("-inf")
        fetch_every = options["fetch_mail_every"]
        checkpoint_every = options["checkpoint_every"]
        # Not at start: `--batch` runs (and restarts) should not each recompute the month.
        levels_every, last_levels = options["levels_every"], time.monotonic()
        while True:
            if time.monotonic() - last_recovery >= options["recover_every"]:
                requeued = ocr_recover()
                last_recovery = time.monotonic()
                if requeued and options["verbosity"] >= 1:
                    self.stdout.write(f"Re-queued the lost OCR of documents {requeued}")
                delivered = deliveries_pending_run(older_than=LOST_DELIVERY_AFTER)
                if delivered and options["verbosity"] >= 1:
                    self.stdout.write(f"Ran the lost deliveries {delivered}")
            if fetch_every > 0 and time.monotonic() - last_fetch >= fetch_every:
                self._fetch_mail(verbose=options["verbosity"] >= 1)
                last_fetch = time.monotonic()
            if checkpoint_every > 0 and time.monotonic() - last_checkpoint >= checkpoint_every:
                made = checkpoint_make()
                last_checkpoint = time.monotonic()
                if made is not None and options["verbosity"] >= 1:
                    self.stdout.write(f"Audit checkpoint at sequence {made.seq}")
            if levels_every > 0 and time.monotonic() - last_levels >= levels_every:
                self._levels(verbose=options["verbosity"] >= 1)
                last_levels = time.monotonic()
            worker.run()
            if options["batch"] or not worker.running:
                return
            time.sleep(options["interval"])

    def _levels(self, *, verbose: bool) -> None:
        """Recompute the month's figures; a failure is reported and tried next round."""
        try:
            reports = levels_refresh()
        except Exception:
            log.exception("Computing the e-office figures failed")
            return
        for report in reports if verbose else []:
            state = "final" if report.final else "to date"
            self.stdout.write(f"E-office figures of {report.month:%Y-%m} ({state}) computed")

    def _fetch_mail(self, *, verbose: bool) -> None:
        """Read the registry mailboxes; a mailbox that fails is reported and tried next time."""
        for report in mail_fetch_all():
            if verbose and (report.imported or not report.ok):
                self.stdout.write(f"Mailbox {report.mailbox}: {describe(report)}")
            for problem in [*report.failed, *([report.error] if report.error else [])]:
                self.stderr.write(f"Mailbox {report.mailbox}: {problem}")
