"""``daftar pki`` and ``daftar verify``: what they print and their exit codes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfWriter

from daftar.audit.models import AuditEvent
from daftar.signing import api
from daftar.signing.models import Certificate, CertificateKind, RevocationList
from tests.cast import Cast
from tests.signing.conftest import signed_letter
from tests.signing.test_validation import one_byte_changed


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=out)
    return out.getvalue()


def exit_code(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=out)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_init_once(db: None) -> None:
    out = run("pki", "init", "--name", "Daftar CA test")
    assert "BEGIN CERTIFICATE" in out and "/pki/ca.crl" in out
    assert RevocationList.objects.count() == 1
    with pytest.raises(CommandError, match="already has a certificate authority"):
        run("pki", "init")
    assert Certificate.objects.filter(kind=CertificateKind.CA).count() == 1


def test_issue_renew_revoke_crl(cast: Cast, tmp_path: Path) -> None:
    run("pki", "init")
    out = run("pki", "issue", "--person", cast.secretary.email)
    assert "personal certificate" in out and cast.secretary.full_name in out
    assert run("pki", "issue", "--person", cast.secretary.email) == out  # already live
    run("pki", "issue", "--organisation", cast.division.code)
    first = Certificate.objects.get(kind=CertificateKind.PERSONAL, person=cast.secretary)

    run("pki", "renew", "--person", cast.secretary.email)
    first.refresh_from_db()
    assert first.revocation_reason == "superseded"
    live = Certificate.objects.filter(person=cast.secretary, revoked_at__isnull=True)
    assert live.count() == 1

    seal = Certificate.objects.get(kind=CertificateKind.SEAL)
    out = run("pki", "revoke", seal.serial, "--reason", "cessationOfOperation")
    assert "revoked" in out
    assert AuditEvent.objects.filter(action="certificate.revoke", object_id=str(seal.pk))
    with pytest.raises(CommandError, match="already revoked"):
        run("pki", "revoke", seal.serial, "--reason", "keyCompromise")
    with pytest.raises(CommandError, match="No person"):
        run("pki", "revoke", "abcdef", "--reason", "keyCompromise")

    out = run("pki", "crl", "--out", str(tmp_path / "ca.crl"))
    from cryptography import x509

    crl = x509.load_der_x509_crl((tmp_path / "ca.crl").read_bytes())
    revoked = {format(entry.serial_number, "x") for entry in crl}
    assert revoked == {first.serial, seal.serial}


def test_issue_for_unknown_people_and_before_init(cast: Cast) -> None:
    with pytest.raises(CommandError, match="pki init"):
        run("pki", "issue", "--person", cast.secretary.email)
    run("pki", "init")
    with pytest.raises(CommandError, match="no person"):
        run("pki", "issue", "--person", "nobody@mowr.gov.pk")
    with pytest.raises(CommandError, match="no organisation"):
        run("pki", "issue", "--organisation", "NOPE")


def test_verify_exit_codes(cast: Cast, tmp_path: Path) -> None:
    run("pki", "init")
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    blank = io.BytesIO()
    writer.write(blank)
    signed = signed_letter(cast, blank.getvalue())
    good, bad, text = tmp_path / "good.pdf", tmp_path / "bad.pdf", tmp_path / "t.pdf"
    good.write_bytes(signed)
    bad.write_bytes(one_byte_changed(signed))
    text.write_bytes(b"hello")

    code, out = exit_code("verify", str(good))
    assert code == 0 and "OK:" in out and cast.secretary.full_name in out and "tok-1" in out
    code, out = exit_code("verify", str(bad))
    assert code == 1 and "intact:             NO" in out and "FAILED" in out
    code, out = exit_code("verify", str(text))
    assert code == 2 and "not a PDF" in out
    code, out = exit_code("verify", str(tmp_path / "missing.pdf"))
    assert code == 2 and "cannot be read" in out
    code, out = exit_code("verify", str(_unsigned(tmp_path, blank.getvalue())))
    assert code == 1 and "no digital signature" in out
    assert api.pdf_verify(signed).ok


def _unsigned(tmp_path: Path, pdf: bytes) -> Path:
    path = tmp_path / "unsigned.pdf"
    path.write_bytes(pdf)
    return path
