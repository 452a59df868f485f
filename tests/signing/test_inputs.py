"""pdf_verify on what the public may upload: never an exception, always a plain answer."""

from __future__ import annotations

import io

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pypdf import PdfWriter
from pytest_django.fixtures import Settings

from daftar.signing import api
from tests.cast import Cast
from tests.signing.conftest import signed_letter

pytestmark = pytest.mark.usefixtures("authority")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not a PDF"),
        (b"GIF89a....", "not a PDF"),
        (b"%PDF-1.7\n garbage without structure", "damaged"),
        (b"%PDF-1.4\n" + b"\x00" * 5000, "damaged"),
    ],
)
def test_unreadable(data: bytes, message: str) -> None:
    report = api.pdf_verify(data)
    assert not report.readable and not report.ok and message in report.summary


def test_too_large(settings: Settings, letter: bytes) -> None:
    settings.VERIFY_MAX_BYTES = 100
    assert "larger than" in api.pdf_verify(letter).summary


def test_encrypted() -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    assert "encrypted" in api.pdf_verify(out.getvalue()).summary


def test_unsigned(letter: bytes) -> None:
    report = api.pdf_verify(letter)
    assert report.readable and not report.ok and "no digital signature" in report.summary


def test_update_after_signing_is_flagged(cast: Cast, letter: bytes) -> None:
    signed = signed_letter(cast, letter)
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Rotate"] = generic.NumberObject(90)  # a visible change, not a signature
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)

    report = api.pdf_verify(out.getvalue())
    (signature,) = report.signatures
    assert signature.intact  # the signed revision itself is untouched…
    assert not signature.covers_whole_file and not report.ok  # …but the file is not it
