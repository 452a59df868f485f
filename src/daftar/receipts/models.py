"""Receipts: incoming papers diarised at a registry (or a section that keeps its own diary).

A receipt is a letter, petition, fax or e-mail that came in. It gets a diary number from the
diarising unit's diary (gap-free per unit and year), a sender from the shared directory, its
scanned or e-mailed documents (electronic) or none (a physical paper tracked by number), and
then moves from post to post by exactly the custody rules of files.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from daftar.files.models import Classification, Priority, ShareBase
from daftar.org.models import OrgUnit


class Mode(models.TextChoices):
    """How the receipt reached the office."""

    POST = "post", _("Post")
    HAND = "hand", _("By hand")
    COURIER = "courier", _("Courier")
    FAX = "fax", _("Fax")
    EMAIL = "email", _("E-mail")
    INTERNAL = "internal", _("From another organisation on Daftar")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    URDU = "ur", _("Urdu")
    OTHER = "other", _("Other")


class ReceiptStatus(models.TextChoices):
    OPEN = "open", _("Open")  # diarised and in circulation
    CLOSED = "closed", _("Closed")  # disposed of: no action needed, or dealt with on a file


class ReceiptAction(models.TextChoices):
    DIARISE = "diarise", _("Diarised")
    PUT_UP = "put_up", _("Put up")
    MARK_DOWN = "mark_down", _("Marked down")
    SEND_ACROSS = "send_across", _("Sent across")
    RETURN = "return", _("Returned")


class Sender(models.Model):
    """An entry in the shared directory of correspondents, reused across receipts."""

    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    designation = models.CharField(_("designation"), max_length=200, blank=True)
    address = models.TextField(_("address"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("added at"))

    class Meta:
        verbose_name = _("sender")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=~Q(organisation="", name=""), name="sender_has_organisation_or_name"
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(Upper("organisation"), name="sender_organisation_upper"),
            models.Index(Upper("name"), name="sender_name_upper"),
        ]

    def __str__(self) -> str:
        person = ", ".join(p for p in (self.name, self.designation) if p)
        if person and self.organisation:
            return f"{person} ({self.organisation})"
        return person or self.organisation


class Receipt(models.Model):
    registry = models.ForeignKey(
        "org.OrgUnit",
        verbose_name=_("diarised at"),
        on_delete=models.PROTECT,
        related_name="receipts",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial"))
    diary_number = models.CharField(_("diary number"), max_length=120, unique=True)
    # What the sender quotes back ("acknowledgement ref. 7KQ2-M9XD"): derived from the diary
    # number with the secret key, so it cannot be guessed from one receipt to the next.
    reference = models.CharField(_("reference"), max_length=12, unique=True)
    received_on = models.DateField(_("received on"))
    mode = models.CharField(_("received by"), max_length=10, choices=Mode.choices)
    sender = models.ForeignKey(
        Sender, verbose_name=_("sender"), on_delete=models.PROTECT, related_name="receipts"
    )
    letter_number = models.CharField(_("letter number"), max_length=120, blank=True)
    letter_date = models.DateField(_("letter date"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=500)
    language = models.CharField(
        _("language"), max_length=10, choices=Language.choices, default=Language.ENGLISH
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.ROUTINE
    )
    classification = models.PositiveSmallIntegerField(
        _("classification"), choices=Classification.choices, default=Classification.UNCLASSIFIED
    )
    enclosures = models.TextField(_("enclosures"), blank=True)
    remarks = models.TextField(_("remarks"), blank=True)
    is_physical = models.BooleanField(
        _("physical receipt"),
        default=False,
        help_text=_("A paper diarised for tracking: it moves by number, with no scan."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReceiptStatus.choices, default=ReceiptStatus.OPEN
    )
    # Custody, exactly as on File: one post holds the receipt; written only by the receipt
    # services under the receipt's row lock.
    holder = models.ForeignKey(
        "org.Post", verbose_name=_("with"), on_delete=models.PROTECT, related_name="receipts_held"
    )
    current_movement = models.OneToOneField(
        "receipts.ReceiptMovement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The inbox keys, copies of the current movement (see ``mirror_current``).
    inbox_unread = models.BooleanField(default=False, editable=False)
    inbox_priority = models.PositiveSmallIntegerField(default=Priority.ROUTINE, editable=False)
    inbox_due_on = models.DateField(null=True, blank=True, editable=False)
    inbox_since = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("diarised by"),
    )
    created_at = models.DateTimeField(_("diarised at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("receipt")
        permissions = (("diarise_receipt", _("Diarise receipts")),)
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["registry", "year", "serial"], name="receipt_serial_unique"
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["holder", "status"]),
            models.Index(
                F("holder"),
                F("status"),
                F("inbox_unread").desc(),
                F("inbox_priority").desc(),
                F("inbox_due_on"),
                F("inbox_since"),
                F("id"),
                name="receipt_inbox_order",
            ),
            models.Index(Upper("diary_number"), name="receipt_number_upper"),
        ]

    def __str__(self) -> str:
        return f"{self.diary_number} — {self.subject}"

    def mirror_current(self, movement: ReceiptMovement) -> list[str]:
        """Copy the inbox keys from ``movement`` (the current one); returns the fields to save."""
        self.inbox_unread = movement.read_at is None
        self.inbox_priority = movement.priority
        self.inbox_due_on = movement.due_on
        self.inbox_since = movement.sent_at
        return INBOX_FIELDS


INBOX_FIELDS = ["inbox_unread", "inbox_priority", "inbox_due_on", "inbox_since"]


class ReceiptDocument(models.Model):
    """A stored document (scan, e-mail, attachment) that makes up an electronic receipt."""

    receipt = models.ForeignKey(Receipt, on_delete=models.PROTECT, related_name="documents")
    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        verbose_name = _("receipt document")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["receipt", "order"], name="receipt_document_order"),
            # A document belongs to one receipt: a second diarisation of the same upload is
            # a duplicate receipt, not a second copy.
            models.UniqueConstraint(fields=["document"], name="receipt_document_once"),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_id} #{self.order}: {self.document_id}"


class ReceiptMovement(models.Model):
    """One hop of a receipt from post to post, never rewritten (the shape of ``Movement``)."""

    receipt = models.ForeignKey(Receipt, on_delete=models.PROTECT, related_name="movements")
    action = models.CharField(_("action"), max_length=20, choices=ReceiptAction.choices)
    from_post = models.ForeignKey(
        "org.Post",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="receipt_movements_out",
        verbose_name=_("from"),
    )
    to_post = models.ForeignKey(
        "org.Post",
        on_delete=models.PROTECT,
        related_name="receipt_movements_in",
        verbose_name=_("to"),
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sent by"),
    )
    sent_at = models.DateTimeField(_("sent at"))
    remarks = models.TextField(_("remarks"), blank=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.ROUTINE
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    read_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pulled_back_at = models.DateTimeField(_("pulled back at"), null=True, blank=True)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("receipt movement")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["receipt", "sent_at"]),
            models.Index(fields=["to_post", "receipt"]),
            models.Index(fields=["from_post", "sent_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_id}: {self.from_post_id} → {self.to_post_id} ({self.action})"


class ReceiptShare(ShareBase):
    """A share of one receipt (see ShareBase): its post reads the receipt, never acts on it."""

    receipt = models.ForeignKey(Receipt, on_delete=models.PROTECT, related_name="shares")

    class Meta:
        verbose_name = _("receipt share")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(
                fields=["post", "receipt", "until"],
                condition=Q(revoked_at__isnull=True),
                name="receiptshare_live_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_id} → {self.post_id} until {self.until}"


class Diary(OrgUnit):
    """A unit seen as the keeper of a diary: the admin screen where the organisation admin
    sets its diary number format (the unit itself is edited on the org chart's screens)."""

    class Meta:
        proxy = True
        verbose_name = _("diary")
        verbose_name_plural = _("diaries")
