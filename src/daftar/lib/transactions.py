"""Services that own their transaction, and can still be composed.

Every state change is a service that runs in its own durable transaction. A few are also
steps of a larger change (registering an e-mail as a receipt registers the receipt and marks
the mail in one commit); durable transactions cannot nest, so such a service is declared with
``@composable``: calling it opens its durable transaction as usual, and ``.within(...)`` runs
the same body — the same checks, locks and audit events — inside the caller's transaction.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Generic, ParamSpec, TypeVar

from django.db import transaction

P = ParamSpec("P")
R = TypeVar("R")


class Composable(Generic[P, R]):
    def __init__(self, body: Callable[P, R]) -> None:
        self._body = body
        self._durable = transaction.atomic(durable=True)(body)
        functools.update_wrapper(self, body)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        return self._durable(*args, **kwargs)

    def within(self, *args: P.args, **kwargs: P.kwargs) -> R:
        """Run inside the caller's transaction, which must be open."""
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError(f"{self._body.__qualname__}.within needs an open transaction")
        return self._body(*args, **kwargs)


def composable(body: Callable[P, R]) -> Composable[P, R]:
    return Composable(body)
