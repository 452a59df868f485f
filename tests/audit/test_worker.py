"""`daftar worker` signs a checkpoint on its rounds, and none when nothing was added."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from pytest_django.fixtures import Settings

from daftar.audit import keys
from daftar.audit.models import AuditCheckpoint, AuditEvent
from daftar.audit.verify import verify
from daftar.files.models import File


@pytest.mark.django_db(transaction=True)  # the worker closes its database connections
def test_the_worker_signs_checkpoints(file: File, settings: Settings, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    head = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    out = io.StringIO()
    call_command("worker", "--batch", "--fetch-mail-every", "0", stdout=out)
    assert f"Audit checkpoint at sequence {head}" in out.getvalue()
    call_command("worker", "--batch", "--fetch-mail-every", "0", stdout=io.StringIO())
    assert AuditCheckpoint.objects.count() == 1  # nothing new: no second checkpoint
    call_command("worker", "--batch", "--checkpoint-every", "0", stdout=io.StringIO())
    assert AuditCheckpoint.objects.count() == 1
    assert verify(key=keys.public_key()).checkpoints == 1
