"""The application cannot change or remove audit rows: the database refuses."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from daftar.audit.checkpoints import checkpoint_make
from daftar.audit.models import AuditCheckpoint, AuditEvent
from daftar.files.models import File
from tests.audit.dba import execute

REFUSED = "append-only"


def _refused(action: object) -> None:
    with pytest.raises(DatabaseError, match=REFUSED), transaction.atomic():
        action()  # type: ignore[operator]


def test_orm_update_and_delete_are_refused(file: File) -> None:
    event = AuditEvent.objects.get(action="file.open")
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(action="file.hidden"))
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).delete())
    event.after = {"subject": "rewritten"}
    _refused(event.save)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.action, stored.after, stored.hash) == ("file.open", stored.after, event.hash)
    assert stored.after != {"subject": "rewritten"}


def test_sql_update_and_delete_are_refused(file: File) -> None:
    count = AuditEvent.objects.count()
    _refused(lambda: execute("UPDATE audit_auditevent SET action = 'x'"))
    _refused(lambda: execute("DELETE FROM audit_auditevent"))
    assert AuditEvent.objects.count() == count
    assert not AuditEvent.objects.filter(action="x").exists()


def test_checkpoints_cannot_be_changed_either(file: File) -> None:
    made = checkpoint_make()
    assert made is not None
    _refused(lambda: AuditCheckpoint.objects.filter(pk=made.pk).update(seq=0))
    _refused(lambda: execute("DELETE FROM audit_auditcheckpoint"))
    assert AuditCheckpoint.objects.get(pk=made.pk).seq == made.seq


@pytest.mark.postgres
def test_truncate_is_refused_on_postgresql(file: File) -> None:
    assert connection.vendor == "postgresql"
    execute("SET CONSTRAINTS ALL IMMEDIATE")  # else TRUNCATE stops at this test's pending FKs
    for table in ("audit_auditevent", "audit_auditcheckpoint"):
        _refused(lambda table=table: execute(f"TRUNCATE {table} CASCADE"))
    assert AuditEvent.objects.exists()
