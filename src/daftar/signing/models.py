"""The instance's certificate authority, the certificates it issued, its revocation list,
and the record kept of every signed letter (what the public verification page shows).

A certificate row holds the DER certificate and its private key sealed with the instance's
key-encryption key (``keystore.py``): the database never holds a plaintext key.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from daftar.files.models import Classification


class CertificateKind(models.TextChoices):
    CA = "ca", _("Certificate authority")
    PERSONAL = "personal", _("Personal signature")
    SEAL = "seal", _("Organisation e-seal")


class RevocationReason(models.TextChoices):
    """The RFC 5280 reasons an officer may give (``daftar pki revoke --reason``)."""

    UNSPECIFIED = "unspecified", _("Unspecified")
    KEY_COMPROMISE = "keyCompromise", _("Key compromise")
    AFFILIATION_CHANGED = "affiliationChanged", _("Affiliation changed")
    SUPERSEDED = "superseded", _("Superseded")
    CESSATION = "cessationOfOperation", _("Cessation of operation")


class Certificate(models.Model):
    serial = models.CharField(_("serial number (hex)"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=CertificateKind.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    organisation = models.ForeignKey(
        "org.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=400)
    not_before = models.DateTimeField(_("valid from"))
    not_after = models.DateTimeField(_("valid until"))
    der = models.BinaryField(_("certificate (DER)"))
    # nonce || AES-256-GCM ciphertext of the PKCS#8 DER key, bound to the serial (keystore.py)
    key_sealed = models.BinaryField(_("private key (encrypted)"))
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revocation_reason = models.CharField(
        _("revocation reason"), max_length=24, choices=RevocationReason.choices, blank=True
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints: ClassVar = [
            # One live certificate per person, per organisation's seal, and one CA.
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(kind="personal", revoked_at__isnull=True),
                name="signing_one_live_personal",
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(kind="seal", revoked_at__isnull=True),
                name="signing_one_live_seal",
            ),
            models.UniqueConstraint(fields=["kind"], condition=Q(kind="ca"), name="signing_one_ca"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({self.serial})"


class RevocationList(models.Model):
    """Each CRL the CA issued; the newest (highest number) is the one published."""

    number = models.PositiveBigIntegerField(unique=True)
    issued_at = models.DateTimeField()
    next_update = models.DateTimeField()
    der = models.BinaryField()

    class Meta:
        verbose_name = _("certificate revocation list")

    def __str__(self) -> str:
        return f"CRL {self.number}"


class SignedDocument(models.Model):
    """What was signed under one verification token (the QR code on the letter)."""

    token = models.CharField(max_length=64, unique=True)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    post = models.ForeignKey("org.Post", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+")
    # Copied as they read at signing: a later change of name or designation does not rewrite
    # what the letter said.
    signer_name = models.CharField(max_length=200)
    designation = models.CharField(max_length=200)
    organisation_name = models.CharField(max_length=200)
    title = models.CharField(max_length=500)
    classification = models.PositiveSmallIntegerField(choices=Classification.choices)
    signed_at = models.DateTimeField()
    sha256 = models.CharField(_("SHA-256 of the issued PDF"), max_length=64)
    sealed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("signed document")

    def __str__(self) -> str:
        return self.token


class SignatureRecord(models.Model):
    """One signature made here, found again from its value when a copy is verified."""

    document = models.ForeignKey(
        SignedDocument,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signatures",
    )
    kind = models.CharField(max_length=10, choices=CertificateKind.choices)
    # The serial, not a key to Certificate: an external provider's certificates are not ours.
    certificate_serial = models.CharField(max_length=40)
    value_sha256 = models.CharField(max_length=64, unique=True)
    signed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.kind} {self.certificate_serial} at {self.signed_at}"
