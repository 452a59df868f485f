"""Announcements of changed content, for what keeps a derived copy of it (the search index).

Core services call ``changed(kind, ids)`` inside their transaction, after the rows are
written; receivers run at once, in the same transaction, so a copy kept by a receiver commits
or rolls back with the data. Core apps import only this module, never the receivers' apps;
the receivers are connected in one place (``daftar.search.wiring``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from django.dispatch import Signal

# sender: the kind (a str below); keyword ``ids``: list[int] of that kind's rows.
content_changed = Signal()

Kind = Literal["file", "note", "receipt", "document", "draft"]


def changed(kind: Kind, ids: Iterable[int]) -> None:
    """Say that these rows of ``kind`` were created or changed in the current transaction."""
    id_list = sorted(set(ids))
    if id_list:
        content_changed.send(sender=kind, ids=id_list)
