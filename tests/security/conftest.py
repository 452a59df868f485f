"""The security tests share one world per module: hundreds of requests read the same people
and papers, and building them for every case would take most of the run.

The world is built inside a transaction that stays open for the module and is rolled back at
its end; each test runs in a savepoint inside it (pytest-django's ``db``), so whatever a
request changes is undone before the next case, and nothing leaks to other modules."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction
from pytest_django import DjangoDbBlocker

from tests.security.world import World, build_world


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[World]:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        # The services' durable blocks may open right inside a test case's block; this outer
        # block stands for the test case's class-level one while the world is built.
        outer._from_testcase = True  # type: ignore[attr-defined]
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
