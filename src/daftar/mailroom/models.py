"""Receipts by e-mail: a registry's mailbox, and each message fetched from it as a draft.

A ``Mailbox`` is an IMAP account of an organisation unit (usually its registry). ``daftar
fetch-mail`` reads its unseen messages; each becomes an ``IncomingMail``: a draft receipt
waiting at the mailbox's post for the clerk to complete (``mail_register``) or discard. The
message itself is kept whole (its raw bytes in the blob store, and a PDF of it as a stored
document); each attachment is a stored document, or a refusal with the reason.
"""

from __future__ import annotations

import ipaddress
import re
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The password is never stored: the mailbox names an environment variable that holds it
# (or NAME_FILE), and only variables of this family can be named, so an admin screen cannot
# be used to send another secret (the database password, the secret key) to some IMAP host.
PASSWORD_ENV_PATTERN = re.compile(r"^DAFTAR_IMAP_PASSWORD_[A-Z0-9_]{1,50}$")


class TlsMode(models.TextChoices):
    SSL = "ssl", _("TLS from the start (IMAPS, port 993)")
    STARTTLS = "starttls", _("STARTTLS (port 143)")
    PLAIN = "plain", _("None: only for a server on this machine (loopback)")


class IncomingStatus(models.TextChoices):
    NEW = "new", _("Waiting")
    REGISTERED = "registered", _("Registered as a receipt")
    DISCARDED = "discarded", _("Discarded")


def is_loopback(host: str) -> bool:
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip()).is_loopback
    except ValueError:
        return False


def validate_password_env(value: str) -> None:
    if not PASSWORD_ENV_PATTERN.match(value):
        raise ValidationError(
            _("Name a variable DAFTAR_IMAP_PASSWORD_… (capital letters, digits and _).")
        )


class Mailbox(models.Model):
    """An IMAP mailbox whose messages become draft receipts at ``post``."""

    unit = models.ForeignKey(
        "org.OrgUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="mailboxes",
        help_text=_("The registry (or section) whose diary the receipts go into."),
    )
    name = models.CharField(_("name"), max_length=200, help_text=_("E.g. the address."))
    host = models.CharField(_("IMAP host"), max_length=253)
    port = models.PositiveIntegerField(_("port"), default=993)
    tls = models.CharField(_("TLS"), max_length=10, choices=TlsMode.choices, default=TlsMode.SSL)
    username = models.CharField(_("user name"), max_length=254)
    password_env = models.CharField(
        _("password variable"),
        max_length=80,
        validators=[validate_password_env],
        help_text=_(
            "The environment variable holding the password, e.g. "
            "DAFTAR_IMAP_PASSWORD_REGISTRY (or DAFTAR_IMAP_PASSWORD_REGISTRY_FILE naming a "
            "file). The password is not stored here."
        ),
    )
    folder = models.CharField(_("folder"), max_length=200, default="INBOX")
    post = models.ForeignKey(
        "org.Post",
        verbose_name=_("drafts go to"),
        on_delete=models.PROTECT,
        related_name="mailboxes",
        help_text=_("The post whose holder completes the drafts (a post of the unit)."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    last_fetch_at = models.DateTimeField(_("last fetched"), null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)

    class Meta:
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["host", "port", "username", "folder"], name="mailbox_account_once"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.tls == TlsMode.PLAIN and not is_loopback(self.host):
            errors["tls"] = str(
                _("Without TLS the password would cross the network in clear; use TLS.")
            )
        if (
            self.post_id is not None
            and self.unit_id is not None
            and self.post.unit_id != self.unit_id
        ):
            errors["post"] = str(_("Choose a post of the mailbox's unit."))
        if errors:
            raise ValidationError(errors)


class IncomingMail(models.Model):
    """One fetched message: a draft receipt until the clerk registers or discards it."""

    mailbox = models.ForeignKey(
        Mailbox, verbose_name=_("mailbox"), on_delete=models.PROTECT, related_name="incoming"
    )
    # The Message-ID header (or "sha256:<hash of the message>" when it has none): a message
    # is imported once per mailbox, however often it is fetched. A different message under
    # an ID already imported gets "<ID> sha256:<hash>" and ``duplicate_of`` (services).
    message_id = models.CharField(_("message ID"), max_length=500)
    # Where the draft waits: the mailbox's post when it was fetched.
    post = models.ForeignKey(
        "org.Post", verbose_name=_("waiting at"), on_delete=models.PROTECT, related_name="+"
    )
    from_name = models.CharField(_("from (name)"), max_length=200, blank=True)
    from_address = models.CharField(_("from (address)"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=1000, blank=True)
    sent_at = models.DateTimeField(_("dated"), null=True, blank=True)
    body_text = models.TextField(_("text"), blank=True)
    raw_sha256 = models.CharField(
        _("message (SHA-256)"),
        max_length=64,
        help_text=_("The message exactly as received (.eml), in the blob store."),
    )
    raw_size = models.PositiveBigIntegerField(_("size in bytes"))
    message_document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("message as PDF"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("same Message-ID as"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("An earlier draft with the same Message-ID but other content."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=IncomingStatus.choices, default=IncomingStatus.NEW
    )
    receipt = models.OneToOneField(
        "receipts.Receipt",
        verbose_name=_("receipt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incoming_mail",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    discard_reason = models.TextField(_("reason for discarding"), blank=True)
    created_at = models.DateTimeField(_("fetched at"))

    class Meta:
        verbose_name = _("incoming e-mail")
        permissions = (("handle_mail", _("Register or discard e-mailed letters")),)
        verbose_name_plural = _("incoming e-mails")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["mailbox", "message_id"], name="incoming_mail_once_per_mailbox"
            ),
            models.CheckConstraint(
                condition=Q(status="registered", receipt__isnull=False)
                | (~Q(status="registered") & Q(receipt__isnull=True)),
                name="incoming_mail_receipt_iff_registered",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["post", "status", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.from_address}: {self.subject}"


class IncomingAttachment(models.Model):
    """An attachment of a fetched message: stored as a document, or refused (with why)."""

    incoming = models.ForeignKey(IncomingMail, on_delete=models.CASCADE, related_name="attachments")
    order = models.PositiveSmallIntegerField(_("order"))
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("declared type"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    document = models.ForeignKey(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    refusal = models.TextField(_("refused because"), blank=True)

    class Meta:
        verbose_name = _("attachment")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["incoming", "order"], name="incoming_attachment_order"),
            models.CheckConstraint(
                condition=Q(document__isnull=False, refusal="")
                | Q(document__isnull=True) & ~Q(refusal=""),
                name="incoming_attachment_stored_or_refused",
            ),
        ]

    def __str__(self) -> str:
        return self.filename
