"""The import surface others call: signing, sealing, data signatures, tokens."""

from __future__ import annotations

import hashlib
import time
from urllib.parse import urlparse

import pytest
from pytest_django.fixtures import Settings

from daftar.audit.models import AuditEvent
from daftar.org.roles import RoleRequired
from daftar.signing import api
from daftar.signing.models import Certificate, CertificateKind, SignedDocument
from tests.cast import Cast
from tests.signing.conftest import signed_letter

pytestmark = pytest.mark.usefixtures("authority")


def test_sign_and_seal_verify_and_are_recorded(cast: Cast, letter: bytes) -> None:
    signed = signed_letter(cast, letter, token="t-1")
    sealed = api.pdf_seal(organisation=cast.division, pdf=signed, reason="Issued", token="t-1")

    report = api.pdf_verify(sealed)

    assert report.ok, report.summary
    personal, seal = report.signatures
    assert (personal.signer, personal.kind, personal.token) == (
        cast.secretary.full_name,
        "personal",
        "t-1",
    )
    assert personal.organisation == cast.division.name
    assert (seal.signer, seal.kind, seal.organisation) == (
        cast.division.name,
        "seal",
        cast.division.name,
    )
    assert all(s.intact and s.trusted and s.covers_whole_file for s in report.signatures)
    document = SignedDocument.objects.get(token="t-1")
    assert document.sha256 == hashlib.sha256(sealed).hexdigest()
    assert document.designation == cast.secretary_post.designation
    assert document.sealed_at is not None
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"document.sign", "document.seal", "certificate.issue"} <= actions


def test_certificates_issued_once_on_first_use(cast: Cast, letter: bytes) -> None:
    signed_letter(cast, letter, token="t-1")
    signed_letter(cast, letter, token="t-2")
    api.pdf_seal(organisation=cast.division, pdf=letter, reason="Export")
    api.pdf_seal(organisation=cast.division, pdf=letter, reason="Export")

    personal = Certificate.objects.filter(kind=CertificateKind.PERSONAL, person=cast.secretary)
    seals = Certificate.objects.filter(kind=CertificateKind.SEAL, organisation=cast.division)
    assert (personal.count(), seals.count()) == (1, 1)


def test_signing_needs_the_sign_permission(cast: Cast, letter: bytes) -> None:
    with pytest.raises(RoleRequired):
        api.pdf_sign(
            person=cast.assistant,
            post=cast.assistant_post,
            pdf=letter,
            reason="x",
            token="t-3",
            title="x",
            classification=0,
        )
    assert not SignedDocument.objects.exists()


def test_data_signature_round_trip_and_speed(cast: Cast) -> None:
    first = api.data_sign(person=cast.section_officer, data=b"note 1")  # issues the key
    started = time.perf_counter()
    for _ in range(20):
        again = api.data_sign(person=cast.section_officer, data=b"note 1")
    per_call = (time.perf_counter() - started) / 20

    assert per_call < 0.02, f"data_sign took {per_call * 1000:.1f} ms"
    assert again.certificate_serial == first.certificate_serial
    assert first.algorithm == "rsa-pkcs1v15-sha256"
    serial = first.certificate_serial
    assert api.data_verify(certificate_serial=serial, data=b"note 1", value=first.value)
    assert not api.data_verify(certificate_serial=serial, data=b"note 2", value=first.value)
    assert not api.data_verify(certificate_serial="abc", data=b"note 1", value=first.value)


def test_tokens_are_long_random_and_urls_absolute(settings: Settings) -> None:
    settings.PUBLIC_URL = "https://daftar.example.gov.pk"
    tokens = {api.verification_token_new() for _ in range(50)}
    assert len(tokens) == 50
    assert all(len(t) >= 22 and t.replace("-", "").replace("_", "").isalnum() for t in tokens)
    token = tokens.pop()
    url = urlparse(api.verification_url(token))
    assert (url.scheme, url.netloc, url.path) == (
        "https",
        "daftar.example.gov.pk",
        f"/verify/{token}/",
    )
