"""A certificate authority, a blank letter to sign, and poppler's ``pdfsig`` with a trust
store that holds one CA."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfWriter

from tests.cast import Cast


def tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is not installed (Debian: poppler-utils, libnss3-tools)"
    return path


def blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def letter() -> bytes:
    return blank_pdf()


def signed_letter(cast: Cast, pdf: bytes, token: str = "tok-1") -> bytes:  # noqa: S107
    from daftar.signing.api import pdf_sign

    return pdf_sign(
        person=cast.secretary,
        post=cast.secretary_post,
        pdf=pdf,
        reason="Approved reply",
        token=token,
        title="Construction of small dams",
        classification=0,
    )


def nss_db(tmp: Path, ca_der: bytes, crl_der: bytes | None = None) -> str:
    """An NSS database trusting ``ca_der`` (and knowing its CRL) for ``pdfsig -nssdir``."""
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "ca.der").write_bytes(ca_der)
    where = f"sql:{tmp}"
    run = [tool("certutil"), "-N", "--empty-password", "-d", where]
    subprocess.run(run, check=True, capture_output=True)  # noqa: S603
    ca_file = str(tmp / "ca.der")
    add = [tool("certutil"), "-A", "-n", "daftar", "-t", "CT,C,C", "-i", ca_file, "-d", where]
    subprocess.run(add, check=True, capture_output=True)  # noqa: S603
    if crl_der is not None:
        (tmp / "ca.crl").write_bytes(crl_der)
        load = [tool("crlutil"), "-I", "-i", str(tmp / "ca.crl"), "-d", where]
        subprocess.run(load, check=True, capture_output=True)  # noqa: S603
    return where


def pdfsig(pdf: bytes, nssdir: str, tmp: Path) -> str:
    path = tmp / "letter.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(  # noqa: S603
        [tool("pdfsig"), "-nssdir", nssdir, str(path)], capture_output=True, text=True, check=False
    )
    return result.stdout + result.stderr
