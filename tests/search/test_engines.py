"""What the services write is found by each database's own full-text machinery, exactly as
the engine queries it: ``tsv @@ to_tsquery('daftar', …)`` on PostgreSQL, the FTS5 table on
SQLite. Urdu words and folded numbers included."""

from __future__ import annotations

from django.db import connection

from daftar.files.models import File
from daftar.files.services import note_add
from daftar.movement.services import file_send
from daftar.receipts.models import Sender
from tests.cast import Cast
from tests.search.conftest import diarise, put_on_file, read_ocr, text_pdf, urdu_scan


def found(term: str) -> list[str]:
    """Keys of the entries the database's full-text index matches for one term."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT key FROM search_entry WHERE tsv @@ to_tsquery('daftar', %s) ORDER BY key",
                [term],
            )
        else:
            cursor.execute(
                "SELECT e.key FROM search_entry_fts f JOIN search_entry e ON e.id = f.rowid "
                "WHERE search_entry_fts MATCH %s ORDER BY e.key",
                [f'"{term}"'],
            )
        return [row[0] for row in cursor.fetchall()]


def test_entries_are_in_the_full_text_index(cast: Cast, sender: Sender, file: File) -> None:
    note = note_add(actor=cast.assistant, file_id=file.pk, body="Dams near Chakwal.")
    file_send(actor=cast.assistant, file_id=file.pk, to_post_id=cast.so_post.pk)
    document = text_pdf(cast)
    receipt = diarise(cast, sender, document)

    assert found("chakwal") == [f"note:{note.pk}"]
    assert found("tariq") == [f"receipt:{receipt.pk}"]  # the sender, in the receipt's body
    assert found("skardu") == [f"page:r{receipt.pk}:d{document.pk}:2"]
    assert found("pc72026w") == [f"page:r{receipt.pk}:d{document.pk}:1"]  # a folded number
    assert found("potohar") == [f"file:{file.pk}"]


def test_an_urdu_scan_is_found_by_its_words_after_ocr(
    cast: Cast, sender: Sender, file: File
) -> None:
    scan = urdu_scan(cast)
    receipt = diarise(cast, sender, scan, subject="Water resources")
    put_on_file(cast, receipt, file)
    assert found("پاکستان") == []

    read_ocr(scan)

    assert found("پاکستان") == [f"page:r{receipt.pk}:d{scan.pk}:1"]
    assert found("وسائل") == [f"page:r{receipt.pk}:d{scan.pk}:1"]
