"""Database triggers that refuse UPDATE, DELETE and TRUNCATE on the audit tables.

They stop the application (a stray ``.update()``, an admin action, a cascade) and anyone
working through it; a DBA can still disable them, which is why the hash chain and the signed
checkpoints exist. ``install`` is idempotent: migration 0003 calls it, and so does every
``post_migrate`` (a test database flush, or a DBA who left them disabled, gets them back).
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

TABLES = ("audit_auditevent", "audit_auditcheckpoint")
MESSAGE = "the audit trail is append-only"

_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION daftar_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$
"""


def _postgres(table: str) -> list[str]:
    return [
        f"CREATE OR REPLACE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION daftar_audit_refuse()",
        f"CREATE OR REPLACE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION daftar_audit_refuse()",
        f"ALTER TABLE {table} ENABLE TRIGGER USER",
    ]


def _sqlite(table: str) -> list[str]:
    # SQLite has no TRUNCATE: its "truncate optimisation" is a DELETE, which fires these.
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: {verb} on {table} refused'); END"
        for verb in ("UPDATE", "DELETE")
    ]


def statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [_PG_FUNCTION] + [sql for table in TABLES for sql in _postgres(table)]
    if vendor == "sqlite":
        return [sql for table in TABLES for sql in _sqlite(table)]
    raise NotImplementedError(f"no audit triggers for {vendor}")


def removal(vendor: str) -> list[str]:
    """Undo ``install`` (only for unapplying migration 0003)."""
    if vendor == "postgresql":
        drops = [
            f"DROP TRIGGER IF EXISTS {table}_{name} ON {table}"
            for table in TABLES
            for name in ("append_only", "no_truncate")
        ]
        return [*drops, "DROP FUNCTION IF EXISTS daftar_audit_refuse()"]
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_{verb}"
        for table in TABLES
        for verb in ("update", "delete")
    ]


def uninstall(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for sql in removal(connection.vendor):
            cursor.execute(sql)


def install(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for sql in statements(connection.vendor):
            cursor.execute(sql)
