"""The hash chain: what exactly is hashed, and how one event links to the one before.

``h_i = SHA-256(h_{i-1} ‖ canonical(event_i))``, with ``h_0`` = 64 zeros. The canonical form
must come out the same whether it is computed from the values a service is about to insert
or from the row as the database gives it back later (on SQLite and on PostgreSQL jsonb), or
every event would fail verification. So:

- every field is length-prefixed (8 bytes, big-endian) and tagged null / present, so bytes
  cannot shift from one field to the next;
- the time is written in UTC at microsecond precision, the precision the column stores;
- ``before`` / ``after`` are first sent through the same JSON encoder as the column
  (DjangoJSONEncoder: dates become strings, datetimes lose their last three digits), then
  written with sorted keys, and every number as its normalised decimal value, because jsonb
  gives ``1e20`` back as the integer ``100000000000000000000`` and ``1.0`` may come back as
  ``1``.

This module is also used by migration 0003 to chain the rows that existed before: change the
format only with a new version tag and a migration that re-chains.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

VERSION = b"daftar-audit-v1"
GENESIS = "0" * 64
_NUMBERS = decimal.Context(prec=2000)  # exact: never round a number while normalising it


@dataclass(frozen=True)
class Content:
    """The hashed fields of one event, as plain values."""

    seq: int
    at: dt.datetime
    actor_id: int | None
    post_id: int | None
    action: str
    object_type: str
    object_id: str
    before: Any
    after: Any


def canonical_json(value: Any) -> str | None:
    if value is None:
        return None
    stored = json.loads(json.dumps(value, cls=DjangoJSONEncoder))
    return _dump(stored)


def _dump(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int | float):
        number = _NUMBERS.normalize(decimal.Decimal(repr(value)))
        return format(number, "E") if number != 0 else "0"
    if isinstance(value, list):
        return "[" + ",".join(_dump(item) for item in value) + "]"
    if isinstance(value, dict):
        items = sorted(value.items())
        return "{" + ",".join(f"{_dump(key)}:{_dump(item)}" for key, item in items) + "}"
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def _utc(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("audit times must be aware (UTC)")
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(content: Content) -> bytes:
    fields: list[str | None] = [
        str(content.seq),
        _utc(content.at),
        None if content.actor_id is None else str(content.actor_id),
        None if content.post_id is None else str(content.post_id),
        content.action,
        content.object_type,
        content.object_id,
        canonical_json(content.before),
        canonical_json(content.after),
    ]
    out = bytearray(VERSION)
    for field in fields:
        if field is None:
            out += b"\x00"
        else:
            data = field.encode("utf-8")
            out += b"\x01" + len(data).to_bytes(8, "big") + data
    return bytes(out)


def link(previous: str, content: Content) -> str:
    """The hash of an event that follows the event hashed ``previous`` (hex)."""
    return hashlib.sha256(bytes.fromhex(previous) + canonical(content)).hexdigest()
