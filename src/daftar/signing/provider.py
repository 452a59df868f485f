"""Who holds the keys: a small Protocol, and the instance's own CA as the one provider.

An external provider (a national CA's remote signing service, a hardware module) implements
``SignatureProvider`` and is returned by ``provider()``; the rest of Daftar never touches a
key. The default signs with pyHanko (PAdES baseline B-B, SHA-256, an invisible field: the
fair copy prints the signer block itself) and embeds the current CRL in the signature.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import Any, Protocol

from asn1crypto import crl as asn1_crl
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.signers.pdf_signer import DSSContentSettings, SigDSSPlacementPreference
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from daftar.org.models import OrgUnit, User
from daftar.signing import ca
from daftar.signing.certs import personal_certificate, seal_certificate
from daftar.signing.models import Certificate, CertificateKind

DATA_ALGORITHM = "rsa-pkcs1v15-sha256"


@dataclass(frozen=True)
class SignedPdf:
    pdf: bytes
    certificate_serial: str
    kind: str  # CertificateKind: personal or seal
    value_sha256: str  # SHA-256 of the signature value: finds the record again on upload


@dataclass(frozen=True)
class DataSignature:
    certificate_serial: str
    algorithm: str
    value: bytes


class SignatureProvider(Protocol):
    def pdf_sign_personal(
        self, *, person: User, pdf: bytes, reason: str, location: str
    ) -> SignedPdf: ...

    def pdf_sign_seal(
        self, *, organisation: OrgUnit, pdf: bytes, reason: str, location: str
    ) -> SignedPdf: ...

    def data_sign(self, *, person: User, data: bytes) -> DataSignature: ...


class InstanceCAProvider:
    """Keys held by this instance, sealed at rest, certified by its own CA."""

    def pdf_sign_personal(
        self, *, person: User, pdf: bytes, reason: str, location: str
    ) -> SignedPdf:
        record = personal_certificate(person)
        return _pades(record, pdf=pdf, reason=reason, location=location, name=person.full_name)

    def pdf_sign_seal(
        self, *, organisation: OrgUnit, pdf: bytes, reason: str, location: str
    ) -> SignedPdf:
        record = seal_certificate(organisation)
        return _pades(record, pdf=pdf, reason=reason, location=location, name=organisation.name)

    def data_sign(self, *, person: User, data: bytes) -> DataSignature:
        record = personal_certificate(person)
        value = ca.private_key_of(record).sign(data, padding.PKCS1v15(), hashes.SHA256())
        return DataSignature(record.serial, DATA_ALGORITHM, value)


def provider() -> SignatureProvider:
    return InstanceCAProvider()


def _field_name(reader: PdfFileReader, kind: str) -> str:
    taken = {sig.field_name for sig in reader.embedded_signatures}
    base = "Seal" if kind == CertificateKind.SEAL else "Signature"
    number = 1
    while f"{base}{number}" in taken:
        number += 1
    return f"{base}{number}"


class _LoadedKeySigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner parses the private key again for every raw signature, and
    cryptography checks an RSA key on each parse: most of the time of a signature. This one
    signs with the key already loaded (and cached by ``ca.private_key_of``)."""

    def __init__(self, *, key: rsa.RSAPrivateKey, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._key = key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        if mechanism != "rsassa_pkcs1v15" or digest_algorithm != "sha256":
            return super().sign_raw(data, digest_algorithm)  # not what we sign with
        return self._key.sign(data, padding.PKCS1v15(), hashes.SHA256())


def _pades(record: Certificate, *, pdf: bytes, reason: str, location: str, name: str) -> SignedPdf:
    authority = ca.ca_required()
    key = ca.private_key_of(record)
    key_der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    ca_cert = asn1_x509.Certificate.load(bytes(authority.der))
    signer = _LoadedKeySigner(
        key=key,
        signing_cert=asn1_x509.Certificate.load(bytes(record.der)),
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore.from_certs([ca_cert]),  # type: ignore[no-untyped-call]
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    # The CRL goes into the document security store: the copy carries the revocation status
    # at signing time, and a revoked or foreign certificate fails here, before signing.
    crl = asn1_crl.CertificateList.load(ca.crl_current())
    context = ValidationContext(trust_roots=[ca_cert], crls=[crl], allow_fetching=False)
    meta = signers.PdfSignatureMetadata(
        field_name=_field_name(writer.prev, record.kind),
        reason=reason,
        location=location,
        name=name,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        embed_validation_info=True,
        validation_context=context,
        # In the signed revision itself, so the last signature still covers the whole file.
        dss_settings=DSSContentSettings(
            placement=SigDSSPlacementPreference.TOGETHER_WITH_SIGNATURE, include_vri=False
        ),
    )
    pdf_signer = signers.PdfSigner(meta, signer=signer)
    out = pdf_signer.sign_pdf(writer)
    signed = out.getvalue()
    value = PdfFileReader(io.BytesIO(signed), strict=False).embedded_signatures[-1]
    digest = hashlib.sha256(value.signer_info["signature"].native).hexdigest()
    return SignedPdf(signed, record.serial, record.kind, digest)
