"""PostgreSQL: OCR finishing for a scan while its receipt is put on a file, at the same
moment (threads on their own connections, lined up on a barrier, as in
tests/movement/test_concurrency.py). Whichever commits first, the page entries end up on the
file: the indexer locks the receipt before it reads where the receipt stands."""

from __future__ import annotations

from functools import partial

import pytest

from daftar.documents.selectors import document_bytes
from daftar.documents.services import ocr_begin, ocr_finish
from daftar.documents.tasks import ocr_engine
from daftar.files.correspondence import receipt_put_on_file
from daftar.files.models import File
from daftar.receipts.models import Sender
from daftar.search.indexing import reindex_all
from daftar.search.models import Entry
from tests.cast import Cast
from tests.movement.test_concurrency import run_together
from tests.search.conftest import diarise, urdu_scan

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 6


def test_ocr_finishing_while_the_receipt_goes_on_a_file(
    cast: Cast, sender: Sender, file: File
) -> None:
    texts: dict[int, str] = {}
    for round_ in range(ROUNDS):
        scan = urdu_scan(cast)
        receipt = diarise(cast, sender, scan, subject=f"Round {round_}")
        claimed = ocr_begin(document_id=scan.pk)
        assert claimed is not None
        if not texts:  # the real Tesseract once; the same text for every round's scan
            texts = ocr_engine().recognise(
                content=document_bytes(claimed), content_type=claimed.content_type, pages=[1]
            )
        run_together(
            [
                partial(ocr_finish, document_id=scan.pk, texts=texts),
                partial(
                    receipt_put_on_file,
                    actor=cast.assistant,
                    receipt_id=receipt.pk,
                    file_id=file.pk,
                ),
            ]
        )
        page = Entry.objects.get(key=f"page:r{receipt.pk}:d{scan.pk}:1")
        assert page.file_id == file.pk, f"round {round_}: the page is not on the file"
        assert "پاکستان" in page.body
        assert Entry.objects.get(key=f"receipt:{receipt.pk}").file_id == file.pk
    assert reindex_all(check=True).drift == 0
