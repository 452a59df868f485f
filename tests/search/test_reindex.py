"""Indexing is idempotent, ``reindex_all`` rebuilds exactly what the services wrote, and
``daftar reindex --check`` finds (and ``daftar reindex`` repairs) an index out of step."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from pytest_django import DjangoAssertNumQueries

from daftar.documents.models import Document
from daftar.drafting.models import Draft
from daftar.files.models import File, Note
from daftar.receipts.models import Receipt, Sender
from daftar.search.indexing import index, reindex_all
from daftar.search.models import Entry
from daftar.signing.models import Certificate
from tests.cast import Cast
from tests.search.conftest import broad_scenario, snapshot

SOURCES: dict[str, type[Model]] = {
    "file": File,
    "note": Note,
    "receipt": Receipt,
    "document": Document,
    "draft": Draft,
}


def ids(model: type[Model]) -> list[int]:
    return list(model._default_manager.values_list("pk", flat=True))


@pytest.fixture
def scene(cast: Cast, sender: Sender, file: File, authority: Certificate) -> None:
    broad_scenario(cast, sender, file)


def without_ids(entries: dict[str, tuple[object, ...]]) -> dict[str, tuple[object, ...]]:
    return {key: values[1:] for key, values in entries.items()}


def test_the_scenario_has_every_kind_of_entry(scene: None) -> None:
    kinds = dict.fromkeys(Entry.objects.values_list("kind", flat=True))
    assert set(kinds) == {"file", "note", "receipt", "page", "draft"}
    subtypes = set(Entry.objects.filter(kind="page").values_list("subtype", flat=True))
    assert subtypes == {"pdf", "office_copy"}


def test_indexing_again_writes_nothing(scene: None) -> None:
    before = snapshot()
    with CaptureQueriesContext(connection) as queries:
        for kind, model in SOURCES.items():
            index(kind, ids(model))
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}
    ]
    assert writes == []
    assert snapshot() == before


def test_reindex_after_the_services_finds_nothing_to_change(scene: None) -> None:
    stored = Entry.objects.count()
    report = reindex_all(batch=2)  # small batches: the ranges must tile every id
    assert report.drift == 0
    assert sum(c.unchanged for c in report.kinds.values()) == stored
    for kind, counts in report.kinds.items():
        assert counts.unchanged == Entry.objects.filter(kind=kind).count()


def test_reindex_rebuilds_an_empty_index_exactly_and_twice_is_once(scene: None) -> None:
    before = without_ids(snapshot())
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_entry")

    report = reindex_all(batch=3)

    assert sum(c.added for c in report.kinds.values()) == len(before)
    assert without_ids(snapshot()) == before
    assert reindex_all().drift == 0


def test_check_reports_hand_made_drift_and_reindex_repairs_it(
    scene: None, capsys: pytest.CaptureFixture[str]
) -> None:
    before = without_ids(snapshot())
    note = Entry.objects.filter(kind="note").first()
    page = Entry.objects.filter(kind="page").first()
    assert note is not None and page is not None
    yellow = Note.objects.filter(is_final=False).first()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_entry WHERE id = %s", [note.pk])
        cursor.execute("UPDATE search_entry SET body = %s WHERE id = %s", ["tampered", page.pk])
    if yellow is not None:  # an entry for a note that is not final must go
        Entry.objects.create(key=f"note:{yellow.pk}", kind="note", note=yellow, dated=note.dated)
    removed = 1 if yellow is not None else 0

    with pytest.raises(CommandError) as failed:
        call_command("reindex", "--check")
    assert failed.value.returncode == 1
    out = capsys.readouterr().out
    assert "note     added 1, changed 0, " + f"removed {removed}," in out
    assert "page     added 0, changed 1, removed 0," in out
    assert f"{2 + removed} entries would be out of step" in out
    assert not Entry.objects.filter(pk=note.pk).exists()  # --check wrote nothing

    call_command("reindex")
    assert without_ids(snapshot()) == before
    call_command("reindex", "--check")
    assert "The index matches the data." in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)  # migrate runs outside any test transaction
def test_upgrade_migrates_then_reindexes(file: File, capsys: pytest.CaptureFixture[str]) -> None:
    Entry.objects.filter(kind="file").delete()
    call_command("upgrade")
    out = capsys.readouterr().out
    assert "No migrations to apply." in out
    assert "file     added 1, changed 0, removed 0, unchanged 0" in out
    assert reindex_all(check=True).drift == 0


def test_the_number_of_queries_of_index_is_fixed(
    scene: None, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    # Nothing changed: read the sources, read the entries.
    expected = {"file": 2, "note": 2, "receipt": 5, "document": 6, "draft": 3}
    for kind, queries in expected.items():
        source_ids = ids(SOURCES[kind])
        with django_assert_num_queries(queries):
            index(kind, source_ids)
    # Everything new: the same reads, one upsert and one insert of the words (ON CONFLICT).
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_entry")
        cursor.execute("DELETE FROM search_word")
    for kind, queries in expected.items():
        source_ids = ids(SOURCES[kind])
        with django_assert_num_queries(queries + 2):
            index(kind, source_ids)
