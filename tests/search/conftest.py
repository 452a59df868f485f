"""Papers to find, made through the real services and indexed by the real indexer
(``search.indexing.index``), as the services' transactions do."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from daftar.documents.models import DocumentPage
from daftar.drafting.models import Draft
from daftar.files.correspondence import receipt_put_on_file
from daftar.files.models import File, Note
from daftar.files.services import file_open, note_record_final
from daftar.org.models import Post, User
from daftar.receipts.models import Receipt, Sender
from daftar.receipts.services import sender_create
from daftar.search.indexing import index
from tests.cast import Cast
from tests.drafting.conftest import new_draft
from tests.receipts.conftest import register, upload


@pytest.fixture(autouse=True)
def own_blobs(blob_root: Path) -> Path:
    return blob_root


def open_file(
    cast: Cast, subject: str, *, actor: User | None = None, post: Post | None = None, **kw: object
) -> File:
    actor = actor or cast.assistant
    post = post or cast.assistant_post
    found = file_open(actor=actor, post_id=post.pk, subject=subject, **kw)  # type: ignore[arg-type]
    index("file", [found.pk])
    return found


def note(file: File, body: str, *, actor: User, post: Post) -> Note:
    """A final note (as a send makes it), indexed."""
    with transaction.atomic():
        written = note_record_final(actor=actor, file=file, post=post, body=body)
    index("note", [written.pk])
    return written


def receipt(
    cast: Cast,
    sender: Sender,
    *,
    subject: str,
    pages: Sequence[str] = (),
    to: Post | None = None,
    **kw: object,
) -> Receipt:
    """A receipt diarised at the Central Registry (sent on to ``to``), its one document's
    pages read as ``pages``, indexed."""
    document = upload(cast.registry_clerk)
    document.page_count = max(1, len(pages))
    document.save(update_fields=["page_count"])
    DocumentPage.objects.bulk_create(
        DocumentPage(document=document, number=n, text=text) for n, text in enumerate(pages, 1)
    )
    if to is not None:
        kw["send_to_post_id"] = to.pk
    found = register(cast, sender, subject=subject, document_ids=[document.pk], **kw)
    index("receipt", [found.pk])
    return found


def put_on(actor: User, found: Receipt, file: File) -> None:
    receipt_put_on_file(actor=actor, receipt_id=found.pk, file_id=file.pk)
    index("receipt", [found.pk])
    index("file", [file.pk])


def draft(cast: Cast, file: File, **given: Any) -> Draft:
    made = new_draft(cast, file, **given)
    index("draft", [made.pk])
    return made


@pytest.fixture
def sender(cast: Cast) -> Sender:
    return sender_create(
        actor=cast.registry_clerk,
        organisation="WAPDA",
        name="Abdul Rehman",
        designation="Chief Engineer (Dams)",
        email="ce.dams@wapda.gov.pk",
    )


def day(n: int) -> dt.date:
    return dt.date(2026, 1, n)
