"""`daftar audit verify` passes on the demo ministry, whose history is replayed through the
services with the clock set back (so times are not in sequence order), then checkpointed."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from django.core.management import call_command
from pytest_django.fixtures import Settings

from daftar.audit.models import AuditEvent
from daftar.lib import clock


def test_verify_passes_on_the_demo(db: None, settings: Settings, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    with clock.frozen_at(dt.datetime(2026, 11, 29, 18, 7, 19, tzinfo=dt.UTC)):
        call_command("demo", stdout=io.StringIO())
    call_command("audit", "checkpoint", stdout=io.StringIO())
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    events = AuditEvent.objects.count()
    assert events > 500
    assert f"audit trail OK: {events} events and 1 checkpoints verified" in out.getvalue()
    times = list(AuditEvent.objects.order_by("seq").values_list("at", flat=True))
    assert times != sorted(times)  # the chain follows the order of writing, not of `at`
