"""The instance's certificate authority: one root, the certificates it issues, the CRL.

Keys are RSA: the CA 3072 bits, people and organisations 2048 bits, which both pyHanko and
poppler's ``pdfsig`` (NSS) verify and which sign in about a millisecond. Every issued
certificate names the CRL at ``DAFTAR_PUBLIC_URL/pki/ca.crl``.
"""

from __future__ import annotations

import datetime as dt
import functools

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from daftar.lib import clock
from daftar.lib.errors import Conflict, InvalidInput
from daftar.signing import keystore
from daftar.signing.models import Certificate, CertificateKind, RevocationList

CA_KEY_BITS = 3072
KEY_BITS = 2048
CA_YEARS = 20
CERT_YEARS = 3
CRL_DAYS = 7
# A CRL older than this is re-issued when it is next asked for, so the published one always
# has days to run before its next-update.
CRL_FRESH = dt.timedelta(days=1)
BACKDATE = dt.timedelta(hours=1)  # tolerate clocks a little behind ours


def crl_url() -> str:
    return f"{settings.PUBLIC_URL}/pki/ca.crl"


def ca_url() -> str:
    return f"{settings.PUBLIC_URL}/pki/ca.crt"


def _start() -> dt.datetime:
    return min(clock.now(), timezone.now()) - BACKDATE


def ca_record() -> Certificate | None:
    return Certificate.objects.filter(kind=CertificateKind.CA).first()


def ca_required() -> Certificate:
    record = ca_record()
    if record is None:
        raise InvalidInput(
            "This instance has no certificate authority yet: run `daftar pki init` first."
        )
    return record


def certificate_of(record: Certificate) -> x509.Certificate:
    return _load_cert(bytes(record.der))


@functools.lru_cache(maxsize=512)
def _load_cert(der: bytes) -> x509.Certificate:
    return x509.load_der_x509_certificate(der)


@functools.lru_cache(maxsize=256)
def _load_key(serial: str, sealed: bytes) -> rsa.RSAPrivateKey:
    # Keyed by the sealed bytes too: a re-sealed key (KEK rotation) is loaded afresh.
    key = serialization.load_der_private_key(keystore.unseal(sealed, serial=serial), None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise keystore.KeyUnavailable(f"certificate {serial} does not hold an RSA key")
    return key


def private_key_of(record: Certificate) -> rsa.RSAPrivateKey:
    return _load_key(record.serial, bytes(record.key_sealed))


def _pkcs8(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def ca_init(*, name: str) -> Certificate:
    """Make the root key and self-signed certificate; refuse when a CA exists."""
    with transaction.atomic(durable=True):
        if Certificate.objects.select_for_update().filter(kind=CertificateKind.CA).exists():
            raise Conflict(
                "This instance already has a certificate authority; it is never replaced, "
                "as every signature made so far chains to it."
            )
        key = rsa.generate_private_key(public_exponent=65537, key_size=CA_KEY_BITS)
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, name),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Daftar"),
            ]
        )
        start = _start()
        public = key.public_key()
        cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(public)
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(start + dt.timedelta(days=365 * CA_YEARS))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_usage(ca=True), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
            .sign(key, hashes.SHA256())
        )
        record = _store(cert, key, kind=CertificateKind.CA)
        crl_issue()
        return record


def _usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=not ca,  # non-repudiation: what pyHanko asks of a signer
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _store(
    cert: x509.Certificate, key: rsa.RSAPrivateKey, *, kind: str, **owner: object
) -> Certificate:
    serial = format(cert.serial_number, "x")
    return Certificate.objects.create(
        serial=serial,
        kind=kind,
        subject=cert.subject.rfc4514_string(),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        der=cert.public_bytes(serialization.Encoding.DER),
        key_sealed=keystore.seal(_pkcs8(key), serial=serial),
        **owner,
    )


def issue(*, kind: str, subject: x509.Name, email: str = "", **owner: object) -> Certificate:
    """A new end-entity certificate and key, inside the caller's transaction."""
    ca = ca_required()
    ca_cert, ca_key = certificate_of(ca), private_key_of(ca)
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    start = _start()
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(min(start + dt.timedelta(days=365 * CERT_YEARS), ca.not_after))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(ca=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        [x509.UniformResourceIdentifier(crl_url())], None, None, None
                    )
                ]
            ),
            critical=False,
        )
    )
    if email:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False
        )
    cert = builder.sign(ca_key, hashes.SHA256())
    return _store(cert, key, kind=kind, **owner)


_REASONS = {
    "unspecified": x509.ReasonFlags.unspecified,
    "keyCompromise": x509.ReasonFlags.key_compromise,
    "affiliationChanged": x509.ReasonFlags.affiliation_changed,
    "superseded": x509.ReasonFlags.superseded,
    "cessationOfOperation": x509.ReasonFlags.cessation_of_operation,
}


def crl_issue() -> RevocationList:
    """Sign a new CRL listing every revoked certificate (inside the caller's transaction)."""
    ca = ca_required()
    ca_cert, ca_key = certificate_of(ca), private_key_of(ca)
    last = RevocationList.objects.select_for_update().order_by("-number").first()
    number = (last.number if last else 0) + 1
    now = timezone.now()
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca_cert.subject)
        .last_update(now - BACKDATE)
        .next_update(now + dt.timedelta(days=CRL_DAYS))
        .add_extension(x509.CRLNumber(number), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
    )
    revoked = Certificate.objects.filter(revoked_at__isnull=False).exclude(kind="ca")
    for record in revoked.order_by("revoked_at"):
        assert record.revoked_at is not None  # noqa: S101 -- the filter above
        entry = (
            x509.RevokedCertificateBuilder()
            .serial_number(int(record.serial, 16))
            .revocation_date(record.revoked_at)
            .add_extension(x509.CRLReason(_REASONS[record.revocation_reason]), critical=False)
            .build()
        )
        builder = builder.add_revoked_certificate(entry)
    crl = builder.sign(ca_key, hashes.SHA256())
    return RevocationList.objects.create(
        number=number,
        issued_at=now,
        next_update=now + dt.timedelta(days=CRL_DAYS),
        der=crl.public_bytes(serialization.Encoding.DER),
    )


def crl_current() -> bytes:
    """The DER of the newest CRL, re-issued first when it is getting old."""
    latest = RevocationList.objects.order_by("-number").first()
    if latest is None or timezone.now() - latest.issued_at > CRL_FRESH:
        with transaction.atomic():
            latest = crl_issue()
    return bytes(latest.der)
