"""`daftar audit verify` passes on an untouched trail and names the first broken link when
rows were altered, deleted or inserted directly in the database, with the triggers switched
off as a DBA could (inside the test's transaction, so it is undone afterwards)."""

from __future__ import annotations

import dataclasses
import io
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import CommandError, call_command
from pytest_django.fixtures import Settings

from daftar.audit import keys
from daftar.audit.chain import link
from daftar.audit.checkpoints import checkpoint_make
from daftar.audit.models import AuditCheckpoint, AuditEvent, ChainHead
from daftar.audit.verify import Report, verify
from daftar.files.models import File
from daftar.files.services import note_add
from tests.audit.dba import execute, triggers_off
from tests.cast import Cast


@pytest.fixture(autouse=True)
def _own_key(settings: Settings, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path


@pytest.fixture
def trail(cast: Cast, file: File) -> list[AuditEvent]:
    for n in range(4):
        note_add(actor=cast.assistant, file_id=file.pk, body=f"Note {n}")
    return list(AuditEvent.objects.order_by("seq"))


def _check() -> Report:
    return verify(key=keys.public_key())


def _broken(report: Report, seq: int, reason: str) -> None:
    assert report.broken is not None, "tampering not caught"
    assert report.broken.seq == seq
    assert reason in report.broken.reason


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("audit", *args, stdout=out)
    return out.getvalue()


def test_untouched_trail_verifies(trail: list[AuditEvent]) -> None:
    assert "events and 0 checkpoints" in _run("verify")
    assert "sequence" in _run("checkpoint")
    assert "nothing new" in _run("checkpoint")
    output = _run("verify")
    assert f"{len(trail)} events and 1 checkpoints verified; head {trail[-1].hash}" in output


def test_an_altered_event_is_caught(trail: list[AuditEvent]) -> None:
    triggers_off()
    execute("UPDATE audit_auditevent SET after = %s WHERE seq = 3", ['{"body": "Approved."}'])
    _broken(_check(), 3, "content altered")
    with pytest.raises(CommandError, match=r"BROKEN at sequence 3 \(event id \d+\): content"):
        _run("verify")


def test_an_altered_time_is_caught(trail: list[AuditEvent]) -> None:
    triggers_off()
    AuditEvent.objects.filter(seq=2).update(at=trail[1].at.replace(microsecond=1))
    _broken(_check(), 2, "content altered")


def test_a_deleted_event_is_caught(trail: list[AuditEvent]) -> None:
    triggers_off()
    execute("DELETE FROM audit_auditevent WHERE seq = 2")
    _broken(_check(), 2, "missing event: sequence 2 to 2 absent")


def test_a_deleted_newest_event_is_caught(trail: list[AuditEvent]) -> None:
    triggers_off()
    execute("DELETE FROM audit_auditevent WHERE seq = %s", [trail[-1].seq])
    _broken(_check(), trail[-1].seq, "missing event: the chain head is at")


def test_an_inserted_event_that_does_not_link_is_caught(trail: list[AuditEvent]) -> None:
    forged = _forged(trail[-1], prev_hash=trail[-2].hash)  # as if inserted before the last
    ChainHead.objects.filter(pk=1).update(seq=forged.seq, hash=forged.hash)
    _broken(_check(), forged.seq, "inserted event: does not link")


def test_an_event_inserted_past_the_head_is_caught(trail: list[AuditEvent]) -> None:
    forged = _forged(trail[-1], prev_hash=trail[-1].hash)  # links, but nothing moved the head
    _broken(_check(), forged.seq, "inserted event: past the chain head")


def test_a_rewritten_chain_is_caught_by_the_checkpoint(trail: list[AuditEvent]) -> None:
    checkpoint_make()
    triggers_off()
    previous = trail[0].hash
    for event in trail[1:]:  # rewrite seq 2 and re-hash everything after it, head included
        event.prev_hash = previous
        event.action = "note.delete" if event.seq == 2 else event.action
        event.hash = previous = link(previous, event.content())
        AuditEvent.objects.filter(pk=event.pk).update(
            action=event.action, prev_hash=event.prev_hash, hash=event.hash
        )
    ChainHead.objects.filter(pk=1).update(hash=previous)
    _broken(_check(), trail[-1].seq, "checkpoint does not match chain")


def test_a_forged_checkpoint_is_caught(trail: list[AuditEvent]) -> None:
    made = checkpoint_make()
    assert made is not None
    triggers_off()
    AuditCheckpoint.objects.filter(pk=made.pk).update(head_hash=trail[0].hash)
    _broken(_check(), made.seq, "checkpoint signature bad")


def test_checkpoints_are_checked_against_a_published_key(
    trail: list[AuditEvent], tmp_path: Path
) -> None:
    checkpoint_make()
    published = tmp_path / "published.pem"
    published.write_text(_run("public-key").split("key id")[0])
    assert "1 checkpoints verified" in _run("verify", "--public-key", str(published))
    other = tmp_path / "other.pem"
    other.write_text(keys.public_pem(Ed25519PrivateKey.generate().public_key()))
    with pytest.raises(CommandError, match="checkpoint signature bad"):
        _run("verify", "--public-key", str(other))


def test_the_key_is_made_once_and_private(trail: list[AuditEvent]) -> None:
    first = _run("public-key")
    path = keys.key_path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert _run("public-key") == first
    assert "BEGIN PUBLIC KEY" in first and "PRIVATE" not in first


def test_verify_reads_in_chunks(trail: list[AuditEvent]) -> None:
    report = verify(key=keys.public_key(), chunk=2)
    assert report.ok and report.events == len(trail)


def _forged(last: AuditEvent, *, prev_hash: str) -> AuditEvent:
    content = dataclasses.replace(last.content(), seq=last.seq + 1, action="note.add")
    return AuditEvent.objects.create(
        seq=content.seq,
        at=content.at,
        actor_id=content.actor_id,
        post_id=content.post_id,
        action=content.action,
        object_type=content.object_type,
        object_id=content.object_id,
        before=content.before,
        after=content.after,
        prev_hash=prev_hash,
        hash=link(prev_hash, content),
    )
