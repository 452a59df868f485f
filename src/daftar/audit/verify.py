"""Re-compute the chain and check every checkpoint: ``daftar audit verify``.

Events are read in sequence order, a chunk at a time (never all rows in memory), without a
long transaction: the head row is read before and after the walk, so events appended while
verifying do not count as tampering, and an event past the head read at the end does.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.utils.translation import gettext as _

from daftar.audit.chain import GENESIS, link
from daftar.audit.checkpoints import signature_ok
from daftar.audit.models import AuditCheckpoint, AuditEvent, ChainHead

CHUNK = 2000


@dataclass(frozen=True)
class Break:
    seq: int
    event_id: int | None
    reason: str

    def __str__(self) -> str:
        where = _("sequence %(seq)s") % {"seq": self.seq}
        if self.event_id is not None:
            where += _(" (event id %(id)s)") % {"id": self.event_id}
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class Report:
    events: int
    checkpoints: int
    head_hash: str
    broken: Break | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def verify(*, key: Ed25519PublicKey, chunk: int = CHUNK) -> Report:
    head_before = _head()
    pending = deque(AuditCheckpoint.objects.order_by("seq", "id"))
    checked = len(pending)
    walk = _Walk(key=key, pending=pending)
    broken = walk.checkpoints_at(0, GENESIS)
    for event in [] if broken else _events(chunk):
        broken = walk.step(event)
        if broken:
            break
    broken = broken or walk.ends(head_before, _head())
    return Report(events=walk.count, checkpoints=checked, head_hash=walk.running, broken=broken)


def _head() -> tuple[int, str]:
    head = ChainHead.objects.filter(pk=1).values_list("seq", "hash").first()
    return head if head is not None else (0, GENESIS)


def _events(chunk: int) -> Iterator[AuditEvent]:
    last = None
    while True:
        rows = AuditEvent.objects.order_by("seq", "id")
        if last is not None:
            rows = rows.filter(seq__gt=last)
        batch = list(rows[:chunk])
        yield from batch
        if len(batch) < chunk:
            return
        last = batch[-1].seq


class _Walk:
    def __init__(self, *, key: Ed25519PublicKey, pending: deque[AuditCheckpoint]) -> None:
        self.key = key
        self.pending = pending
        self.running = GENESIS
        self.count = 0
        self.last_id = 0

    def step(self, event: AuditEvent) -> Break | None:
        expected = self.count + 1
        if event.seq < expected:
            return Break(event.seq, event.pk, _("inserted event: sequence number repeated"))
        if event.seq > expected:
            return Break(
                expected,
                event.pk,
                _("missing event: sequence %(first)s to %(last)s absent")
                % {"first": expected, "last": event.seq - 1},
            )
        if event.pk <= self.last_id:
            return Break(event.seq, event.pk, _("inserted event: written out of order"))
        if link(event.prev_hash, event.content()) != event.hash:
            return Break(event.seq, event.pk, _("content altered"))
        if event.prev_hash != self.running:
            reason = _(
                "inserted event: does not link to the event before it (or that one was rewritten)"
            )
            return Break(event.seq, event.pk, reason)
        self.running, self.count, self.last_id = event.hash, expected, event.pk
        return self.checkpoints_at(event.seq, event.hash)

    def checkpoints_at(self, seq: int, running: str) -> Break | None:
        while self.pending and self.pending[0].seq <= seq:
            checkpoint = self.pending.popleft()
            if not signature_ok(checkpoint, self.key):
                return Break(
                    checkpoint.seq,
                    None,
                    _("checkpoint signature bad (%(at)s)") % {"at": checkpoint.at},
                )
            if checkpoint.seq == seq and checkpoint.head_hash != running:
                return Break(
                    seq, None, _("checkpoint does not match chain (%(at)s)") % {"at": checkpoint.at}
                )
        return None

    def ends(self, before: tuple[int, str], after: tuple[int, str]) -> Break | None:
        if self.pending:
            checkpoint = self.pending[0]
            return Break(
                self.count + 1,
                None,
                _("missing event: a checkpoint covers sequence %(seq)s, the chain ends at %(end)s")
                % {"seq": checkpoint.seq, "end": self.count},
            )
        if self.count < before[0]:
            return Break(
                self.count + 1,
                None,
                _("missing event: the chain head is at %(head)s, the last event is %(end)s")
                % {"head": before[0], "end": self.count},
            )
        if self.count > after[0]:
            return Break(
                self.count,
                None,
                _("inserted event: past the chain head (%(head)s)") % {"head": after[0]},
            )
        if self.count == after[0] and self.running != after[1]:
            return Break(
                self.count, None, _("content altered: the chain head does not match the last event")
            )
        return None
