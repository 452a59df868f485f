"""Signatures checked by pyHanko's validator (pdf_verify) and, independently, by poppler's
``pdfsig`` (NSS): valid, one byte changed, revoked, and another instance's root."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from daftar.lib import clock
from daftar.signing import api, ca, certs
from daftar.signing.models import Certificate
from tests.cast import Cast
from tests.signing.conftest import nss_db, pdfsig, signed_letter
from tests.signing.foreign import foreign_ca, foreign_sign


def sealed_letter(cast: Cast, letter: bytes) -> bytes:
    signed = signed_letter(cast, letter, token="t-1")
    return api.pdf_seal(organisation=cast.division, pdf=signed, reason="Issued", token="t-1")


def one_byte_changed(pdf: bytes) -> bytes:
    """Flip one bit inside the signed page content (the MediaBox numbers)."""
    tampered = bytearray(pdf)
    at = pdf.index(b"/MediaBox") + 12
    tampered[at] ^= 0x01
    return bytes(tampered)


def test_valid(cast: Cast, authority: Certificate, letter: bytes, tmp_path: Path) -> None:
    pdf = sealed_letter(cast, letter)

    assert api.pdf_verify(pdf).ok
    out = pdfsig(pdf, nss_db(tmp_path / "nss", bytes(authority.der)), tmp_path)
    assert out.count("Signature is Valid.") == 2, out
    assert out.count("Certificate is Trusted.") == 2, out
    assert "Signer Certificate Common Name: Nadia Rahman" in out
    assert out.count("Not total document signed") == 1, out  # only the first: the seal follows


def test_one_byte_changed(
    cast: Cast, authority: Certificate, letter: bytes, tmp_path: Path
) -> None:
    pdf = one_byte_changed(sealed_letter(cast, letter))

    report = api.pdf_verify(pdf)
    assert not report.ok
    assert [s.intact for s in report.signatures] == [False, False]
    out = pdfsig(pdf, nss_db(tmp_path / "nss", bytes(authority.der)), tmp_path)
    assert out.count("Digest Mismatch.") == 2, out
    assert "Signature is Valid." not in out


def test_revoked_for_key_compromise(
    cast: Cast, authority: Certificate, letter: bytes, tmp_path: Path
) -> None:
    pdf = sealed_letter(cast, letter)
    personal = certs.personal_certificate(cast.secretary)
    certs.revoke(serial=personal.serial, reason="keyCompromise")

    report = api.pdf_verify(pdf)
    signature, seal = report.signatures
    assert signature.revoked and signature.revoked_at is not None
    assert not signature.valid_at_signing and not report.ok
    assert seal.ok  # the e-seal's own certificate is untouched
    where = nss_db(tmp_path / "nss", bytes(authority.der), crl_der=ca.crl_current())
    out = pdfsig(pdf, where, tmp_path)
    personal_part = out.split("Signature #2")[0]
    assert "Certificate has been Revoked." in personal_part, out
    assert "Certificate is Trusted." in out.split("Signature #2")[1]


def test_revoked_after_signing_as_superseded_stays_valid(
    cast: Cast, authority: Certificate, letter: bytes
) -> None:
    pdf = sealed_letter(cast, letter)
    # The old certificate is revoked as superseded, a little later: the CRL and the signing
    # time count whole seconds, and a revocation in the signing's own second is not "after".
    with clock.frozen_at(timezone.now() + dt.timedelta(seconds=2)):
        certs.renew_person(cast.secretary)

    signature = api.pdf_verify(pdf).signatures[0]
    assert signature.revoked and signature.revocation_reason == "superseded"
    assert signature.valid_at_signing
    assert api.pdf_verify(pdf).ok


def test_other_instances_root_is_not_trusted(
    cast: Cast, authority: Certificate, letter: bytes, tmp_path: Path
) -> None:
    other = foreign_ca()
    theirs = foreign_sign(letter, other)
    ours = sealed_letter(cast, letter)

    report = api.pdf_verify(theirs)
    assert report.signatures[0].intact and not report.signatures[0].trusted
    assert not report.ok
    out = pdfsig(theirs, nss_db(tmp_path / "ours", bytes(authority.der)), tmp_path)
    assert "Signature is Valid." in out and "Certificate is Trusted." not in out, out
    # And our letter, checked by someone who trusts only the other root: untrusted too.
    out = pdfsig(ours, nss_db(tmp_path / "theirs", other.ca_der), tmp_path)
    assert "Certificate is Trusted." not in out and "Signature is Valid." in out, out


@pytest.mark.parametrize("reason", ["keyCompromise", "cessationOfOperation"])
def test_signing_with_a_revoked_certificate_is_impossible(
    cast: Cast, authority: Certificate, letter: bytes, reason: str
) -> None:
    old = certs.personal_certificate(cast.secretary)
    certs.revoke(serial=old.serial, reason=reason)

    signed = signed_letter(cast, letter)  # a new certificate is issued on the next use

    new = certs.personal_certificate(cast.secretary)
    assert new.serial != old.serial
    assert api.pdf_verify(signed).ok
