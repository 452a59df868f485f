"""Signed letters and their dispatch: the fair copy, the dispatch number, the deliveries.

``FairCopy``: the approved version of a draft rendered, signed by the signing officer and
sealed by the organisation (one PDF, kept as a ``documents.Document``), with the token of its
public verification page. ``Dispatch``: the letter issued under a dispatch number (gap-free
per issuing unit and year), with its office copy on the file. ``Delivery``: one addressee's
copy and what became of it — a receipt in another organisation's registry, an e-mail, or an
envelope for the post.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class FairCopy(models.Model):
    draft = models.OneToOneField(
        "drafting.Draft", on_delete=models.PROTECT, related_name="fair_copy"
    )
    version = models.ForeignKey("drafting.DraftVersion", on_delete=models.PROTECT, related_name="+")
    letter_number = models.CharField(_("letter no."), max_length=140)
    letter_date = models.DateField(_("letter date"))
    # The public verification page's key (/verify/<token>/), printed as a QR code on the letter.
    token = models.CharField(_("verification token"), max_length=64, unique=True)
    document = models.OneToOneField(
        "documents.Document", on_delete=models.PROTECT, related_name="+"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_post = models.ForeignKey("org.Post", on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("signed at"))

    class Meta:
        verbose_name = _("fair copy")
        verbose_name_plural = _("fair copies")

    def __str__(self) -> str:
        return self.letter_number


class Dispatch(models.Model):
    fair_copy = models.OneToOneField(FairCopy, on_delete=models.PROTECT, related_name="dispatch")
    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial"))
    number = models.CharField(_("dispatch no."), max_length=140, unique=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_post = models.ForeignKey("org.Post", on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("issued at"))
    office_copy = models.OneToOneField(
        "files.CorrespondenceItem", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["unit", "year", "serial"], name="dispatch_serial_unique"
            )
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["unit", "year", "-serial"], name="dispatch_register_idx")
        ]

    def __str__(self) -> str:
        return self.number


class Channel(models.TextChoices):
    INTERNAL = "internal", _("On Daftar")
    EMAIL = "email", _("E-mail")
    POST = "post", _("Post")
    COURIER = "courier", _("Courier")
    HAND = "hand", _("By hand")


# Channels that leave as paper: an envelope is printed and the despatcher records it went.
PAPER_CHANNELS = frozenset({Channel.POST, Channel.COURIER, Channel.HAND})


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")  # waiting for the after-commit step, or to go out
    SENT = "sent", _("Sent")  # e-mail accepted by the mail server
    DELIVERED = "delivered", _("Delivered")  # diarised in the addressee's registry
    RECEIVED = "received", _("Received")  # opened there by a person
    FAILED = "failed", _("Failed")
    POSTED = "posted", _("Sent out")  # paper: handed to post, courier or messenger


class Delivery(models.Model):
    dispatch = models.ForeignKey(Dispatch, on_delete=models.PROTECT, related_name="deliveries")
    addressee = models.ForeignKey("drafting.Addressee", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    receipt = models.OneToOneField(
        "receipts.Receipt",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dispatch_delivery",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    attempted_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    received_by = models.ForeignKey(
        "org.Post", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(receipt__isnull=True) | Q(channel="internal"),
                name="delivery_receipt_internal",
            ),
            models.CheckConstraint(
                condition=~Q(channel="email") | ~Q(email=""), name="delivery_email_address"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dispatch_id} → {self.addressee_id} ({self.channel})"


class PaperLetter(models.Model):
    """A letter signed by hand on paper (typically from a physical file) and sent out by post,
    courier, hand or fax, entered in the same dispatch register so the register is complete
    and the programme office can see how much still goes out on paper (D and X in
    docs/adoption.md). Its number comes from the issuing unit's dispatch series, shared with
    ``Dispatch``; written only by ``paper_letter_record``."""

    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial"))
    number = models.CharField(_("dispatch no."), max_length=140, unique=True)
    letter_number = models.CharField(_("letter no."), max_length=140)
    letter_date = models.DateField(_("letter date"))
    subject = models.CharField(_("subject"), max_length=500)
    file = models.ForeignKey(
        "files.File",
        verbose_name=_("file"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The addressee: an organisation on this instance, or a name and address outside it.
    organisation = models.ForeignKey(
        "org.OrgUnit",
        verbose_name=_("addressee organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    addressee = models.CharField(_("addressee"), max_length=300)
    channel = models.CharField(_("sent by"), max_length=10, choices=Channel.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_post = models.ForeignKey("org.Post", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("entered at"))

    class Meta:
        verbose_name = _("letter signed on paper")
        verbose_name_plural = _("letters signed on paper")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["unit", "year", "serial"], name="paper_letter_serial_unique"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=["post", "courier", "hand"]),
                name="paper_letter_paper_channel",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["recorded_at"])]

    def __str__(self) -> str:
        return self.number
