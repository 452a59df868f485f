"""What the audit chain costs: appends per second with the chain and without, on
PostgreSQL. ``python -m bench.audit_chain [--threads 4] [--seconds 5]``.

It makes a scratch database next to the configured one (Django's test database,
``test_<NAME>``), runs there and drops it: the configured database is never written. With the
chain every append is ``event_record`` (lock the head row, insert, move the head) in its own
transaction; without it, the same insert with no head row, as the table was before. The
chain is verified afterwards, so the figure is for appends that did not fork it.
"""

from __future__ import annotations

import argparse
import itertools
import os
import threading
import time
from collections.abc import Callable

PLAIN_HASH = "0" * 64


def run(threads: int, seconds: float, append: Callable[[int], None]) -> float:
    """Appends per second of ``threads`` threads, each on its own connection."""
    from django.db import connections

    done = [0] * threads
    stop = time.monotonic() + seconds
    barrier = threading.Barrier(threads)

    def worker(index: int) -> None:
        try:
            barrier.wait()
            while time.monotonic() < stop:
                append(index)
                done[index] += 1
        finally:
            connections.close_all()

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    started = time.monotonic()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return sum(done) / (time.monotonic() - started)


def measure(threads: int, seconds: float) -> tuple[float, float, int]:
    from django.db import transaction

    from daftar.audit import keys
    from daftar.audit.models import AuditEvent, ChainHead
    from daftar.audit.services import event_record
    from daftar.audit.verify import verify
    from daftar.lib import clock

    target = ChainHead.objects.get(pk=1)  # any saved row will do as the object of an event
    after = {"holder": "SO (D-I)", "movement": 12345, "note": "پانی"}

    def chained(_index: int) -> None:
        with transaction.atomic(durable=True):
            event_record(actor=None, action="bench.append", obj=target, after=after)

    numbers = itertools.count(10**12)  # far past the chain: these rows are outside it
    lock = threading.Lock()

    def plain(_index: int) -> None:
        with lock:
            seq = next(numbers)
        with transaction.atomic(durable=True):
            AuditEvent.objects.create(
                seq=seq,
                at=clock.now(),
                action="bench.plain",
                object_type="audit.chainhead",
                object_id="1",
                after=after,
                prev_hash=PLAIN_HASH,
                hash=PLAIN_HASH,
            )

    with_chain = run(threads, seconds, chained)
    report = verify(key=keys.public_key())
    if not report.ok:
        raise SystemExit(f"the chain broke under load: {report.broken}")
    chained_events = AuditEvent.objects.filter(action="bench.append").count()
    without = run(threads, seconds, plain)
    return with_chain, without, chained_events


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "daftar.settings")
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("bench.audit_chain measures PostgreSQL: set DAFTAR_DATABASE_URL")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with_chain, without, events = measure(args.threads, args.seconds)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"threads: {args.threads}, {args.seconds:g} s each")
    print(f"with the chain:    {with_chain:8.0f} appends/s ({events} events, chain verified)")
    print(f"without the chain: {without:8.0f} appends/s")


if __name__ == "__main__":
    main()
