"""Drafts on the cast's file, made through the real services."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from daftar.drafting.models import AddresseeKind, AddresseeRole, Draft, DraftKind
from daftar.drafting.services import AddresseeInput, draft_create
from daftar.files.models import File
from daftar.org.models import User
from tests.accounts.helpers import sign_in
from tests.cast import Cast

BODY = (
    "<p>I am directed to refer to your letter on the subject cited above and to say that "
    "the <strong>Development Wing</strong> has no objection to the release of funds.</p>"
    "<ol><li>Phase I: Rs. 20 million</li><li>Phase II: Rs. 35 million</li></ol>"
)
URDU_BODY = (
    "<p>مجھے ہدایت ہوئی ہے کہ آپ کے خط کے حوالے سے عرض کروں کہ ترقیاتی ونگ کو فنڈز کے اجرا "
    "پر کوئی اعتراض نہیں ہے۔</p>"  # noqa: RUF001  # the Urdu full stop
)


def to_finance(cast: Cast) -> AddresseeInput:
    """The Finance Division (the outsider's organisation), as an internal addressee."""
    finance = cast.outsider_post.unit.parent
    assert finance is not None
    return AddresseeInput(kind=AddresseeKind.INTERNAL, organisation_id=finance.pk)


def to_outside(name: str = "The Chairman", email: str = "chairman@wapda.gov.pk") -> AddresseeInput:
    return AddresseeInput(
        kind=AddresseeKind.EXTERNAL,
        role=AddresseeRole.COPY,
        name=name,
        address="WAPDA House\nLahore",
        email=email,
    )


def new_draft(cast: Cast, file: File, actor: User | None = None, **given: Any) -> Draft:
    values: dict[str, Any] = {
        "kind": DraftKind.LETTER,
        "language": "en",
        "classification": 0,
        "subject": "Release of funds for small dams",
        "body": BODY,
        "references": "Planning Commission letter No. PC-12/2026 dated 2 March 2026",
        "enclosures": "Statement of expenditure\nPC-I of the scheme",
        "addressees": [to_finance(cast), to_outside()],
    }
    values.update(given)
    return draft_create(actor=actor or cast.assistant, file_id=file.pk, **values)


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def pdf_fonts(pdf: bytes) -> set[str]:
    fonts: set[str] = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources = page["/Resources"].get_object()
        assert isinstance(resources, DictionaryObject)
        table = resources["/Font"].get_object()
        assert isinstance(table, DictionaryObject)
        for font in table.values():
            described = font.get_object()
            assert isinstance(described, DictionaryObject)
            fonts.add(str(described["/BaseFont"]))
    return fonts


@pytest.fixture
def login(db: None) -> Callable[[User], Client]:
    """A test client logged in as ``user`` (second factor included where required)."""

    def make(user: User) -> Client:
        return sign_in(Client(), user)

    return make


@pytest.fixture
def draft(cast: Cast, file: File) -> Draft:
    return new_draft(cast, file)
