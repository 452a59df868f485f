"""Bulk inserts into the migrated tables: COPY on PostgreSQL, executemany on SQLite."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models

from bench.sizes import UTC, Row


class Loader:
    """Bulk inserts into the migrated tables, on PostgreSQL (COPY) or SQLite (executemany).

    Callers give rows as tuples in the order of ``fields`` (attribute names); any other
    concrete field of the model is filled with its default, so a new nullable or defaulted
    column does not break the generator.
    """

    def __init__(self, *, fast: bool) -> None:
        self.vendor = connection.vendor
        self.fast = fast and self.vendor == "postgresql" and self._is_superuser()
        self.rows: Counter[str] = Counter()

    @staticmethod
    def _is_superuser() -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('is_superuser')")
            row = cursor.fetchone()
        return bool(row and row[0] == "on")

    def begin_chunk(self) -> None:
        """Call inside ``transaction.atomic()``: skip FK triggers for this transaction."""
        if self.fast:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")

    def insert(self, model: type[models.Model], fields: Sequence[str], rows: list[Row]) -> None:
        if not rows:
            return
        meta = model._meta
        given = [meta.get_field(name) for name in fields]
        columns: list[str] = [f.column for f in given]  # type: ignore[union-attr,misc]
        extra: list[Any] = []
        for f in meta.concrete_fields:
            if f.attname in fields or f.column in columns:
                continue
            if not f.has_default() and not f.null:
                raise RuntimeError(f"bench generator: {meta.label}.{f.name} needs a value")
            columns.append(str(f.column))
            value = f.get_default() if f.has_default() else None
            if isinstance(f, models.JSONField) and value is not None:
                value = json.dumps(value)
            extra.append(value)
        suffix = tuple(extra)
        table = connection.ops.quote_name(meta.db_table)
        cols = ", ".join(connection.ops.quote_name(c) for c in columns)
        if self.vendor == "postgresql":
            with connection.cursor() as cursor:
                raw = cursor.cursor
                with raw.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    write = copy.write_row
                    if suffix:
                        for row in rows:
                            write(row + suffix)
                    else:
                        for row in rows:
                            write(row)
        else:
            convert = [_sqlite_converter(f) for f in given]
            marks = ", ".join("?" * len(columns))
            sql = f"INSERT INTO {table} ({cols}) VALUES ({marks})"
            if any(convert):
                pairs = [(i, c) for i, c in enumerate(convert) if c is not None]

                def fixed(row: Row) -> Row:
                    values = list(row)
                    for i, c in pairs:
                        if values[i] is not None:
                            values[i] = c(values[i])
                    return (*values, *suffix)

                data: Iterable[Row] = (fixed(r) for r in rows)
            else:
                data = (r + suffix for r in rows)
            connection.ensure_connection()
            connection.connection.executemany(sql, data)
        self.rows[meta.label] += len(rows)

    def finish(self, model_list: list[type[models.Model]], *, analyze: bool = True) -> None:
        """Move id sequences past the inserted ids and refresh planner statistics."""
        statements = connection.ops.sequence_reset_sql(no_style(), model_list)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
        if not analyze:
            return
        tables = [m._meta.db_table for m in model_list]
        if self.vendor == "postgresql":
            # VACUUM also sets the visibility map (index-only scans) and hint bits, the steady
            # state autovacuum gives a live system; it cannot run inside a transaction.
            verb = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            with connection.cursor() as cursor:
                for table in tables:
                    cursor.execute(f"{verb} {connection.ops.quote_name(table)}")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")


def _sqlite_converter(f: Any) -> Callable[[Any], Any] | None:
    kind = f.get_internal_type()
    if kind == "DateTimeField":
        return lambda v: str(v.astimezone(UTC).replace(tzinfo=None))
    if kind == "DateField":
        return lambda v: v.isoformat()
    return None
