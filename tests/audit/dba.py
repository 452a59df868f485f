"""What a DBA can do and the application cannot: switch the audit triggers off.

Used by the tampering tests (inside the test's transaction, so the switch is undone with it)
and before the flush that ends a transactional test (the flush empties every table; the
``post_migrate`` that follows it puts the triggers back, see daftar/audit/protect.py).
"""

from __future__ import annotations

from django.db import connection

from daftar.audit import protect


def triggers_off() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE cannot run while deferred FK checks of this transaction are pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in protect.TABLES:
            if connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            else:
                for verb in ("update", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")


def execute(sql: str, params: list[str | int] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
