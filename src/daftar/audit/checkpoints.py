"""Checkpoints: the chain head at a moment, signed with the instance key.

A checkpoint published outside the instance (or simply kept) pins the history up to it: a
DBA who rewrites the chain before it cannot make the rewritten head match the signature
without the private key.
"""

from __future__ import annotations

import datetime as dt

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db import transaction

from daftar.audit import keys
from daftar.audit.models import AuditCheckpoint
from daftar.audit.services import head_lock
from daftar.lib import clock


def message(*, seq: int, head_hash: str, at: dt.datetime) -> bytes:
    """What is signed: the sequence, the head hash and the time, in UTC microseconds."""
    moment = at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return f"daftar-audit-checkpoint-v1\n{seq}\n{head_hash}\n{moment}\n".encode("ascii")


@transaction.atomic(durable=True)
def checkpoint_make(*, force: bool = False) -> AuditCheckpoint | None:
    """Sign the current head. Returns None when the newest checkpoint already covers it
    (unless ``force``). The head stays locked while signing, so no event slips in between.

    No audit event is written for it: that would move the head it has just signed; the
    checkpoint row is itself append-only and checked by ``daftar audit verify``.
    """
    head = head_lock()
    newest = AuditCheckpoint.objects.order_by("-seq", "-id").first()
    if newest is not None and newest.seq == head.seq and not force:
        return None
    key = keys.private_key()
    at = clock.now()
    signature = key.sign(message(seq=head.seq, head_hash=head.hash, at=at))
    return AuditCheckpoint.objects.create(
        seq=head.seq,
        head_hash=head.hash,
        at=at,
        key_id=keys.key_id(key.public_key()),
        signature=signature.hex(),
    )


def signature_ok(checkpoint: AuditCheckpoint, key: Ed25519PublicKey) -> bool:
    if checkpoint.key_id != keys.key_id(key):
        return False
    try:
        signed = message(seq=checkpoint.seq, head_hash=checkpoint.head_hash, at=checkpoint.at)
        key.verify(bytes.fromhex(checkpoint.signature), signed)
    except (InvalidSignature, ValueError):
        return False
    return True
