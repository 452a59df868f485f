"""The one import surface of ``daftar.signing`` for the rest of Daftar (docs/signing.md).

``pdf_sign``, ``pdf_seal`` and ``data_sign`` run inside the caller's transaction (they open
only savepoints), issue the certificate they need on first use, and write audit events.
``signer_confirm`` should be called before the caller's transaction opens, so that a wrong
secret is audited even though the caller then stops (see confirm.py).
"""

from __future__ import annotations

import hashlib
import secrets

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from daftar.audit.services import event_record
from daftar.lib import clock
from daftar.org.models import OrgUnit, Post, User
from daftar.org.roles import permission_require
from daftar.org.selectors import organisation_of
from daftar.signing import ca
from daftar.signing.confirm import signer_confirm
from daftar.signing.models import (
    Certificate,
    RevocationReason,
    SignatureRecord,
    SignedDocument,
)
from daftar.signing.provider import DataSignature, SignedPdf, provider
from daftar.signing.verify import SignatureReport, VerificationReport, pdf_verify

__all__ = [
    "DataSignature",
    "SignatureReport",
    "VerificationReport",
    "data_sign",
    "data_verify",
    "pdf_seal",
    "pdf_sign",
    "pdf_verify",
    "signer_confirm",
    "verification_token_new",
    "verification_url",
]

SIGN_PERMISSION = "files.sign_document"


def signing_ready() -> bool:
    """Whether this instance has its certificate authority yet (``daftar pki init``)."""
    return ca.ca_record() is not None


def verification_token_new() -> str:
    return secrets.token_urlsafe(24)  # 192 random bits


def verification_url(token: str) -> str:
    return settings.PUBLIC_URL + reverse("signing:verify-token", args=[token])


def _record(document: SignedDocument | None, signed: SignedPdf) -> None:
    SignatureRecord.objects.create(
        document=document,
        kind=signed.kind,
        certificate_serial=signed.certificate_serial,
        value_sha256=signed.value_sha256,
        signed_at=clock.now(),
    )


def pdf_sign(
    *,
    person: User,
    post: Post,
    pdf: bytes,
    reason: str,
    token: str,
    title: str,
    classification: int,
) -> bytes:
    permission_require(person, SIGN_PERMISSION)
    organisation = organisation_of(post.unit)
    with transaction.atomic():
        signed = provider().pdf_sign_personal(
            person=person, pdf=pdf, reason=reason, location=organisation.name
        )
        document = SignedDocument.objects.create(
            token=token,
            signer=person,
            post=post,
            organisation=organisation,
            signer_name=person.full_name,
            designation=post.designation,
            organisation_name=organisation.name,
            title=title[:500],
            classification=classification,
            signed_at=clock.now(),
            sha256=hashlib.sha256(signed.pdf).hexdigest(),
        )
        _record(document, signed)
        event_record(
            actor=person,
            action="document.sign",
            obj=document,
            post=post,
            after={"certificate": signed.certificate_serial, "sha256": document.sha256},
        )
    return signed.pdf


def pdf_seal(*, organisation: OrgUnit, pdf: bytes, reason: str, token: str | None = None) -> bytes:
    with transaction.atomic():
        signed = provider().pdf_sign_seal(
            organisation=organisation, pdf=pdf, reason=reason, location=organisation.name
        )
        document = None
        if token is not None:
            document = SignedDocument.objects.select_for_update().get(token=token)
            document.sha256 = hashlib.sha256(signed.pdf).hexdigest()
            document.sealed_at = clock.now()
            document.save(update_fields=["sha256", "sealed_at"])
        _record(document, signed)
        sealed = Certificate.objects.get(serial=signed.certificate_serial)
        event_record(
            actor=None,
            action="document.seal",
            obj=document if document is not None else sealed,
            after={
                "certificate": signed.certificate_serial,
                "sha256": hashlib.sha256(signed.pdf).hexdigest(),
                "reason": reason,
            },
        )
    return signed.pdf


def data_sign(*, person: User, data: bytes) -> DataSignature:
    """A detached RSA signature over ``data`` with the person's key (a few ms once issued)."""
    with transaction.atomic():
        return provider().data_sign(person=person, data=data)


def data_verify(*, certificate_serial: str, data: bytes, value: bytes) -> bool:
    """True when ``value`` is a signature over ``data`` by that certificate of this
    instance's CA. A certificate revoked for key compromise verifies nothing; one renewed
    or retired later still verifies what it signed."""
    record = Certificate.objects.filter(serial=certificate_serial.lower()).first()
    if record is None or record.revocation_reason == RevocationReason.KEY_COMPROMISE:
        return False
    public = ca.certificate_of(record).public_key()
    if not isinstance(public, rsa.RSAPublicKey):
        return False
    try:
        public.verify(value, data, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        return False
    return True
