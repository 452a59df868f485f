"""The admin shows events and checkpoints to a superuser and lets nobody add, change or
delete them."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from daftar.audit.checkpoints import checkpoint_make
from daftar.audit.models import AuditCheckpoint, AuditEvent
from daftar.files.models import File
from daftar.files.services import note_add


@pytest.mark.parametrize("model", ["auditevent", "auditcheckpoint"])
def test_read_only_for_a_superuser(
    admin_client: Client, file: File, model: str, settings: Settings, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path
    checkpoint = checkpoint_make()
    assert checkpoint is not None
    row = AuditEvent.objects.first() if model == "auditevent" else checkpoint
    assert row is not None
    change = reverse(f"admin:audit_{model}_change", args=[row.pk])
    assert admin_client.get(reverse(f"admin:audit_{model}_changelist")).status_code == 200
    page = admin_client.get(change)
    assert page.status_code == 200 and "Save" not in page.content.decode()
    assert admin_client.get(reverse(f"admin:audit_{model}_add")).status_code == 403
    assert admin_client.post(change, {"action": "x", "seq": "0"}).status_code == 403
    delete = reverse(f"admin:audit_{model}_delete", args=[row.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert AuditCheckpoint.objects.get().seq == checkpoint.seq
    assert AuditEvent.objects.filter(action="x").count() == 0


def test_the_admin_shows_no_paper_contents(admin_client: Client, file: File) -> None:
    """An admin sees that a note was written, not its words (docs/access.md)."""
    holder = file.holder.charges.get().person
    note = note_add(actor=holder, file_id=file.pk, body="Words only the file's readers see.")
    event = AuditEvent.objects.get(action="note.add", object_id=str(note.pk))
    page = admin_client.get(reverse("admin:audit_auditevent_change", args=[event.pk]))
    assert page.status_code == 200 and "note.add" in page.content.decode()
    assert "Words only" not in page.content.decode()
