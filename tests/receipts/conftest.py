"""Fixtures for receipts: uploads, a sender, and a receipt diarised at the Central Registry.

Documents are made as rows here, the way the documents services store them (the bytes and
their checks are that app's business; a receipt only links to the stored document)."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools

import pytest

from daftar.documents.models import Document
from daftar.lib import clock
from daftar.org.models import User
from daftar.receipts.diary import receipt_register
from daftar.receipts.models import Mode, Receipt, Sender
from tests.cast import Cast

_counter = itertools.count(1)


def upload(person: User, name: str = "letter.pdf") -> Document:
    """A document ``person`` uploaded (as ``daftar.documents`` stores one)."""
    content = f"{name}-{next(_counter)}".encode()
    return Document.objects.create(
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        content_type="application/pdf",
        original_name=name,
        page_count=1,
        uploaded_by=person,
        uploaded_at=clock.now(),
    )


def today() -> dt.date:
    return clock.now().date()


def register(cast: Cast, sender: Sender, **kw: object) -> Receipt:
    """The registry clerk diarises an electronic receipt (a fresh upload unless told)."""
    fields: dict[str, object] = {
        "subject": "Release of funds for Satpara dam",
        "received_on": today(),
        "mode": Mode.POST,
        "letter_number": "F.4(12)/2026-Dev",
    }
    fields.update(kw)
    if not fields.get("is_physical") and "document_ids" not in fields:
        fields["document_ids"] = [upload(cast.registry_clerk).pk]
    return receipt_register(
        actor=cast.registry_clerk,
        post_id=cast.registry_post.pk,
        sender_id=sender.pk,
        **fields,  # type: ignore[arg-type]
    )


@pytest.fixture
def receipt(cast: Cast, sender: Sender) -> Receipt:
    return register(cast, sender)
