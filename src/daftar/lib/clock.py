"""The one source of "now" for services.

Services read the time here rather than from ``timezone.now()`` so that the demo loader and
the benchmark generator can replay a realistic history (files sent last week, a note written
three days ago) through the same service functions a user calls.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from datetime import datetime

from django.utils import timezone

_local = threading.local()


def now() -> datetime:
    frozen: datetime | None = getattr(_local, "frozen", None)
    return frozen if frozen is not None else timezone.now()


@contextlib.contextmanager
def frozen_at(moment: datetime) -> Iterator[None]:
    """Make ``now()`` return ``moment`` in this thread while the block runs."""
    if timezone.is_naive(moment):
        raise ValueError("frozen_at needs an aware datetime")
    previous = getattr(_local, "frozen", None)
    _local.frozen = moment
    try:
        yield
    finally:
        _local.frozen = previous
