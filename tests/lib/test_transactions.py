from __future__ import annotations

import pytest
from django.db import connection, transaction

from daftar.lib.transactions import composable
from daftar.org.models import Sequence


@composable
def bump(*, key: str) -> bool:
    Sequence.objects.create(key=key, last_value=1)
    return connection.in_atomic_block


@pytest.mark.django_db(transaction=True)
def test_a_composable_service_owns_its_transaction_or_joins_the_callers() -> None:
    assert bump(key="own") is True  # its own durable transaction
    with pytest.raises(RuntimeError, match="needs an open transaction"):
        bump.within(key="none")
    with pytest.raises(ZeroDivisionError), transaction.atomic(durable=True):
        bump.within(key="joined")
        raise ZeroDivisionError  # the caller fails: the joined step rolls back with it
    assert list(Sequence.objects.values_list("key", flat=True)) == ["own"]
    with pytest.raises(RuntimeError), transaction.atomic():
        bump(key="nested")  # durable: refuses to nest
