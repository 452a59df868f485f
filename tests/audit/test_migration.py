"""Migration 0003 chains the events that existed before it, in id order."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from daftar.audit import keys
from daftar.audit.models import AuditEvent, ChainHead
from daftar.audit.verify import verify

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("audit", "0002_initial")]


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def test_existing_events_are_chained_in_id_order() -> None:
    latest = [("audit", MigrationExecutor(connection).loader.graph.leaf_nodes("audit")[0][1])]
    try:
        executor = _migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps.get_model("audit", "AuditEvent")
        at = dt.datetime(2026, 11, 1, 9, 30, 15, 123456, tzinfo=dt.UTC)
        for n in range(5):  # written out of time order, as the demo's replayed history is
            old.objects.create(
                at=at - dt.timedelta(days=n),
                action=f"test.{n}",
                object_type="files.file",
                object_id=str(n),
                after={"n": n, "amount": str(Decimal("1.50")), "اردو": [1.0, None]},
            )
        _migrate(latest)
    finally:
        _migrate(latest)
    events = list(AuditEvent.objects.order_by("id"))
    assert [(e.seq, e.action) for e in events] == [(n + 1, f"test.{n}") for n in range(5)]
    assert ChainHead.objects.get().seq == 5
    report = verify(key=keys.public_key())
    assert report.ok and report.events == 5
