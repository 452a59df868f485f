"""Checking the signatures of a PDF against this instance's CA, and nothing else.

Per signature: *intact* (the signed bytes hash to what was signed), *trusted* (the
certificate chains to this instance's root and was within its validity at the time of
signing; another instance's or a self-made certificate is not), *revoked* (listed on the
current CRL, with the date), *valid at signing* (intact, trusted, and either not revoked or
revoked after the signing time for a reason other than key compromise — a compromised key
could have made the signature at any time, and the signing time is the signer's own clock),
and *covers the whole file* (nothing but further signatures was added after it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
from dataclasses import dataclass, field, replace
from typing import Literal

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from django.conf import settings
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from daftar.signing import ca
from daftar.signing.models import Certificate, CertificateKind, SignatureRecord

log = logging.getLogger(__name__)

Kind = Literal["personal", "seal"]
# Adding a signature (a form field) after an earlier one is allowed; anything more is not.
ALLOWED_AFTER = {
    ModificationLevel.NONE,
    ModificationLevel.LTA_UPDATES,
    ModificationLevel.FORM_FILLING,
}


@dataclass(frozen=True)
class SignatureReport:
    signer: str
    organisation: str
    kind: Kind
    signed_at: dt.datetime | None
    intact: bool
    trusted: bool
    revoked: bool
    revoked_at: dt.datetime | None
    valid_at_signing: bool
    covers_whole_file: bool
    token: str | None
    revocation_reason: str = ""

    @property
    def ok(self) -> bool:
        return self.intact and self.trusted and self.valid_at_signing and self.covers_whole_file


@dataclass(frozen=True)
class VerificationReport:
    signatures: list[SignatureReport]
    ok: bool
    summary: str
    readable: bool = True  # False: not a PDF we could read (the CLI exits 2)
    sha256: str = ""
    problems: list[str] = field(default_factory=list)


def unreadable(message: str) -> VerificationReport:
    return VerificationReport(signatures=[], ok=False, summary=message, readable=False)


def pdf_verify(pdf: bytes, *, max_bytes: int | None = None) -> VerificationReport:
    limit = max_bytes or settings.VERIFY_MAX_BYTES
    if len(pdf) > limit:
        return unreadable(f"The file is larger than {limit // (1024 * 1024)} MB.")
    if b"%PDF-" not in pdf[:1024]:
        return unreadable("This is not a PDF file.")
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        if reader.encrypted:
            return unreadable("The PDF is encrypted; a signed letter from Daftar never is.")
        embedded = list(reader.embedded_signatures)
    except (PdfError, ValueError, KeyError, TypeError, IndexError, OSError) as exc:
        log.info("unreadable PDF offered for verification: %s", exc)
        return unreadable("The PDF is damaged and cannot be read.")
    digest = hashlib.sha256(pdf).hexdigest()
    if not embedded:
        return VerificationReport([], False, "The PDF carries no digital signature.", sha256=digest)
    reports = [_check(sig) for sig in embedded]
    last_covers_all = reports[-1].covers_whole_file
    reports = [_with_tail(r, last_covers_all) for r in reports]
    ok = all(r.ok for r in reports)
    return VerificationReport(reports, ok, _summary(reports, ok), sha256=digest)


def _with_tail(report: SignatureReport, last_covers_all: bool) -> SignatureReport:
    # An earlier signature followed only by signatures covers the file only if the last
    # signature does: something appended after the last one is after every one of them.
    if report.covers_whole_file and not last_covers_all:
        return replace(report, covers_whole_file=False)
    return report


def _summary(reports: list[SignatureReport], ok: bool) -> str:
    count = len(reports)
    noun = "signature" if count == 1 else "signatures"
    if ok:
        return f"All {count} {noun} verified: intact, made with certificates of this instance."
    return f"{count} {noun} checked: at least one did not verify; see each one."


def _context(moment: dt.datetime | None) -> ValidationContext:
    authority = ca.ca_record()
    roots = [asn1_x509.Certificate.load(bytes(authority.der))] if authority else []
    return ValidationContext(
        trust_roots=roots,
        allow_fetching=False,
        revocation_mode="soft-fail",  # revocation is judged below from the instance's CRL
        moment=moment,
    )


def _check(sig: EmbeddedPdfSignature) -> SignatureReport:
    signed_at = sig.self_reported_timestamp
    try:
        status = validate_pdf_signature(
            sig,
            signer_validation_context=_context(signed_at),
            key_usage_settings=KeyUsageConstraints(key_usage={"non_repudiation"}),
        )
    except Exception:  # a malformed signature is reported as broken, never raised
        log.info("signature %s could not be validated", sig.field_name, exc_info=True)
        return _broken(sig, signed_at)
    cert = x509.load_der_x509_certificate(sig.signer_cert.dump())
    revoked_at, reason = _revocation(cert) if status.trusted else (None, "")
    valid = status.trusted and (
        revoked_at is None
        or (reason != "keyCompromise" and signed_at is not None and revoked_at > signed_at)
    )
    return SignatureReport(
        signer=_name(cert.subject, x509.NameOID.COMMON_NAME),
        organisation=_name(cert.subject, x509.NameOID.ORGANIZATION_NAME),
        kind=_kind(cert, trusted=status.trusted),
        signed_at=signed_at,
        intact=status.intact and status.valid,
        trusted=status.trusted,
        revoked=revoked_at is not None,
        revoked_at=revoked_at,
        valid_at_signing=valid,
        covers_whole_file=_covers(status),
        token=_token(sig),
        revocation_reason=reason,
    )


def _broken(sig: EmbeddedPdfSignature, signed_at: dt.datetime | None) -> SignatureReport:
    return SignatureReport(
        signer="(unreadable signature)",
        organisation="",
        kind="personal",
        signed_at=signed_at,
        intact=False,
        trusted=False,
        revoked=False,
        revoked_at=None,
        valid_at_signing=False,
        covers_whole_file=False,
        token=None,
    )


def _covers(status: PdfSignatureStatus) -> bool:
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return True
    return (
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and status.modification_level in ALLOWED_AFTER
        and bool(status.docmdp_ok)
    )


def _name(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def _kind(cert: x509.Certificate, *, trusted: bool) -> Kind:
    serial = format(cert.serial_number, "x")
    if trusted:
        kind = Certificate.objects.filter(serial=serial).values_list("kind", flat=True).first()
        if kind in (CertificateKind.PERSONAL, CertificateKind.SEAL):
            return "seal" if kind == CertificateKind.SEAL else "personal"
    # Not ours: a personal certificate names a mailbox, an e-seal does not.
    return "personal" if _name(cert.subject, x509.NameOID.EMAIL_ADDRESS) else "seal"


_CRL_REASON_NAMES = {
    x509.ReasonFlags.key_compromise: "keyCompromise",
    x509.ReasonFlags.superseded: "superseded",
    x509.ReasonFlags.cessation_of_operation: "cessationOfOperation",
    x509.ReasonFlags.affiliation_changed: "affiliationChanged",
    x509.ReasonFlags.unspecified: "unspecified",
}


def _revocation(cert: x509.Certificate) -> tuple[dt.datetime | None, str]:
    """When and why the instance's current CRL says ``cert`` was revoked."""
    crl = x509.load_der_x509_crl(ca.crl_current())
    entry = crl.get_revoked_certificate_by_serial_number(cert.serial_number)
    if entry is None:
        return None, ""
    try:
        flag = entry.extensions.get_extension_for_class(x509.CRLReason).value.reason
    except x509.ExtensionNotFound:
        flag = x509.ReasonFlags.unspecified
    return entry.revocation_date_utc, _CRL_REASON_NAMES.get(flag, flag.value)


def _token(sig: EmbeddedPdfSignature) -> str | None:
    digest = hashlib.sha256(sig.signer_info["signature"].native).hexdigest()
    record = SignatureRecord.objects.filter(value_sha256=digest).select_related("document")
    found = record.first()
    return found.document.token if found is not None and found.document is not None else None
