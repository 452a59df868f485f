"""Where the search app listens: content announced as changed (``daftar.lib.changes``) is
indexed at once, in the announcing service's transaction, so the index commits or rolls back
with the data."""

from __future__ import annotations

from typing import Any

from daftar.lib.changes import content_changed

_UID = "daftar.search.index"


def _on_changed(sender: str, *, ids: list[int], **_kwargs: Any) -> None:
    from daftar.search.indexing import index  # (models load after the app registry)

    index(sender, ids)


def connect() -> None:
    """Connect the indexer (once; connecting again is harmless)."""
    content_changed.connect(_on_changed, dispatch_uid=_UID, weak=False)
