"""The demo, loaded through the real services, leaves an index that ``reindex`` would not
change: every service on its path announced what it wrote."""

from __future__ import annotations

from daftar.ops.demo import demo_load
from daftar.search.indexing import reindex_all
from daftar.search.models import Entry


def test_the_demo_index_has_no_drift(db: None) -> None:
    demo_load()
    kinds = set(Entry.objects.values_list("kind", flat=True).distinct())
    assert {"file", "note", "receipt", "page", "draft"} <= kinds
    report = reindex_all(check=True)
    assert report.drift == 0, report.lines()
